// What the cluster's compiler checks before any compiler runs, so that a bad upload is one clear line
// (BadWasm) and never a wasm2c abort or a C compiler error: the binary parses and validates as WebAssembly
// 2.0 without SIMD, imports only what the worker provides, with the worker's signatures, and exports what a
// Faasm host enters. Every name in it passed module_scan.h, so one name is one line of shape_text.
//
// It runs in faasmjs-module-check (module_check_main.cpp), a sandboxed child of the gateway
// (compile_sandbox.h): a binary that crashes wabt costs that process.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>

#include "aot/module_scan.h"
#include "common/error.h"

namespace faasmjs::gateway::aot {

// Part of the compile cache's key, with the module's bytes and the ABI version: bump it whenever
// module_scan or check_module refuse more, so that a module an older gateway compiled and cached is checked
// again, not run because it is in the cache.
inline constexpr int kChecksVersion = 1;

struct ModuleShape {
  std::set<std::string> function_exports;
  bool exports_memory = false;
  bool exports_table = false;
  // All of an instance's state is its wasm2c instance struct, its one memory and the exported function table,
  // so the worker may keep one instance and reset it to a snapshot between calls (worker/warm_instance.h).
  bool resettable = false;
  // Function indices: imports first, then the defined ones; and the names a trap's backtrace gives the
  // defined ones (function_names.h), from the name section, else an export name.
  std::uint32_t function_imports = 0;
  std::uint32_t defined_functions = 0;
  std::map<std::uint32_t, std::string> function_names;
};

Expected<ModuleShape> check_module(std::span<const std::uint8_t> wasm, const ModuleLimits& limits = kModuleLimits);

// How faasmjs-module-check tells the gateway the shape: one line per fact.
std::string shape_text(const ModuleShape& shape);
Expected<ModuleShape> parse_shape(const std::string& text);

}  // namespace faasmjs::gateway::aot
