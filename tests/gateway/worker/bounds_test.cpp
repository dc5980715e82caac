// Limits and bounds the host side keeps whatever a module declares or passes: its initial memory and its
// tables count against the call's memory limit, a table grows only within it, poll_oneoff's subscription
// count cannot wrap its bounds check, and a function table that holds no functions is refused at upload.
#include <doctest/doctest.h>

#include <cstring>

#include "test_support.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

namespace {

// A module whose _start runs `body` and writes the 4 bytes at address 100 as its output.
std::vector<std::uint8_t> module_with(const std::string& declarations, const std::string& body) {
  return wat(R"((module
    (import "env" "__faasm_write_output" (func $write_output (param i32 i32)))
    (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
    )" + declarations +
             R"(
    (func (export "malloc") (param i32) (result i32) (i32.const 4096))
    (func (export "_start") )" +
             body + R"(
      (call $write_output (i32.const 100) (i32.const 4))))
  )");
}

std::int32_t output_i32(const worker::RunResult& result) {
  REQUIRE(result.output.size() == 4);
  std::int32_t value;
  std::memcpy(&value, result.output.data(), 4);
  return value;
}

worker::RunRequest limited(const fs::path& module, const std::string& name, std::uint64_t limit_mib) {
  auto run = request(module, name);
  run.memory_limit_bytes = limit_mib << 20;
  return run;
}

}  // namespace

TEST_SUITE("worker.bounds") {
  TEST_CASE("the memory limit reaches Faasm's maximum, 4 GiB - 64 KiB: 65535 pages, not one more") {
    // Grows from 1 page to 65535, then by one more page; the output is the two results of memory.grow.
    const auto grower = compiled_bytes(wat(R"((module
      (import "env" "__faasm_write_output" (func $write_output (param i32 i32)))
      (memory (export "memory") 1)
      (func (export "malloc") (param i32) (result i32) (i32.const 4096))
      (func (export "_start")
        (i32.store (i32.const 100) (memory.grow (i32.const 65534)))
        (i32.store (i32.const 104) (memory.grow (i32.const 1)))
        (call $write_output (i32.const 100) (i32.const 8))))
    )"),
                                       "the growing module");
    WorkerHarness worker(worker_binary());
    auto run = request(grower, "grower");
    run.memory_limit_bytes = kMaxCallMemoryBytes;
    auto result = worker.run(run);
    REQUIRE(result.status == CallStatus::Finished);
    REQUIRE(result.output.size() == 8);
    std::int32_t grown[2];
    std::memcpy(grown, result.output.data(), 8);
    CHECK(grown[0] == 1);
    CHECK(grown[1] == -1);
    // One page under Faasm's maximum (4095 MiB is 65520 pages), the first grow is refused already.
    result = worker.run(limited(grower, "grower", 4095));
    REQUIRE(result.output.size() == 8);
    std::memcpy(grown, result.output.data(), 8);
    CHECK(grown[0] == -1);
  }

  TEST_CASE("a module whose initial memory exceeds the call's memory limit is refused, naming the limit") {
    // 39,322 pages: 2.4 GiB.
    const auto big = compiled_bytes(module_with(R"((memory (export "memory") 39322))", ""), "the big memory module");
    WorkerHarness worker(worker_binary());
    auto result = worker.run(limited(big, "big", 1024));
    CHECK(result.status == CallStatus::MemoryExceeded);
    CHECK(result.return_value == 1);
    CHECK(result.error ==
          "big needs 2457 MiB of memory and tables from the start, more than the memory limit of "
          "1024 MiB per call");
    // Under a limit it fits, it runs.
    result = worker.run(limited(big, "big", 3072));
    CHECK(result.status == CallStatus::Finished);
    CHECK(output_i32(result) == 0);
  }

  TEST_CASE("tables count against the memory limit, at instantiation and when they grow") {
    // 50,000,000 entries of wasm2c's 24-byte funcref: 1144 MiB.
    const auto big_table = compiled_bytes(module_with(R"((memory (export "memory") 1) (table 50000000 funcref))", ""),
                                          "the big table module");
    WorkerHarness worker(worker_binary());
    auto result = worker.run(limited(big_table, "tables", 1024));
    CHECK(result.status == CallStatus::MemoryExceeded);
    CHECK(result.error ==
          "tables needs 1144 MiB of memory and tables from the start, more than the memory limit of "
          "1024 MiB per call");

    // table.grow past the limit fails as at a maximum (-1); within it, it grows (returning the old size).
    auto growing = [](int entries) {
      return compiled_bytes(module_with(R"((memory (export "memory") 1) (table $t 1 funcref))",
                                        "(i32.store (i32.const 100) (table.grow $t (ref.null func) (i32.const " +
                                            std::to_string(entries) + ")))"),
                            "a growing table module");
    };
    // 20,000,000 entries: 457 MiB.
    result = worker.run(limited(growing(20'000'000), "grow", 256));
    CHECK(result.status == CallStatus::Finished);
    CHECK(output_i32(result) == -1);
    result = worker.run(limited(growing(1000), "grow", 256));
    CHECK(output_i32(result) == 1);
  }

  TEST_CASE("poll_oneoff with a subscription count whose size wraps in 32 bits is EFAULT, not a trap") {
    // 268,435,456 subscriptions of 48 bytes and events of 32 bytes are 0 bytes each, modulo 2^32.
    const auto module = compiled_bytes(
        module_with(R"((memory (export "memory") 1))",
                    "(i32.store (i32.const 100) (call $poll (i32.const 0) (i32.const 0) (i32.const 268435456) "
                    "(i32.const 200)))"),
        "the poll_oneoff module");
    WorkerHarness worker(worker_binary());
    const auto result = worker.run(request(module, "poll"));
    CHECK(result.status == CallStatus::Finished);
    CHECK(result.error == "");
    CHECK(output_i32(result) == 21);  // WASI's EFAULT
  }

  TEST_CASE("a function table of externref is refused at upload, in one line") {
    const auto refused = compiler().compile(
        module_with(R"((memory (export "memory") 1) (table (export "__indirect_function_table") 2 externref))", ""));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::BadWasm);
    CHECK(
        refused.error().message ==
        "exports __indirect_function_table as a table of externref: the function table must hold functions (funcref)");
  }
}
