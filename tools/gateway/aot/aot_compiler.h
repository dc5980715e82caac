// Ahead-of-time compilation of a function binary for the embedded cluster, the way Faasm generates machine
// code at upload: wasm2c translates the .wasm to C, the system C compiler builds that (with the glue of
// module_abi.h) into a shared object that a worker process dlopen()s. Results are cached by the binary's
// SHA-256, so a restart or a re-upload of the same bytes compiles nothing.
//
// Refused with BadWasm and one line saying why, before any compiler runs: a file that does not parse or
// validate, a module using SIMD (wasm2c 1.0.32 aborts on it), one importing a function the worker does not
// provide (named, as Faasm's "Missing import"), one without the Faasm entry points.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "common/error.h"

namespace faasmjs::gateway::aot {

struct CompilerOptions {
  std::filesystem::path cache_dir;  // <sha256>.so and the build logs of failures
  std::string c_compiler = "cc";
  std::string optimisation = "-O2";
  std::string wasm2c = "wasm2c";
};

struct CompiledModule {
  std::string sha256;  // hex
  std::filesystem::path shared_object;
  std::uint32_t compile_ms = 0;  // 0 when it came from the cache
  bool cached = false;
};

class Compiler {
 public:
  static Expected<std::unique_ptr<Compiler>> create(CompilerOptions options);
  virtual ~Compiler() = default;
  // Thread-safe; concurrent compiles of the same bytes do the work once.
  virtual Expected<CompiledModule> compile(std::span<const std::uint8_t> wasm) = 0;
};

}  // namespace faasmjs::gateway::aot
