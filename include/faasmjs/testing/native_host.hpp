// An in-process host for native builds: the whole raw ABI of faasmjs/detail/host_abi.h, behaving like Faasm,
// so that functions (typed SDK or Faasm C API) run and are unit-tested natively, e.g. under doctest.
//
// Section map
//   1. Vocabulary            Function, Input, Invocation, ChainedCall, options, HostFault
//   2. NativeHost            set-up, the ambient call, invocations, global tier, local tier, diagnostics
//   3. Implementation        only in the translation unit that defines FAASMJS_NATIVE_HOST_IMPLEMENT
//
// Usage: in exactly one translation unit of the test program
//     #define FAASMJS_NATIVE_HOST_IMPLEMENT
//     #include <faasmjs/testing/native_host.hpp>
// and include it plainly elsewhere. faasmjs::testing::host() is the one host the ABI functions talk to.
//
// What it models (Faasm's semantics, faasm-interfaces.md section 1.2):
//   - input: a zero-length read returns the size; longer reads copy and truncate; output: last write wins.
//   - chaining: by name through a registry of native functions, by pointer by calling the pointer; ids are
//     returned at once; await returns the callee's return value, await-with-output also hands over a
//     malloc'd copy of its output. Calls run when chained (default) or when awaited (ChainExecution), on the
//     caller's host or on a fresh one (ChainPlacement); calls never awaited still run before invoke returns.
//   - state: one global tier (in process: it never refuses a call) and a local tier per host, with the rules
//     of faasmjs/detail/local_tier.hpp, the local tier the embedded cluster runs too. A key's local size is
//     fixed once created; the first read pulls lazily (a missing key reads as zeros and returns the requested
//     length); the size query is the local size, else the global size, else 0; writes mark bytes dirty; push
//     sends only when dirty; push_partial sends only dirty ranges and refreshes the local copy; pull fetches
//     the whole value; read_state_ptr returns a pointer into the local value, valid until reset(); append logs
//     live in the global tier; locks are per host and key, shared or exclusive, kept beside the values (a
//     key can be locked before it has one).
//   - failures: what Faasm answers with a host exception (a size-less key, a range outside the value, a
//     buffer too small, a value of another size than the key's...) ends the running invocation with return
//     value 1 and is recorded in faults(); at the ambient level (SDK code called directly by a test) it is
//     thrown as HostFault.
// Deliberate differences: the local tier's (local_tier.hpp: a lazy pull never overwrites bytes written locally
// and not yet pushed, a full push keeps the global bytes of chunks never pulled, a buffer too small or a
// write of another size than the key's is a fault rather than an overrun...); and, for locks, a lock that
// would block forever (the native host runs calls one at a time) and an unlock without a lock are faults,
// and locks still held when an invocation ends are released with a warning.
//
// Thread safety: none; one test thread drives the host. Functions run synchronously inside invoke().
#ifndef FAASMJS_TESTING_NATIVE_HOST_HPP
#define FAASMJS_TESTING_NATIVE_HOST_HPP

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "faasmjs/bytes.hpp"
#include "faasmjs/chain.hpp"
#include "faasmjs/detail/abi_args.hpp"
#include "faasmjs/detail/fault_messages.hpp"
#include "faasmjs/detail/host_abi.h"

namespace faasmjs::testing {

// 1.
using Function = std::function<int()>;

// A test's input: text or bytes, copied.
struct Input {
  Input() = default;
  Input(ByteView bytes) : bytes(bytes.begin(), bytes.end()) {}
  Input(const Bytes& bytes) : bytes(bytes) {}
  Input(std::string_view text) : bytes(as_bytes(text).begin(), as_bytes(text).end()) {}
  Input(const char* text) : Input(std::string_view(text)) {}
  Input(const std::string& text) : Input(std::string_view(text)) {}

