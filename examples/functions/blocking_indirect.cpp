// blocking_indirect: blocking calls reached only through indirect calls.
//
// Awaiting a chained call and pulling state block (in a browser they suspend the function until the answer
// arrives). Here each happens behind a virtual call and behind a function pointer / std::function, which is
// where an Asyncify transform that ignores indirect calls breaks; faasmjs-asyncify resolves them by type and
// table contents, so this function must give the same output with and without JSPI.
#include <cstdint>
#include <faasmjs/faasmjs.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr const char* state_key = "blocking_indirect_value";

std::int64_t twice(const std::int64_t& x) { return 2 * x; }

// Blocks on a chained call.
faasmjs::Result<std::int64_t> await_chained() { return faasmjs::fork<twice>(std::int64_t{21}).get(); }

// Blocks on a state pull.
faasmjs::Result<std::int64_t> pull_state() {
  const faasmjs::state::Value<std::int64_t> value{state_key};
  FAASMJS_TRY(value.pull());
  return value.get();
}

class Source {
 public:
  virtual ~Source() = default;
  virtual faasmjs::Result<std::int64_t> fetch() const = 0;
};

class ChainedSource final : public Source {
 public:
  faasmjs::Result<std::int64_t> fetch() const override { return await_chained(); }
};

class StateSource final : public Source {
 public:
  faasmjs::Result<std::int64_t> fetch() const override { return pull_state(); }
};

using Fetcher = faasmjs::Result<std::int64_t> (*)();

faasmjs::Result<std::string> run() {
  const faasmjs::state::Value<std::int64_t> value{state_key};
  FAASMJS_TRY(value.set(7));
  FAASMJS_TRY(value.push());

  std::vector<std::unique_ptr<Source>> sources;
  sources.push_back(std::make_unique<ChainedSource>());
  sources.push_back(std::make_unique<StateSource>());
  const std::vector<Fetcher> pointers{&await_chained, &pull_state};
  const std::vector<std::function<faasmjs::Result<std::int64_t>()>> functions{[] { return await_chained(); },
                                                                              [] { return pull_state(); }};

  std::string report;
  const char* kinds[] = {"virtual", "pointer", "std::function"};
  for (std::size_t i = 0; i < sources.size(); i++) {
    FAASMJS_TRY_ASSIGN(const std::int64_t via_virtual, sources[i]->fetch());
    FAASMJS_TRY_ASSIGN(const std::int64_t via_pointer, pointers[i]());
    FAASMJS_TRY_ASSIGN(const std::int64_t via_function, functions[i]());
    const std::int64_t expected = i == 0 ? 42 : 7;
    const std::int64_t got[] = {via_virtual, via_pointer, via_function};
    for (std::size_t k = 0; k < 3; k++) {
      if (got[k] != expected) {
        return faasmjs::Error(faasmjs::Errc::host_error,
                              std::string(kinds[k]) + " call returned " + std::to_string(got[k]));
      }
    }
    report += (i == 0 ? "chained " : "; state ") + std::to_string(expected) + " via virtual, pointer, std::function";
  }
  return report;
}

}  // namespace

FAASMJS_MAIN(run)
