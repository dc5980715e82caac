// The AOT compiler: the cache (by content, shared across compiler objects, one build for concurrent
// compiles of the same bytes) and the one-line refusals of binaries it cannot or must not compile.
#include <doctest/doctest.h>

#include <fstream>
#include <future>
#include <regex>
#include <set>

#include "../support/faasm_module_wat.hpp"
#include "aot/module_abi.h"
#include "aot/module_check.h"
#include "common/host_imports.h"
#include "sha256.h"
#include "test_support.hpp"

using faasmjs::sha256_hex;
using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

TEST_SUITE("aot.cache") {
  TEST_CASE("compiles once per binary; later compiles come from the cache, also when concurrent") {
    const auto bytes = read_file(clang_function("examples/functions", "hello"));
    auto first = compiler().compile(bytes);
    REQUIRE(first.has_value());
    auto again = compiler().compile(bytes);
    REQUIRE(again.has_value());
    CHECK(again->cached);
    CHECK(again->compile_ms == 0);
    CHECK(again->shared_object == first->shared_object);
    CHECK(again->sha256 == sha256_hex(bytes));
    CHECK(again->shared_object.filename().string().starts_with(again->sha256 + "-abi"));

    const fs::path dir = fs::temp_directory_path() / ("faasmjs-aot-" + std::to_string(getpid()));
    auto fresh = aot::Compiler::create(compiler_options(dir));
    REQUIRE(fresh.has_value());
    const auto noop = read_file(clang_function("tests/gateway/functions", "noop"));
    std::vector<std::future<Expected<aot::CompiledModule>>> results;
    for (int i = 0; i < 4; ++i)
      results.push_back(std::async(std::launch::async, [&] { return (*fresh)->compile(noop); }));
    int built = 0;
    for (auto& result : results) {
      auto module = result.get();
      REQUIRE(module.has_value());
      built += module->cached ? 0 : 1;
      CHECK(fs::exists(module->shared_object));
    }
    CHECK(built == 1);
    MESSAGE("noop compiled in the fresh cache by one of 4 concurrent compiles");
    // Only the finished module is left: no build directory or half-written file.
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(dir)) left.push_back(entry.path().filename().string());
    CHECK(left == std::vector<std::string>{aot::module_file_name(sha256_hex(noop), aot::Tier::Optimised)});

    // A second compiler on the same cache directory (a gateway restart) compiles nothing.
    auto restarted = aot::Compiler::create(compiler_options(dir));
    REQUIRE(restarted.has_value());
    auto cached = (*restarted)->compile(noop);
    REQUIRE(cached.has_value());
    CHECK(cached->cached);
    fs::remove_all(dir);
  }
}

TEST_SUITE("aot.refusals") {
  TEST_CASE("refuses bad binaries with one line saying why, before any compiler runs") {
    auto refused = [](const std::vector<std::uint8_t>& bytes) {
      auto module = compiler().compile(bytes);
      REQUIRE_FALSE(module.has_value());
      CHECK(module.error().code == ErrorCode::BadWasm);
      CHECK(module.error().message.find('\n') == std::string::npos);
      return module.error().message;
    };
    CHECK(refused({1, 2, 3}) == "not a wasm binary: only 3 bytes");
    CHECK(refused(std::vector<std::uint8_t>(64, 0x61)).starts_with("not a valid wasm binary: "));
    auto hello = read_file(clang_function("examples/functions", "hello"));
    hello.resize(hello.size() / 2);
    CHECK(refused(hello).starts_with("not a valid wasm binary: "));

    CHECK(refused(wat("(module " + kFaasmExports + R"( (func (result v128) v128.const i64x2 0 0)))")) ==
          "uses SIMD, which the cluster's compiler (wasm2c 1.0.32) cannot translate: build it without -msimd128");
    CHECK(refused(wat(R"((module (import "env" "nope" (func)) )" + kFaasmExports + ")")) ==
          "imports env.nope, which the cluster does not provide");
    CHECK(refused(wat(R"((module (import "wasi_unstable" "fd_write" (func)) )" + kFaasmExports + ")")) ==
          "imports wasi_unstable.fd_write, which the cluster does not provide");
    CHECK(refused(wat(R"((module (import "env" "__faasm_read_input" (func (param i32))) )" + kFaasmExports + ")")) ==
          "imports env.__faasm_read_input as (i:), but the cluster provides it as (ii:i)");
    CHECK(refused(wat(R"((module (import "env" "g" (global i32)) )" + kFaasmExports + ")")) ==
          "imports env.g, which is not a function: the cluster provides only functions");
    CHECK(refused(wat(R"((module (memory (export "memory") 1)
      (func (export "malloc") (param i32) (result i32) i32.const 0)))")) ==
          "exports no _start function: not a Faasm function");
    CHECK(refused(wat(R"((module (func (export "malloc") (param i32) (result i32) i32.const 0)
      (func (export "_start"))))")) == "exports no memory: not a Faasm function");
    CHECK(refused(wat(R"((module (memory (export "memory") 1) (func (export "_start"))))")) ==
          "exports no malloc function: not a Faasm function");
  }

  TEST_CASE("a module is resettable when its one memory and its exported function table are all its state") {
    auto resettable = [](const std::string& more) {
      auto shape = aot::check_module(wat("(module " + kFaasmExports + more + ")"));
      REQUIRE(shape.has_value());
      return shape->resettable;
    };
    CHECK(resettable(""));
    CHECK(resettable(R"( (table (export "__indirect_function_table") 1 funcref))"));
    // A table the worker cannot see (not exported) would keep what a call wrote into it across a reset.
    CHECK_FALSE(resettable(" (table 1 funcref)"));
    CHECK_FALSE(resettable(R"( (table (export "__indirect_function_table") 1 funcref) (table 1 externref))"));
  }

  TEST_CASE("checks env imports against exactly the host ABI that include/faasmjs/detail/host_abi.h declares") {
    std::ifstream header(FAASMJS_SOURCE_DIR "/include/faasmjs/detail/host_abi.h");
    REQUIRE(header);
    const std::regex declaration(R"(^FAASMJS_HOST_FUNC\((\w+)\)$)");
    std::set<std::string> declared;
    for (std::string line; std::getline(header, line);) {
      if (std::smatch match; std::regex_match(line, match, declaration)) declared.insert(match[1]);
    }
    REQUIRE(declared.size() > 20);
    std::set<std::string> provided;
    for (const auto& import : kHostImports) {
      if (import.module == "env" && !import.name.starts_with("__cxa_")) provided.emplace(import.name);
    }
    std::string not_provided, not_declared;
    for (const auto& name : declared)
      if (!provided.contains(name)) not_provided += " " + name;
    for (const auto& name : provided)
      if (!declared.contains(name)) not_declared += " " + name;
    CHECK(not_provided == "");
    CHECK(not_declared == "");
  }

  TEST_CASE("accepts WASI preview1 calls beyond those libc usually imports, as the browser provides all 46") {
    auto module = compiler().compile(wat(R"((module
      (import "wasi_snapshot_preview1" "fd_pread" (func (param i32 i32 i32 i64 i32) (result i32)))
      (import "wasi_snapshot_preview1" "sock_shutdown" (func (param i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "path_filestat_set_times" (func (param i32 i32 i32 i32 i64 i64 i32) (result i32)))
      )" + kFaasmExports + ")"));
    CHECK(module.has_value());
  }
}