  Bytes bytes;
};

// What a finished call gave back: the same shape the SDK hands a caller of Call<T>::reply().
using Invocation = Reply;

struct ChainedCall {
  unsigned id = 0;
  std::string function;  // the name, or "function pointer"
  Bytes input;
  std::size_t host = 0;
  bool finished = false;
  Invocation result;
};

enum class ChainExecution {
  when_chained,  // the callee runs inside chain(): simplest to debug
  when_awaited,  // the callee runs at its first await (or before invoke returns): catches callers that
                 // read what a callee writes before awaiting it
};

enum class ChainPlacement {
  same_host,  // callees share the caller's local tier, as Faasm does when it schedules them together
  new_host,   // each callee gets an empty local tier: catches forgotten pushes and pulls
};

enum class FailedOutput {
  keep,           // a failed call's output is what it wrote (faasm.js hosts; the SDK writes its error text)
  faasm_message,  // replaced by "Call failed (return value=N)", as Faasm does
};

// What Faasm would answer with a host exception.
class HostFault : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// 2.
class NativeHost {
 public:
  NativeHost();
  ~NativeHost();
  NativeHost(const NativeHost&) = delete;
  NativeHost& operator=(const NativeHost&) = delete;

  // Set-up. reset() forgets everything (state, registry, calls, diagnostics) and restores the defaults.
  void reset();
  void register_function(std::string name, Function function);
  void set_chain_execution(ChainExecution execution);
  void set_chain_placement(ChainPlacement placement);
  void set_failed_output(FailedOutput failed_output);
  void set_conf_flag(std::string name, unsigned value);

  // The ambient call: what SDK code called directly from a test (outside invoke) reads and writes.
  void set_input(Input input);
  const Bytes& output() const;
  std::string_view output_text() const;

  // Invocations: run a function as a call of its own, with its own input and output, on the current host.
  Invocation invoke(const Function& function, Input input = {});
  Invocation invoke(std::string_view name, Input input = {});
  int run_zygote();
  void run_pending();
  const std::vector<ChainedCall>& chained_calls() const;

  // The global tier.
  std::optional<Bytes> global_value(std::string_view key) const;
  void set_global_value(std::string_view key, Input value);
  std::vector<Bytes> global_appended(std::string_view key) const;
  std::size_t push_count(std::string_view key) const;

  // The current host's local tier. move_to_new_host() continues the ambient call on a host with an empty
  // local tier (older tiers stay alive, so pointers they handed out remain valid until reset()).
  std::optional<Bytes> local_value(std::string_view key) const;
  bool local_dirty(std::string_view key) const;
  void move_to_new_host();
  std::size_t current_host() const;

  // Diagnostics: faults ended a call (or were thrown at the ambient level); warnings did not.
  const std::vector<std::string>& faults() const;
  const std::vector<std::string>& warnings() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

NativeHost& host();

}  // namespace faasmjs::testing

// 3.
#ifdef FAASMJS_NATIVE_HOST_IMPLEMENT

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <span>
#include <type_traits>
#include <utility>

#include "faasmjs/detail/local_tier.hpp"

// What a function binary gets from the build when it defines no zygote (cmake/function-support).
extern "C" __attribute__((weak)) int _faasm_zygote() { return 0; }

namespace faasmjs::testing {

struct NativeHost::Impl {
  // A fault of the local tier, in the table's words; fault() adds the import's name.
  struct TierFault {
    std::string message;
  };
  template <class T>
  using TierResult = ::faasmjs::detail::local_tier::Result<T, TierFault>;

  // The global tier as the local tiers see it: in process, so it never refuses a call.
  struct GlobalStore {
    using Error = TierFault;
    using Range = ::faasmjs::detail::local_tier::Range;
    using StoredRange = ::faasmjs::detail::local_tier::StoredRange;

    std::map<std::string, Bytes, std::less<>> values;
    std::map<std::string, std::size_t, std::less<>> pushes;

    TierFault fault(std::string message) { return {std::move(message)}; }

    TierResult<std::size_t> size(std::string_view key) {
      const auto found = values.find(key);
      return found == values.end() ? 0 : found->second.size();
    }

    TierResult<std::optional<StoredRange>> pull(std::string_view key, std::size_t offset, std::size_t length) {
      const auto found = values.find(key);
      if (found == values.end()) {
        return std::optional<StoredRange>();
      }
      const Bytes& value = found->second;
      const std::size_t from = std::min(offset, value.size());
      const std::size_t to = from + std::min(length, value.size() - from);
      return std::optional<StoredRange>(StoredRange{value.size(), Bytes(value.begin() + from, value.begin() + to)});
    }

