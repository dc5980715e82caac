// A worker process over many calls: every call gets a fresh instance, and a thousand calls do not grow it, nor
// forty thousand its address space.
#include <doctest/doctest.h>

#include "probe_module.hpp"
#include "test_support.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

TEST_SUITE("worker.lifecycle") {
  TEST_CASE("every call gets a fresh instance: globals, memory and static constructors start over") {
    WorkerHarness worker(worker_binary());
    const auto& probe = probe_module();
    for (int i = 0; i < 3; ++i) CHECK(text(worker.run(request(probe, "t", "f")).output) == "11");

    const auto ctor_once = compiled(clang_function("tests/toolchain/functions", "ctor_once"));
    const auto first = text(worker.run(request(ctor_once, "ctor_once")).output);
    CHECK(text(worker.run(request(ctor_once, "ctor_once")).output) == first);
  }

  TEST_CASE("a thousand calls in one worker do not grow its memory") {
    WorkerHarness worker(worker_binary());
    const auto echo = compiled(clang_function("examples/functions", "echo"));
    const auto& probe = probe_module();
    auto resident = [&] {
      std::ifstream statm("/proc/" + std::to_string(worker.pid()) + "/statm");
      long size = 0, pages = 0;
      statm >> size >> pages;
      return pages * sysconf(_SC_PAGESIZE);
    };
    for (int i = 0; i < 50; ++i) worker.run(request(echo, "echo", "warm"));
    const long before = resident();
    // Calls that return, trap and exit, so that every way out of a call is repeated.
    for (int i = 0; i < 1000; ++i) {
      if (i % 10 == 1) {
        REQUIRE(worker.run(request(probe, "t", "u")).status == CallStatus::Trapped);
      } else if (i % 10 == 2) {
        REQUIRE(worker.run(request(probe, "t", "x3")).return_value == 3);
      } else {
        const auto result = worker.run(request(echo, "echo", std::to_string(i)));
        REQUIRE(text(result.output) == std::to_string(i));
      }
    }
    const long growth = resident() - before;
    MESSAGE("resident growth over 1000 calls: ", growth / 1024, " KiB");
    CHECK(growth < (8l << 20));
  }

  TEST_CASE("forty thousand calls in one worker leave its address space as it was") {
    // Every instance reserves 8 GiB for its memory: one not given back entirely would be 8 GiB per call, and
    // the address space (RLIMIT_AS, or the machine's 128 TiB) would run out after a few or some 16,000 calls.
    WorkerHarness worker(worker_binary());
    const auto& probe = probe_module();
    auto address_space = [&] {
      std::ifstream statm("/proc/" + std::to_string(worker.pid()) + "/statm");
      long pages = 0;
      statm >> pages;
      return pages * sysconf(_SC_PAGESIZE);
    };
    REQUIRE(text(worker.run(request(probe, "t", "f")).output) == "11");
    const long before = address_space();
    for (int i = 0; i < 40'000; ++i) REQUIRE(text(worker.run(request(probe, "t", "f")).output) == "11");
    const long growth = address_space() - before;
    MESSAGE("address space growth over 40,000 calls: ", growth / 1024, " KiB");
    CHECK(growth < (64l << 20));
  }
}
