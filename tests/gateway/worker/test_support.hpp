// Shared by the worker's and the compiler's tests: one compiler with a cache in the build tree (compiles take
// seconds, so every module is built once across runs), the binaries of the wasm sub-builds, tiny modules
// written in the text format, and requests.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aot/aot_compiler.h"
#include "worker/run_call.h"
#include "worker_harness.hpp"

namespace faasmjs::gateway::testing {

namespace fs = std::filesystem;

inline std::vector<std::uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline std::optional<fs::path> optional_env_path(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return fs::path(value);
}

// Defaults but for the cache, set by name: -Wmissing-field-initializers flags an aggregate left half-filled.
inline aot::CompilerOptions compiler_options(const fs::path& cache_dir) {
  aot::CompilerOptions options;
  options.cache_dir = cache_dir;
  return options;
}

inline aot::Compiler& compiler() {
  static auto instance = aot::Compiler::create(compiler_options(env_path("FAASMJS_TEST_CACHE")));
  REQUIRE(instance.has_value());
  return **instance;
}

// A call's error without its backtrace (the lines `    at NAME` after the message, worker/trap_backtrace.h).
inline std::string message_of(const std::string& error) { return error.substr(0, error.find("\n    at ")); }

// The tier the suites' modules are compiled by: FAASMJS_TEST_TIER=quick runs them on the quick tier's code.
inline aot::Tier test_tier() {
  const char* tier = std::getenv("FAASMJS_TEST_TIER");
  return tier != nullptr && std::string_view(tier) == "quick" ? aot::Tier::Quick : aot::Tier::Optimised;
}

inline fs::path compiled_bytes(const std::vector<std::uint8_t>& wasm, const std::string& what) {
  auto module = compiler().compile(wasm, test_tier());
  if (!module) FAIL(what, ": ", module.error().message);
  return module->shared_object;
}

inline fs::path compiled(const fs::path& wasm) { return compiled_bytes(read_file(wasm), wasm.string()); }

// A function of the clang sub-build, e.g. ("tests/js/runtime/functions", "probe").
inline fs::path clang_function(const std::string& folder, const std::string& name) {
  return env_path("FAASMJS_WASM_DIR_CLANG") / folder / (name + ".wasm");
}

inline std::string text(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

inline worker::RunRequest request(const fs::path& module, const std::string& name, const std::string& input = "") {
  worker::RunRequest run;
  run.shared_object = module;
  run.function = name;
  run.user = "test";
  run.input.assign(input.begin(), input.end());
  return run;
}

// wat2wasm of `source` (wabt, as the compiler's own checks use).
inline std::vector<std::uint8_t> wat(const std::string& source) {
  const fs::path dir = fs::temp_directory_path() / ("faasmjs-wat-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "m.wat") << source;
  const std::string command =
      "wat2wasm --enable-all --debug-names " + (dir / "m.wat").string() + " -o " + (dir / "m.wasm").string();
  REQUIRE(std::system(command.c_str()) == 0);
  auto bytes = read_file(dir / "m.wasm");
  fs::remove_all(dir);
  return bytes;
}

inline const std::string& worker_binary() {
  static const std::string binary = env_path("FAASMJS_WORKER").string();
  return binary;
}

}  // namespace faasmjs::gateway::testing