    TierResult<void> push(std::string_view key, std::size_t size, const std::vector<Range>& ranges) {
      Bytes& value = values[std::string(key)];
      value.resize(size, 0);
      write(value, ranges);
      pushes[std::string(key)]++;
      return {};
    }

    TierResult<Bytes> push_partial(std::string_view key, std::size_t size, const std::vector<Range>& ranges) {
      Bytes& value = values[std::string(key)];
      value.resize(std::max(size, value.size()), 0);
      write(value, ranges);
      pushes[std::string(key)]++;
      return value;
    }

    static void write(Bytes& value, const std::vector<Range>& ranges) {
      for (const Range& range : ranges) {
        std::copy(range.bytes.begin(), range.bytes.end(), value.begin() + static_cast<std::ptrdiff_t>(range.offset));
      }
    }
  };
  using LocalTier = ::faasmjs::detail::local_tier::LocalTier<GlobalStore>;
  using LocalValue = ::faasmjs::detail::local_tier::LocalValue;

  // Held state locks, apart from the values: a key can be locked before this host has a value of it.
  struct Holder {
    unsigned invocation;
    bool exclusive;
  };

  struct Host {
    explicit Host(GlobalStore& global) : tier(global) {}
    LocalTier tier;
    std::map<std::string, std::vector<Holder>, std::less<>> locks;
  };

  struct Context {
    Bytes input;
    Bytes output;
    std::size_t host = 0;
    unsigned invocation = 0;
  };

  static constexpr std::size_t max_depth = 64;

  GlobalStore global;
  std::vector<std::unique_ptr<Host>> hosts;  // a host's values stay alive until reset(): pointers into them too
  std::map<std::string, std::vector<Bytes>, std::less<>> appended;
  std::map<std::string, Function, std::less<>> registry;
  std::map<std::string, unsigned, std::less<>> conf_flags;
  std::vector<Context> stack;
  std::vector<ChainedCall> calls;
  std::vector<Function> call_functions;
  std::vector<std::string> faults;
  std::vector<std::string> warnings;
  ChainExecution execution = ChainExecution::when_chained;
  ChainPlacement placement = ChainPlacement::same_host;
  FailedOutput failed_output = FailedOutput::keep;
  unsigned next_invocation = 1;

  Impl() { reset(); }

  void reset() {
    hosts.clear();
    global.values.clear();
    global.pushes.clear();
    hosts.push_back(std::make_unique<Host>(global));
    appended.clear();
    registry.clear();
    conf_flags.clear();
    stack.assign(1, Context{});
    calls.clear();
    call_functions.clear();
    faults.clear();
    warnings.clear();
    execution = ChainExecution::when_chained;
    placement = ChainPlacement::same_host;
    failed_output = FailedOutput::keep;
    next_invocation = 1;
  }

  Context& current() { return stack.back(); }
  Host& this_host() { return *hosts[current().host]; }
  LocalTier& tier() { return this_host().tier; }

  std::size_t new_host() {
    hosts.push_back(std::make_unique<Host>(global));
    return hosts.size() - 1;
  }

  [[noreturn]] void fault(const std::string& message) {
    faults.push_back(message);
#if defined(__cpp_exceptions)
    throw HostFault(message);
#else
    std::fputs(("faasm.js native host fault: " + message + "\n").c_str(), stderr);
    std::abort();
#endif
  }

  // A fault in the words of faasmjs/detail/fault_messages.hpp, the table every host shares.
  [[noreturn]] void fault(std::string_view call, std::string_view kind,
                          std::initializer_list<std::pair<std::string_view, std::string>> fields = {}) {
    fault(std::string(call) + ": " + ::faasmjs::detail::fault_message(kind, fields));
  }

  std::string key_of(const char* key, const char* call) {
    if (key == nullptr || *key == '\0') {
      fault(call, "emptyKey");
    }
    return key;
  }

  void check_buffer(const void* buffer, long length, const char* call) {
    if (length < 0) {
      fault(call, "negativeLength", {{"what", "length"}, {"length", std::to_string(length)}});
    }
    if (length > 0 && buffer == nullptr) {
      fault(call, "nullBuffer", {{"what", "buffer"}, {"length", std::to_string(length)}});
    }
  }

  // ---- Invocations ----

