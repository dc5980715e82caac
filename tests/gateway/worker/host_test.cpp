// The host interface seen from a guest: argv and environment as the browser gives them, guest pointers
// checked with the browser's fault wording, host calls sent to the gateway and their refusals, and
// await_call_output's buffer from the guest's own malloc.
#include <doctest/doctest.h>

#include "probe_module.hpp"
#include "test_support.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

namespace {

const fs::path& cxx_probe() {
  static const fs::path module = compiled(clang_function("tests/js/runtime/functions", "probe"));
  return module;
}

}  // namespace

TEST_SUITE("worker.host") {
  TEST_CASE("enters like Faasm and the browser: argv, stdout, proc_exit, return values") {
    WorkerHarness worker(worker_binary());
    auto argv = request(cxx_probe(), "probe", "argv");
    argv.cmdline = "alpha beta";
    auto result = worker.run(argv);
    CHECK(text(result.output) == "function.wasm alpha beta 0");
    CHECK(result.stdout_text == "hello stdout\n");

    result = worker.run(request(cxx_probe(), "probe", "exit"));
    CHECK(result.return_value == 7);
    CHECK(result.status == CallStatus::Finished);
    result = worker.run(request(cxx_probe(), "probe", "return"));
    CHECK(result.return_value == 3);
    CHECK(result.error == "probe returned 3: returning 3");
  }

  TEST_CASE("a misused import is a host fault worded as the browser words it") {
    WorkerHarness worker(worker_binary());
    const struct {
      const char* input;
      const char* error;
    } cases[] = {
        {"throw",
         "probe: host fault in __cxa_throw: C++ exceptions are not supported in Faasm functions "
         "(build without throw: errors are values)"},
        {"bad_pointer", "probe: host fault in read_input: input buffer ["},
        {"empty_key", "probe: host fault in read_state: empty state key"},
        {"bad_chain_ptr", "probe: host fault in chain_ptr: function pointer "},
    };
    for (const auto& c : cases) {
      const std::string input = c.input;
      CAPTURE(input);
      const auto result = worker.run(request(cxx_probe(), "probe", c.input));
      CHECK(result.return_value == 1);
      CHECK(result.status == CallStatus::Trapped);
      CHECK(result.error.starts_with(c.error));
    }
    const auto result = worker.run(request(probe_module(), "t", "p"));
    CHECK(result.status == CallStatus::Trapped);
    CHECK(result.error ==
          "t: host fault in write_output: output [4294967280, +32) lies outside the guest's 65536 bytes of memory\n"
          "    at _start");
  }

  TEST_CASE("host calls go to the gateway; a refused one (REPLY ok = 0) is a fault naming the call") {
    WorkerHarness worker(worker_binary());
    std::vector<std::string> asked;
    auto answer = [&](worker::HostCall kind, ByteReader& in, ByteWriter& out) {
      const std::string key = in.str();
      asked.push_back(std::to_string(static_cast<int>(kind)) + ":" + key);
      out.u8(1);
      if (kind == worker::HostCall::StateSize) out.u32(0);
      if (kind == worker::HostCall::StateRead) out.bytes(std::vector<std::uint8_t>(in.u32(), 0));
    };
    auto result = worker.run(request(cxx_probe(), "probe", "state_size"), answer);
    CHECK(text(result.output) == "0 4 0000");
    CHECK(asked == std::vector<std::string>{"10:probe_missing", "11:probe_missing"});

    result = worker.run(request(probe_module(), "t", "r"));
    CHECK(result.return_value == 1);
    CHECK(result.status == CallStatus::Trapped);
    CHECK(result.error == "t: host fault in read_state: no host calls in this test\n    at _start");
    CHECK(text(worker.run(request(probe_module(), "t", "f")).output) == "11");
  }

  TEST_CASE("await_call_output hands the output over in the guest's own malloc; a trap in that malloc is the call's") {
    WorkerHarness worker(worker_binary());
    auto answer = [](worker::HostCall kind, ByteReader& in, ByteWriter& out) {
      REQUIRE(kind == worker::HostCall::Await);
      CHECK(in.u32() == 5);
      CHECK(in.u8() == 1);
      out.u8(1);
      out.i32(0);
      out.bytes(std::string("chained output"));
      out.u32(0);
    };
    auto result = worker.run(request(probe_module(), "t", "a"), answer);
    CHECK(result.status == CallStatus::Finished);
    CHECK(text(result.output) == "chained output");

    result = worker.run(request(probe_module(), "t", "a!"), answer);
    CHECK(result.status == CallStatus::Trapped);
    CHECK(result.error.starts_with("t trapped: unreachable\n    at malloc"));
    CHECK(text(worker.run(request(probe_module(), "t", "a"), answer).output) == "chained output");
  }

  TEST_CASE("an Await's REPLY passes on other finished calls: awaiting one with its output asks the gateway nothing") {
    WorkerHarness worker(worker_binary());
    std::vector<std::uint32_t> asked;
    auto answer = [&](bool six_with_output) {
      return [&, six_with_output](worker::HostCall kind, ByteReader& in, ByteWriter& out) {
        REQUIRE(kind == worker::HostCall::Await);
        const std::uint32_t id = in.u32();
        asked.push_back(id);
        CHECK(in.u8() == 1);
        out.u8(1);
        out.i32(0);
        out.bytes(std::string(id == 5 ? "five" : "six asked"));
        if (id == 5) {
          out.u32(1);
          worker::write_finished(
              out, {6, 0, six_with_output ? std::optional(std::vector<std::uint8_t>{'s', 'i', 'x'}) : std::nullopt});
        } else {
          out.u32(0);
        }
      };
    };
    auto result = worker.run(request(probe_module(), "t", "A"), answer(true));
    CHECK(text(result.output) == "six");
    CHECK(asked == std::vector<std::uint32_t>{5});
    // Passed on without its output (too large to pass), call 6 is awaited from the gateway.
    asked.clear();
    result = worker.run(request(probe_module(), "t", "A"), answer(false));
    CHECK(text(result.output) == "six asked");
    CHECK(asked == std::vector<std::uint32_t>{5, 6});
  }

  TEST_CASE("a REPLY whose passed-on calls do not decode ends the worker, not the call's guest") {
    WorkerHarness worker(worker_binary());
    auto answer = [](worker::HostCall, ByteReader&, ByteWriter& out) {
      out.u8(1);
      out.i32(0);
      out.bytes(std::string("five"));
      out.u32(1);
      out.u32(6);
      out.i32(0);
      out.u8(7);  // neither 0 nor 1
    };
    CHECK_THROWS_WITH(worker.run(request(probe_module(), "t", "A"), answer), "the worker died");
  }
}
