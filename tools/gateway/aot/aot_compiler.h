// Ahead-of-time compilation of a function binary for the embedded cluster, the way Faasm generates machine
// code at upload: wasm2c translates the .wasm to C, the system C compiler builds that (with the glue of
// module_abi.h) into a shared object that a worker process dlopen()s. Results are cached by the binary's
// SHA-256, so a restart or a re-upload of the same bytes compiles nothing.
//
// Refused with BadWasm and one line saying why, before any compiler runs: a file that does not parse or
// validate, a module using SIMD (wasm2c 1.0.32 aborts on it), one importing a function the worker does not
// provide (named, as Faasm's "Missing import"), one without the Faasm entry points, one past a limit of
// module_scan.h (size, nesting, counts) or with a name that is not safe to write into C.
//
// Nothing of the upload is parsed in the calling process: the checks run in faasmjs-module-check, wasm2c
// and cc after it, each a sandboxed child (compile_sandbox.h) under the limits below, in a build folder of
// its own that is removed however the compile ends (build_folder.h). A compile past a limit is BadWasm
// naming the limit. The cache is kept under cache_max_bytes (module_cache.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "aot/module_cache.h"
#include "aot/module_scan.h"
#include "common/error.h"

namespace faasmjs::gateway::aot {

struct CompilerOptions {
  std::filesystem::path cache_dir;  // <sha256>.so and the build logs of failures
  std::string c_compiler = "cc";
  std::string optimisation = "-O2";
  std::string wasm2c = "wasm2c";
  std::filesystem::path module_checker;  // empty: faasmjs-module-check beside this executable, else the build's
  std::size_t max_nesting = kModuleLimits.max_nesting;  // module_scan.h says why it is bounded
  std::chrono::seconds compile_timeout{300};  // one compile: checks, wasm2c and cc together
  std::uint64_t compile_memory_bytes = 2048ull << 20;  // the address space of each of its processes
  std::uint64_t compile_output_bytes = 1024ull << 20;  // the largest file one of them may write
  std::uint64_t cache_max_bytes = 1024ull << 20;
  std::string sandbox_user = "nobody";  // who the compiler's programs run as when the gateway is root
  std::function<void(std::string_view)> log;  // what an operator should know (a sandbox without isolation)
};

struct CompiledModule {
  std::string sha256;  // hex
  std::filesystem::path shared_object;
  std::uint32_t compile_ms = 0;  // 0 when it came from the cache
  bool cached = false;
  ModulePin pin;  // shared_object stays in the cache while a copy of this lives
};

class Compiler {
 public:
  static Expected<std::unique_ptr<Compiler>> create(CompilerOptions options);
  virtual ~Compiler() = default;
  // Thread-safe; concurrent compiles of the same bytes do the work once.
  virtual Expected<CompiledModule> compile(std::span<const std::uint8_t> wasm) = 0;
};

}  // namespace faasmjs::gateway::aot