  Invocation run(const Function& function, Bytes input, std::size_t host_index) {
    if (stack.size() > max_depth) {
      const std::string text = "chain depth exceeds " + std::to_string(max_depth) + " nested calls";
      faults.push_back(text);
      return Invocation{1, Bytes(text.begin(), text.end())};
    }
    const unsigned invocation = next_invocation++;
    stack.push_back(Context{std::move(input), {}, host_index, invocation});
    Invocation result;
#if defined(__cpp_exceptions)
    try {
      result.return_value = function();
    } catch (const HostFault& error) {
      result.return_value = 1;
      const std::string text = std::string("host fault: ") + error.what();
      stack.back().output.assign(text.begin(), text.end());
    }
#else
    result.return_value = function();
#endif
    result.output = std::move(stack.back().output);
    stack.pop_back();
    release_leaked_locks(invocation);
    if (result.return_value != 0 && failed_output == FailedOutput::faasm_message) {
      const std::string text = "Call failed (return value=" + std::to_string(result.return_value) + ")";
      result.output.assign(text.begin(), text.end());
    }
    if (stack.size() == 1) {
      run_pending();
    }
    return result;
  }

  Invocation invoke_name(std::string_view name, Bytes input, std::size_t host_index) {
    const auto found = registry.find(name);
    if (found == registry.end()) {
      const std::string text =
          "no function named " + ::faasmjs::detail::quoted(name) + " is registered with the native host";
      return Invocation{1, Bytes(text.begin(), text.end())};
    }
    const Function function = found->second;
    return run(function, std::move(input), host_index);
  }

  void release_leaked_locks(unsigned invocation) {
    for (auto& host_pointer : hosts) {
      auto& locks = host_pointer->locks;
      for (auto held = locks.begin(); held != locks.end();) {
        auto& holders = held->second;
        const auto leaked =
            std::remove_if(holders.begin(), holders.end(), [&](const Holder& h) { return h.invocation == invocation; });
        if (leaked != holders.end()) {
          warnings.push_back("a call ended holding a lock on state key " + ::faasmjs::detail::quoted(held->first) +
                             " (released; Faasm would keep it)");
          holders.erase(leaked, holders.end());
        }
        held = holders.empty() ? locks.erase(held) : std::next(held);
      }
    }
  }

  unsigned chain(Function function, std::string name, const unsigned char* input, long length) {
    check_buffer(input, length, "chain");
    const unsigned id = static_cast<unsigned>(calls.size()) + 1;
    ChainedCall call;
    call.id = id;
    call.function = std::move(name);
    call.input.assign(input, input + length);
    call.host = current().host;
    calls.push_back(std::move(call));
    call_functions.push_back(std::move(function));
    if (execution == ChainExecution::when_chained) {
      execute(id);
    }
    return id;
  }

  void execute(unsigned id) {
    const std::size_t index = id - 1;
    if (calls[index].finished) {
      return;
    }
    // Marked first, so that a callee awaiting its own id does not recurse.
    calls[index].finished = true;
    std::size_t host_index = calls[index].host;
    if (placement == ChainPlacement::new_host) {
      host_index = new_host();
    }
    calls[index].host = host_index;
    Bytes input = calls[index].input;
    Invocation result;
    if (call_functions[index]) {
      const Function function = call_functions[index];
      result = run(function, std::move(input), host_index);
    } else {
      const std::string name = calls[index].function;
      result = invoke_name(name, std::move(input), host_index);
    }
    calls[index].result = std::move(result);
  }

  void run_pending() {
    for (std::size_t i = 0; i < calls.size(); i++) {
      execute(static_cast<unsigned>(i + 1));
    }
  }

  const ChainedCall* awaited(unsigned id) {
    if (id == 0 || id > calls.size()) {
      warnings.push_back("await of unknown call id " + std::to_string(id) + " (returns 1, as Faasm does on error)");
      return nullptr;
    }
    execute(id);
    return &calls[id - 1];
  }

  // ---- Input and output ----

  long read_input(unsigned char* buffer, long length) {
    check_buffer(buffer, length, "read_input");
    const Bytes& input = current().input;
    if (input.empty()) {
      return 0;
    }
    if (length == 0) {
      return static_cast<long>(input.size());
    }
    const std::size_t copied = std::min(input.size(), static_cast<std::size_t>(length));
    std::memcpy(buffer, input.data(), copied);
    return static_cast<long>(copied);
  }

