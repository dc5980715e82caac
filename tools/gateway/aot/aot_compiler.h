// Ahead-of-time compilation of a function binary for the embedded cluster, the way Faasm generates machine
// code at upload: wasm2c translates the .wasm to C, the system C compiler builds that (with the glue of
// module_abi.h) into a shared object that a worker process dlopen()s. Results are cached by the binary's
// SHA-256, so a restart or a re-upload of the same bytes compiles nothing.
//
// Two tiers, as a browser's baseline compiler and its optimising one: the quick tier builds the same C with
// a compiler that does not optimise (tcc: ~10 ms for hello, where `cc -O2` takes 0.6-2 s), so that a function's
// first calls run at once; the optimised tier builds it with `cc -O2`, and the registry swaps that in for new
// calls when it is ready (function_registry.h). Both are cached, each under a name of its own.
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

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "aot/module_cache.h"
#include "aot/module_scan.h"
#include "common/error.h"

namespace faasmjs::gateway::aot {

enum class Tier : std::uint8_t { Quick, Optimised };

struct CompilerOptions {
  std::filesystem::path cache_dir;  // <sha256>.so and the build logs of failures
  std::string c_compiler = "cc";
  std::string optimisation = "-O2";
  std::string quick_c_compiler = "tcc";  // the quick tier's compiler; empty: no quick tier
  std::string wasm2c = "wasm2c";
  std::filesystem::path module_checker;  // empty: faasmjs-module-check beside this executable, else the build's
  std::size_t max_nesting = kModuleLimits.max_nesting;  // module_scan.h says why it is bounded
  std::chrono::seconds compile_timeout{300};            // one compile: checks, wasm2c and cc together
  std::uint64_t compile_memory_bytes = 2048ull << 20;   // the address space of each of its processes
  std::uint64_t compile_output_bytes = 1024ull << 20;   // the largest file one of them may write
  std::uint64_t cache_max_bytes = 1024ull << 20;
  std::string sandbox_user = "nobody";        // who the compiler's programs run as when the gateway is root
  std::function<void(std::string_view)> log;  // what an operator should know (a sandbox without isolation)
};

struct CompiledModule {
  std::string sha256;  // hex
  std::filesystem::path shared_object;
  std::uint32_t compile_ms = 0;  // 0 when it came from the cache
  bool cached = false;
  Tier tier = Tier::Optimised;
  ModulePin pin;  // shared_object stays in the cache while a copy of this lives
};

// Bumped when the C a module is built from, or how it is built, changes (wasm2c's rewritten helpers, the
// compilers' flags, the quick tier's header): a cache an older gateway filled is then compiled again.
inline constexpr int kCodeVersion = 3;

// A module's file in the cache: <sha256>-abi<N>-checks<M>-code<K>[-quick].so, with N the module ABI's version
// (module_abi.h), M the checks' (module_check.h) and K kCodeVersion, so that no module built to other rules is
// ever loaded.
std::string module_file_name(std::string_view sha256, Tier tier);

class Compiler {
 public:
  static Expected<std::unique_ptr<Compiler>> create(CompilerOptions options);
  virtual ~Compiler() = default;
  // Thread-safe; concurrent compiles of the same bytes and tier do the work once. The quick tier without a
  // quick compiler (CompilerOptions::quick_c_compiler empty) is the optimised one. `cancelled`, when given,
  // is watched while the compile's programs run: true kills them and fails the compile (Internal), as a
  // stopping gateway wants rather than waiting seconds for cc -O2.
  virtual Expected<CompiledModule> compile(std::span<const std::uint8_t> wasm, Tier tier = Tier::Optimised,
                                           const std::atomic<bool>* cancelled = nullptr) = 0;
  // The module of these bytes and tier if the cache has it, compiling nothing.
  virtual std::optional<CompiledModule> cached(std::span<const std::uint8_t> wasm, Tier tier) = 0;
  virtual bool has_quick_tier() const = 0;
};

}  // namespace faasmjs::gateway::aot
