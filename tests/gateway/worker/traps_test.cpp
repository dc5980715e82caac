// Traps, exits and limits: each ends its call with the right status and a clear error, and the worker goes on.
#include <doctest/doctest.h>

#include "probe_module.hpp"
#include "test_support.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

TEST_SUITE("worker.traps") {
  TEST_CASE("each trap is reported by name and backtrace, with return value 1, and the next call runs") {
    WorkerHarness worker(worker_binary());
    // The backtrace as the browser words it (sdk/js/backtrace.js), on both tiers: explicit traps, the
    // out-of-bounds accesses the signal handler catches and the exhausted stack alike.
    const std::string in_start = "\n    at _start";
    const std::string in_recursion = "\n    at recurse\n    at recurse\n    at recurse";
    const struct {
      const char* input;
      std::string error;
    } cases[] = {
        {"u", "t trapped: unreachable" + in_start},
        {"o", "t trapped: memory access out of bounds" + in_start},
        {"d", "t trapped: memory access out of bounds" + in_start},
        {"w", "t trapped: memory access out of bounds" + in_start},
        {"q", "t trapped: memory access out of bounds" + in_start},
        {"z", "t trapped: divide by zero" + in_start},
        {"v", "t trapped: integer overflow (divide result or float unrepresentable)" + in_start},
        {"s", "t trapped: call stack exhausted" + in_recursion},
        {"i", "t trapped: null function or function signature mismatch" + in_start},
    };
    for (const auto& c : cases) {
      const std::string input = c.input;
      CAPTURE(input);
      const auto result = worker.run(request(probe_module(), "t", c.input));
      CHECK(result.status == CallStatus::Trapped);
      CHECK(result.return_value == 1);
      if (c.error.ends_with(in_recursion)) {
        CHECK(result.error.starts_with(c.error));
        std::size_t frames = 0;
        for (auto at = result.error.find("\n    at "); at != std::string::npos;
             at = result.error.find("\n    at ", at + 1)) {
          ++frames;
        }
        CHECK(frames == 32);  // the innermost ones, at most 32
      } else {
        CHECK(result.error == c.error);
      }
      CHECK(text(worker.run(request(probe_module(), "t", "f")).output) == "11");
    }
  }

  TEST_CASE("an unused out-of-bounds load still traps (the C compiler is made to keep it)") {
    WorkerHarness worker(worker_binary());
    for (const std::string input : {"d", "e", "g", "c"}) {
      CAPTURE(input);
      const auto result = worker.run(request(probe_module(), "t", input));
      CHECK(result.status == CallStatus::Trapped);
      CHECK(result.error == "t trapped: memory access out of bounds\n    at _start");
    }
  }

  TEST_CASE("proc_exit(n) is return value n, Finished; non-zero reads as the browser's error") {
    WorkerHarness worker(worker_binary());
    auto result = worker.run(request(probe_module(), "t", "x0"));
    CHECK(result.status == CallStatus::Finished);
    CHECK(result.return_value == 0);
    CHECK(result.error == "");
    result = worker.run(request(probe_module(), "t", "x7"));
    CHECK(result.status == CallStatus::Finished);
    CHECK(result.return_value == 7);
    CHECK(result.error == "t returned 7");
  }

  TEST_CASE("a memory bomb ends at the call's memory limit as MemoryExceeded; without a bomb the limit is unseen") {
    WorkerHarness worker(worker_binary());
    auto bomb = request(probe_module(), "t", "b");
    bomb.memory_limit_bytes = 64ull << 20;
    auto result = worker.run(bomb);
    CHECK(result.status == CallStatus::MemoryExceeded);
    CHECK(result.return_value == 1);
    CHECK(result.error == "t exceeded its memory limit of 64 MiB (then trapped: unreachable)\n    at _start");

    auto fine = request(probe_module(), "t", "f");
    fine.memory_limit_bytes = 64ull << 20;
    result = worker.run(fine);
    CHECK(result.status == CallStatus::Finished);
    CHECK(text(result.output) == "11");

    // A C++ function: malloc fails at the limit, the function traps, the limit is named.
    const auto runaway = compiled(clang_function("tests/gateway/functions", "runaway"));
    auto cxx_bomb = request(runaway, "runaway", "memory");
    cxx_bomb.memory_limit_bytes = 32ull << 20;
    result = worker.run(cxx_bomb);
    CHECK(result.status == CallStatus::MemoryExceeded);
    CHECK(result.error.starts_with("runaway exceeded its memory limit of 32 MiB (then trapped: "));
    // Its frames live on clang's shadow stack in linear memory, which runs out first (below address 0): an
    // out-of-bounds access, as in the browser. The probe module's recursion ("s") exhausts the native stack.
    result = worker.run(request(runaway, "runaway", "stack"));
    CHECK(result.status == CallStatus::Trapped);
    CHECK(
        result.error.starts_with("runaway trapped: memory access out of bounds\n"
                                 "    at (anonymous namespace)::recurse(unsigned int)\n"
                                 "    at (anonymous namespace)::recurse(unsigned int)\n"));
    CHECK(text(worker.run(request(runaway, "runaway", "ok")).output) == "ok");
  }

  TEST_CASE("a call by pointer enters the table entry with its argument parsed from the input") {
    WorkerHarness worker(worker_binary());
    auto doubled = request(probe_module(), "t", "21");
    doubled.func_ptr = 2;
    auto result = worker.run(doubled);
    CHECK(result.status == CallStatus::Finished);
    CHECK(result.return_value == 42);

    doubled.input = {'x'};
    result = worker.run(doubled);
    CHECK(result.status == CallStatus::Failed);
    CHECK(result.error == "t: invalid_argument: stoi('x') found no number");

    auto two_args = request(probe_module(), "t");
    two_args.func_ptr = 1;
    result = worker.run(two_args);
    CHECK(result.status == CallStatus::Failed);
    CHECK(result.error.starts_with("t: function pointer 1 has a type a chained function cannot have"));

    two_args.func_ptr = 9;
    CHECK(worker.run(two_args).error == "t: function pointer 9 names no function (the table has 3 entries)");
  }
}