  void write_output(const char* output, long length) {
    check_buffer(output, length, "write_output");
    current().output.assign(output, output + length);
  }

  // ---- State: local values (the rules are detail/local_tier.hpp's) ----

  template <class T>
  T checked(TierResult<T> result, const char* call) {
    if (!result) {
      fault(std::string(call) + ": " + result.error().message);
    }
    if constexpr (!std::is_void_v<T>) {
      return std::move(*result);
    }
  }

  long read_state(const char* key_pointer, unsigned char* buffer, long length) {
    const std::string key = key_of(key_pointer, "read_state");
    check_buffer(buffer, length, "read_state");
    if (length == 0) {
      return static_cast<long>(checked(tier().size(key), "read_state"));
    }
    std::size_t copied = 0;
    checked(tier().read(key, length,
                        [&](std::span<std::uint8_t> bytes) {
                          std::memcpy(buffer, bytes.data(), bytes.size());
                          copied = bytes.size();
                        }),
            "read_state");
    return static_cast<long>(copied);
  }

  unsigned char* read_state_ptr(const char* key_pointer, long total) {
    return read_state_offset_ptr(key_pointer, total, 0, total, "read_state_ptr");
  }

  unsigned char* read_state_offset_ptr(const char* key_pointer, long total, long offset, long length,
                                       const char* call = "read_state_offset_ptr") {
    const std::string key = key_of(key_pointer, call);
    unsigned char* chunk = nullptr;
    checked(tier().read_range(key, total, offset, length, [&](std::span<std::uint8_t> bytes) { chunk = bytes.data(); }),
            call);
    return chunk;
  }

  void read_state_offset(const char* key, long total, long offset, unsigned char* buffer, long length) {
    check_buffer(buffer, length, "read_state_offset");
    const unsigned char* chunk = read_state_offset_ptr(key, total, offset, length, "read_state_offset");
    std::memcpy(buffer, chunk, static_cast<std::size_t>(length));
  }

  void write_state(const char* key_pointer, const unsigned char* data, long length) {
    const std::string key = key_of(key_pointer, "write_state");
    check_buffer(data, length, "write_state");
    checked(tier().write(key, std::span<const std::uint8_t>(data, static_cast<std::size_t>(length))), "write_state");
  }

  void write_state_offset(const char* key_pointer, long total, long offset, const unsigned char* data, long length) {
    const std::string key = key_of(key_pointer, "write_state_offset");
    check_buffer(data, length, "write_state_offset");
    checked(
        tier().write_range(key, total, offset, std::span<const std::uint8_t>(data, static_cast<std::size_t>(length))),
        "write_state_offset");
  }

  unsigned write_state_from_file(const char* key_pointer, const char* path) {
    const std::string key = key_of(key_pointer, "write_state_from_file");
    std::ifstream file(path == nullptr ? "" : path, std::ios::binary);
    if (!file) {
      fault("write_state_from_file", "noFile", {{"path", path == nullptr ? "" : path}});
    }
    const Bytes bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    write_state(key.c_str(), bytes.data(), static_cast<long>(bytes.size()));
    return static_cast<unsigned>(bytes.size());
  }

  void flag_dirty(const char* key_pointer, long total, long offset, long length, const char* call) {
    const std::string key = key_of(key_pointer, call);
    checked(tier().flag_dirty(key, total, offset, length), call);
  }

  // ---- State: pushes and pulls ----

  void push_state(const char* key_pointer) { checked(tier().push(key_of(key_pointer, "push_state")), "push_state"); }

  void push_state_partial(const char* key_pointer) {
    checked(tier().push_partial(key_of(key_pointer, "push_state_partial")), "push_state_partial");
  }

  void push_state_partial_mask(const char* key_pointer, const char* mask_pointer) {
    const std::string key = key_of(key_pointer, "push_state_partial_mask");
    const std::string mask_key = key_of(mask_pointer, "push_state_partial_mask");
    checked(tier().push_partial_mask(key, mask_key), "push_state_partial_mask");
  }

  void pull_state(const char* key_pointer, long length) {
    checked(tier().pull(key_of(key_pointer, "pull_state"), length), "pull_state");
  }
  // ---- State: append logs ----

