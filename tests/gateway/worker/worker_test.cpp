// faasmjs-worker and the AOT compiler, with real binaries: the example and test functions built by the wasm
// sub-build, compiled by the real compiler, run by a real worker process over the real protocol. The harness
// plays the gateway's slot; the cluster's own tests (tests/gateway/cluster) cover host calls end to end.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <fstream>
#include <future>
#include <iterator>
#include <thread>

#include "aot/aot_compiler.h"
#include "common/sha256.h"
#include "worker_harness.hpp"

namespace fs = std::filesystem;
using namespace faasmjs::gateway;
using faasmjs::gateway::testing::WorkerHarness;
using faasmjs::gateway::testing::env_path;

namespace {

std::vector<std::uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

aot::Compiler& compiler() {
  static auto instance = aot::Compiler::create({env_path("FAASMJS_TEST_CACHE")});
  REQUIRE(instance.has_value());
  return **instance;
}

fs::path compiled(const fs::path& wasm) {
  auto module = compiler().compile(read_file(wasm));
  if (!module) FAIL(wasm.string(), ": ", module.error().message);
  return module->shared_object;
}

fs::path function(const std::string& folder, const std::string& name) {
  return env_path("FAASMJS_WASM_DIR") / folder / (name + ".wasm");
}

std::string text(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

worker::RunRequest request(const fs::path& module, const std::string& name, const std::string& input = "") {
  worker::RunRequest run;
  run.shared_object = module;
  run.function = name;
  run.user = "test";
  run.input.assign(input.begin(), input.end());
  return run;
}

std::vector<std::uint8_t> wat(const std::string& source) {
  const fs::path dir = fs::temp_directory_path() / ("faasmjs-wat-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "m.wat") << source;
  const std::string command = "wat2wasm --enable-all " + (dir / "m.wat").string() + " -o " + (dir / "m.wasm").string();
  REQUIRE(std::system(command.c_str()) == 0);
  auto bytes = read_file(dir / "m.wasm");
  fs::remove_all(dir);
  return bytes;
}

const std::string kWorker = [] { return env_path("FAASMJS_WORKER").string(); }();

}  // namespace

TEST_SUITE("worker") {
  TEST_CASE("runs the examples' plain binaries as the browser does") {
    WorkerHarness worker(kWorker);
    const auto hello = compiled(function("examples/functions", "hello"));
    auto result = worker.run(request(hello, "hello"));
    CHECK(result.return_value == 0);
    CHECK(result.status == CallStatus::Finished);
    CHECK(text(result.output) == "Hello Faasm!");
    CHECK(text(worker.run(request(hello, "hello", "Ada")).output) == "Hello Ada!");

    const auto echo = compiled(function("examples/functions", "echo"));
    CHECK(text(worker.run(request(echo, "echo")).output) == "Nothing to echo");
    const std::string binary("\x00\x01\xff\x7f bytes", 10);
    CHECK(text(worker.run(request(echo, "echo", binary)).output) == binary);
  }

  TEST_CASE("enters like Faasm: argv, environment, stdout, proc_exit, return values") {
    WorkerHarness worker(kWorker);
    const auto probe = compiled(function("tests/js/runtime/functions", "probe"));
    auto argv = request(probe, "probe", "argv");
    argv.cmdline = "alpha beta";
    auto result = worker.run(argv);
    CHECK(text(result.output) == "function.wasm alpha beta 0");
    CHECK(result.stdout_text == "hello stdout\n");

    result = worker.run(request(probe, "probe", "exit"));
    CHECK(result.return_value == 7);
    CHECK(result.status == CallStatus::Finished);
    result = worker.run(request(probe, "probe", "return"));
    CHECK(result.return_value == 3);
    CHECK(result.error == "probe returned 3: returning 3");
  }

  TEST_CASE("a trap or a host fault ends the call with a clear error, and the worker goes on") {
    WorkerHarness worker(kWorker);
    const auto probe = compiled(function("tests/js/runtime/functions", "probe"));
    const struct {
      const char* input;
      const char* error;
    } cases[] = {
        {"trap", "probe trapped: "},
        {"throw", "probe: host fault in __cxa_throw: C++ exceptions are not supported"},
        {"bad_pointer", "probe: host fault in read_input: input buffer ["},
        {"empty_key", "probe: host fault in read_state: empty state key"},
        {"bad_chain_ptr", "probe: host fault in chain_ptr: function pointer "},
    };
    for (const auto& c : cases) {
      CAPTURE(c.input);
      const auto result = worker.run(request(probe, "probe", c.input));
      CHECK(result.return_value == 1);
      CHECK(result.status == CallStatus::Trapped);
      CHECK(result.error.starts_with(c.error));
    }
    const auto hello = compiled(function("examples/functions", "hello"));
    CHECK(text(worker.run(request(hello, "hello")).output) == "Hello Faasm!");
  }

  TEST_CASE("host calls go to the gateway; a refused one is a fault naming the call") {
    WorkerHarness worker(kWorker);
    const auto probe = compiled(function("tests/js/runtime/functions", "probe"));
    std::vector<std::string> asked;
    auto answer = [&](worker::HostCall kind, ByteReader& in, ByteWriter& out) {
      const std::string key = in.str();
      asked.push_back(std::to_string(static_cast<int>(kind)) + ":" + key);
      out.u8(1);
      if (kind == worker::HostCall::StateSize) out.u32(0);
      if (kind == worker::HostCall::StateRead) out.bytes(std::vector<std::uint8_t>(in.u32(), 0));
    };
    auto result = worker.run(request(probe, "probe", "state_size"), answer);
    CHECK(text(result.output) == "0 4 0000");
    CHECK(asked == std::vector<std::string>{"10:probe_missing", "11:probe_missing"});

    result = worker.run(request(probe, "probe", "state_size"));
    CHECK(result.return_value == 1);
    CHECK(result.error == "probe: host fault in read_state: no host calls in this test");
  }

  TEST_CASE("limits: a memory bomb ends at the call's memory limit, unbounded recursion traps") {
    WorkerHarness worker(kWorker);
    const auto runaway = compiled(function("tests/gateway/functions", "runaway"));
    auto bomb = request(runaway, "runaway", "memory");
    bomb.memory_limit_bytes = 64ull << 20;
    auto result = worker.run(bomb);
    CHECK(result.return_value == 1);
    CHECK(result.status == CallStatus::MemoryExceeded);
    CHECK(result.error.starts_with("runaway exceeded its memory limit of 64 MiB"));

    result = worker.run(request(runaway, "runaway", "stack"));
    CHECK(result.return_value == 1);
    CHECK(result.status == CallStatus::Trapped);

    CHECK(text(worker.run(request(runaway, "runaway", "ok")).output) == "ok");
  }

  TEST_CASE("every call gets a fresh instance, and a thousand calls do not grow the process") {
    WorkerHarness worker(kWorker);
    const auto ctor_once = compiled(function("tests/toolchain/functions", "ctor_once"));
    const auto first = text(worker.run(request(ctor_once, "ctor_once")).output);
    CHECK(text(worker.run(request(ctor_once, "ctor_once")).output) == first);

    const auto echo = compiled(function("examples/functions", "echo"));
    auto resident = [&] {
      std::ifstream statm("/proc/" + std::to_string(worker.pid()) + "/statm");
      long size = 0, pages = 0;
      statm >> size >> pages;
      return pages * sysconf(_SC_PAGESIZE);
    };
    for (int i = 0; i < 50; ++i) worker.run(request(echo, "echo", "warm"));
    const long before = resident();
    for (int i = 0; i < 1000; ++i) {
      const auto result = worker.run(request(echo, "echo", std::to_string(i)));
      REQUIRE(text(result.output) == std::to_string(i));
    }
    CHECK(resident() - before < (16l << 20));
  }
}

TEST_SUITE("aot") {
  TEST_CASE("compiles once per binary; later compiles come from the cache, also when concurrent") {
    const auto bytes = read_file(function("examples/functions", "hello"));
    auto first = compiler().compile(bytes);
    REQUIRE(first.has_value());
    auto again = compiler().compile(bytes);
    REQUIRE(again.has_value());
    CHECK(again->cached);
    CHECK(again->shared_object == first->shared_object);
    CHECK(again->sha256 == sha256_hex(bytes));

    auto fresh = aot::Compiler::create({fs::temp_directory_path() / ("faasmjs-aot-" + std::to_string(getpid()))});
    REQUIRE(fresh.has_value());
    const auto noop = read_file(function("tests/gateway/functions", "noop"));
    std::vector<std::future<Expected<aot::CompiledModule>>> results;
    for (int i = 0; i < 4; ++i) results.push_back(std::async(std::launch::async, [&] { return (*fresh)->compile(noop); }));
    int built = 0;
    for (auto& result : results) {
      auto module = result.get();
      REQUIRE(module.has_value());
      built += module->cached ? 0 : 1;
    }
    CHECK(built == 1);
    fs::remove_all(fs::temp_directory_path() / ("faasmjs-aot-" + std::to_string(getpid())));
  }

  TEST_CASE("refuses bad binaries with one line saying why") {
    auto refused = [](const std::vector<std::uint8_t>& bytes) {
      auto module = compiler().compile(bytes);
      REQUIRE_FALSE(module.has_value());
      CHECK(module.error().code == ErrorCode::BadWasm);
      CHECK(module.error().message.find('\n') == std::string::npos);
      return module.error().message;
    };
    CHECK(refused({1, 2, 3}).starts_with("not a wasm binary"));
    CHECK(refused(std::vector<std::uint8_t>(64, 0x61)).starts_with("not a valid wasm binary"));
    auto hello = read_file(function("examples/functions", "hello"));
    hello.resize(hello.size() / 2);
    CHECK(refused(hello).starts_with("not a valid wasm binary"));

    const std::string exports = R"((memory (export "memory") 1)
      (func (export "malloc") (param i32) (result i32) i32.const 0)
      (func (export "_start")))";
    CHECK(refused(wat("(module " + exports + R"( (func (result v128) v128.const i64x2 0 0)))"))
              .find("SIMD") != std::string::npos);
    CHECK(refused(wat(R"((module (import "env" "nope" (func)) )" + exports + ")")) ==
          "imports env.nope, which the cluster does not provide");
    CHECK(refused(wat(R"((module (import "env" "__faasm_read_input" (func (param i32))) )" + exports + ")")) ==
          "imports env.__faasm_read_input as (i:), but the cluster provides it as (ii:i)");
    CHECK(refused(wat(R"((module (memory (export "memory") 1)
      (func (export "malloc") (param i32) (result i32) i32.const 0)))")) ==
          "exports no _start function: not a Faasm function");
  }
}