  void append_state(const char* key_pointer, const unsigned char* data, long length) {
    const std::string key = key_of(key_pointer, "append_state");
    check_buffer(data, length, "append_state");
    appended[key].emplace_back(data, data + length);
  }

  void read_appended_state(const char* key_pointer, unsigned char* buffer, long length, long count) {
    const std::string key = key_of(key_pointer, "read_appended_state");
    check_buffer(buffer, length, "read_appended_state");
    if (count < 0) {
      fault("read_appended_state", "negativeLength", {{"what", "element count"}, {"length", std::to_string(count)}});
    }
    const auto found = appended.find(key);
    if (found == appended.end()) {
      return;
    }
    Bytes joined;
    const std::size_t n = std::min(found->second.size(), static_cast<std::size_t>(count));
    for (std::size_t i = 0; i < n; i++) {
      joined.insert(joined.end(), found->second[i].begin(), found->second[i].end());
    }
    if (joined.size() > static_cast<std::size_t>(length)) {
      fault("read_appended_state", "appendedTooBig",
            {{"key", key},
             {"count", std::to_string(n)},
             {"bytes", std::to_string(joined.size())},
             {"length", std::to_string(length)}});
    }
    std::copy(joined.begin(), joined.end(), buffer);
  }

  void clear_appended_state(const char* key_pointer) { appended.erase(key_of(key_pointer, "clear_appended_state")); }

  // ---- State: locks ----

  void lock(const char* key_pointer, bool exclusive) {
    const char* call = exclusive ? "lock_state_write" : "lock_state_read";
    const std::string key = key_of(key_pointer, call);
    auto& holders = this_host().locks[key];
    const bool conflict =
        std::any_of(holders.begin(), holders.end(), [&](const Holder& h) { return exclusive || h.exclusive; });
    if (conflict) {
      fault(call, "wouldWaitForever", {{"key", key}});
    }
    holders.push_back({current().invocation, exclusive});
  }

  void unlock(const char* key_pointer, bool exclusive) {
    const char* call = exclusive ? "unlock_state_write" : "unlock_state_read";
    const std::string key = key_of(key_pointer, call);
    auto& locks = this_host().locks;
    const auto held = locks.find(key);
    if (held != locks.end()) {
      auto& holders = held->second;
      auto match = [&](bool same_invocation) {
        return std::find_if(holders.begin(), holders.end(), [&](const Holder& h) {
          return h.exclusive == exclusive && (!same_invocation || h.invocation == current().invocation);
        });
      };
      auto found = match(true);
      if (found == holders.end()) {
        found = match(false);
      }
      if (found != holders.end()) {
        holders.erase(found);
        if (holders.empty()) {
          locks.erase(held);
        }
        return;
      }
    }
    fault(call, "notLocked", {{"key", key}, {"mode", exclusive ? "write" : "read"}});
  }
};

NativeHost::NativeHost() : impl_(std::make_unique<Impl>()) {}
NativeHost::~NativeHost() = default;

void NativeHost::reset() { impl_->reset(); }
void NativeHost::register_function(std::string name, Function function) {
  impl_->registry[std::move(name)] = std::move(function);
}
void NativeHost::set_chain_execution(ChainExecution execution) { impl_->execution = execution; }
void NativeHost::set_chain_placement(ChainPlacement placement) { impl_->placement = placement; }
void NativeHost::set_failed_output(FailedOutput failed_output) { impl_->failed_output = failed_output; }
void NativeHost::set_conf_flag(std::string name, unsigned value) { impl_->conf_flags[std::move(name)] = value; }

void NativeHost::set_input(Input input) { impl_->stack.front().input = std::move(input.bytes); }
const Bytes& NativeHost::output() const { return impl_->stack.front().output; }
std::string_view NativeHost::output_text() const { return as_chars(output()); }

Invocation NativeHost::invoke(const Function& function, Input input) {
  return impl_->run(function, std::move(input.bytes), impl_->current().host);
}
Invocation NativeHost::invoke(std::string_view name, Input input) {
  return impl_->invoke_name(name, std::move(input.bytes), impl_->current().host);
}
int NativeHost::run_zygote() { return _faasm_zygote(); }
void NativeHost::run_pending() { impl_->run_pending(); }
const std::vector<ChainedCall>& NativeHost::chained_calls() const { return impl_->calls; }

std::optional<Bytes> NativeHost::global_value(std::string_view key) const {
  const auto found = impl_->global.values.find(key);
  return found == impl_->global.values.end() ? std::nullopt : std::optional<Bytes>(found->second);
}
void NativeHost::set_global_value(std::string_view key, Input value) {
  impl_->global.values[std::string(key)] = std::move(value.bytes);
}
std::vector<Bytes> NativeHost::global_appended(std::string_view key) const {
  const auto found = impl_->appended.find(key);
  return found == impl_->appended.end() ? std::vector<Bytes>{} : found->second;
}
std::size_t NativeHost::push_count(std::string_view key) const {
  const auto found = impl_->global.pushes.find(key);
  return found == impl_->global.pushes.end() ? 0 : found->second;
}

std::optional<Bytes> NativeHost::local_value(std::string_view key) const {
  std::optional<Bytes> bytes;
  impl_->tier().visit(
      key, [&](const Impl::LocalValue& value) { bytes.emplace(value.data.get(), value.data.get() + value.size); });
  return bytes;
}
bool NativeHost::local_dirty(std::string_view key) const {
  bool dirty = false;
  impl_->tier().visit(key, [&](const Impl::LocalValue& value) { dirty = value.dirty; });
  return dirty;
}
void NativeHost::move_to_new_host() { impl_->stack.front().host = impl_->new_host(); }
std::size_t NativeHost::current_host() const { return impl_->stack.back().host; }

const std::vector<std::string>& NativeHost::faults() const { return impl_->faults; }
const std::vector<std::string>& NativeHost::warnings() const { return impl_->warnings; }

NativeHost& host() {
  static NativeHost instance;
  return instance;
}

namespace detail {
inline NativeHost::Impl& abi() { return host().impl(); }
}  // namespace detail

}  // namespace faasmjs::testing

extern "C" {

long __faasm_read_input(unsigned char* buffer, long bufferLen) {
  return faasmjs::testing::detail::abi().read_input(buffer, bufferLen);
}

void __faasm_write_output(const char* output, long outputLen) {
  faasmjs::testing::detail::abi().write_output(output, outputLen);
}

unsigned int __faasm_chain_name(const char* name, const unsigned char* inputData, long inputDataSize) {
  auto& abi = faasmjs::testing::detail::abi();
  if (name == nullptr || *name == '\0') {
    abi.fault("chain_name", "emptyName");
  }
  return abi.chain(nullptr, name, inputData, inputDataSize);
}

unsigned int __faasm_chain_ptr(int (*funcPtr)(), const unsigned char* inputData, long inputDataSize) {
  auto& abi = faasmjs::testing::detail::abi();
  if (funcPtr == nullptr) {
    abi.fault("chain_ptr", "nullFunctionPointer");
  }
  return abi.chain(faasmjs::testing::Function(funcPtr), "function pointer", inputData, inputDataSize);
}

int __faasm_await_call(unsigned int messageId) {
  const faasmjs::testing::ChainedCall* call = faasmjs::testing::detail::abi().awaited(messageId);
  return call == nullptr ? 1 : call->result.return_value;
}

int __faasm_await_call_output(unsigned int messageId, char** output, int* outputLen) {
  auto& abi = faasmjs::testing::detail::abi();
  if (output == nullptr || outputLen == nullptr) {
    abi.fault("await_call_output", "nullBuffer",
              {{"what", "output pointer"}, {"length", std::to_string(sizeof(char*))}});
  }
  const faasmjs::testing::ChainedCall* call = abi.awaited(messageId);
  const faasmjs::Bytes empty;
  const faasmjs::Bytes& bytes = call == nullptr ? empty : call->result.output;
  // The host allocates in the guest with its malloc; the caller frees.
  *output = static_cast<char*>(std::malloc(bytes.empty() ? 1 : bytes.size()));
  if (*output == nullptr) {
    abi.fault("await_call_output", "mallocFailed", {{"size", std::to_string(bytes.size())}});
  }
  std::copy(bytes.begin(), bytes.end(), *output);
  *outputLen = static_cast<int>(bytes.size());
  return call == nullptr ? 1 : call->result.return_value;
}

long __faasm_read_state(const char* key, unsigned char* buffer, long bufferLen) {
  return faasmjs::testing::detail::abi().read_state(key, buffer, bufferLen);
}

unsigned char* __faasm_read_state_ptr(const char* key, long totalLen) {
  return faasmjs::testing::detail::abi().read_state_ptr(key, totalLen);
}

void __faasm_read_state_offset(const char* key, long totalLen, long offset, unsigned char* buffer, long bufferLen) {
  faasmjs::testing::detail::abi().read_state_offset(key, totalLen, offset, buffer, bufferLen);
}

unsigned char* __faasm_read_state_offset_ptr(const char* key, long totalLen, long offset, long len) {
  return faasmjs::testing::detail::abi().read_state_offset_ptr(key, totalLen, offset, len);
}

void __faasm_write_state(const char* key, const unsigned char* data, long dataLen) {
  faasmjs::testing::detail::abi().write_state(key, data, dataLen);
}

void __faasm_write_state_offset(const char* key, long totalLen, long offset, const unsigned char* data, long dataLen) {
  faasmjs::testing::detail::abi().write_state_offset(key, totalLen, offset, data, dataLen);
}

unsigned int __faasm_write_state_from_file(const char* key, const char* filePath) {
  return faasmjs::testing::detail::abi().write_state_from_file(key, filePath);
}

void __faasm_flag_state_dirty(const char* key, long totalLen) {
  faasmjs::testing::detail::abi().flag_dirty(key, totalLen, 0, totalLen, "flag_state_dirty");
}

void __faasm_flag_state_offset_dirty(const char* key, long totalLen, long offset, long len) {
  faasmjs::testing::detail::abi().flag_dirty(key, totalLen, offset, len, "flag_state_offset_dirty");
}

void __faasm_push_state(const char* key) { faasmjs::testing::detail::abi().push_state(key); }

void __faasm_push_state_partial(const char* key) { faasmjs::testing::detail::abi().push_state_partial(key); }

void __faasm_push_state_partial_mask(const char* key, const char* maskKey) {
  faasmjs::testing::detail::abi().push_state_partial_mask(key, maskKey);
}

void __faasm_pull_state(const char* key, long stateLen) { faasmjs::testing::detail::abi().pull_state(key, stateLen); }

void __faasm_append_state(const char* key, const unsigned char* data, long dataLen) {
  faasmjs::testing::detail::abi().append_state(key, data, dataLen);
}

void __faasm_read_appended_state(const char* key, unsigned char* data, long dataLen, long nElems) {
  faasmjs::testing::detail::abi().read_appended_state(key, data, dataLen, nElems);
}

void __faasm_clear_appended_state(const char* key) { faasmjs::testing::detail::abi().clear_appended_state(key); }

void __faasm_lock_state_read(const char* key) { faasmjs::testing::detail::abi().lock(key, false); }

void __faasm_unlock_state_read(const char* key) { faasmjs::testing::detail::abi().unlock(key, false); }

void __faasm_lock_state_write(const char* key) { faasmjs::testing::detail::abi().lock(key, true); }

void __faasm_unlock_state_write(const char* key) { faasmjs::testing::detail::abi().unlock(key, true); }

unsigned int __faasm_conf_flag(const char* key) {
  const std::string_view name = key == nullptr ? "" : key;
  if (name == "ALWAYS_ON") {
    return 1;
  }
  const auto& flags = faasmjs::testing::detail::abi().conf_flags;
  const auto found = flags.find(name);
  return found == flags.end() ? 0 : found->second;
}

void __faasm_backtrace(int depth) { (void)depth; }

// Faasm's hook (faasm src/wasm/host_interface_test.cpp): test 1 throws from the host, as a migrated call does;
// every other number is an unrecognised test, which throws too. Either way the call fails.
void __faasm_host_interface_test(int testNum) {
  auto& abi = faasmjs::testing::detail::abi();
  if (testNum == 1) {
    abi.fault("host_interface_test", "exceptionPropagation");
  }
  abi.fault("host_interface_test", "unknownHostInterfaceTest", {{"test", std::to_string(testNum)}});
}

}  // extern "C"

#endif  // FAASMJS_NATIVE_HOST_IMPLEMENT

#endif  // FAASMJS_TESTING_NATIVE_HOST_HPP
