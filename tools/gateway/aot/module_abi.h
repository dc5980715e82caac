/* The C interface between a function's shared object (made by aot_compiler.h: wasm2c output plus generated
 * glue) and the worker process that dlopen()s it. wasm2c's own symbols carry the module's shape (which import
 * modules it has, which exports), so the glue flattens them into one table of entry points with the same
 * signatures for every function; the worker looks up only `faasmjs_module_get`.
 *
 * Imports resolve the other way: the worker executable defines wasm2c's import symbols
 * (`Z_envZ___faasm_read_input` and the rest, `Z_wasi_snapshot_preview1Z_*`) and exports them (-rdynamic),
 * with its own `struct Z_env_instance_t` / `struct Z_wasi_snapshot_preview1_instance_t` as the per-call host
 * context. Bump FAASMJS_MODULE_ABI_VERSION on any change: the cache key includes it. */
#ifndef FAASMJS_GATEWAY_MODULE_ABI_H
#define FAASMJS_GATEWAY_MODULE_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "wasm-rt.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FAASMJS_MODULE_ABI_VERSION 3

struct faasmjs_module {
  uint32_t abi_version;
  size_t instance_size;
  /* 1 when the instance struct, the one memory and the table (if any) are all of an instance's state, so that
   * copying them back resets it (module_check.h, ModuleShape::resettable). */
  int resettable;
  /* Once per process, before the first instantiate. */
  void (*init_module)(void);
  /* env and wasi are the host contexts handed to every import of that module. */
  void (*instantiate)(void* instance, void* env, void* wasi);
  void (*free_instance)(void* instance);
  wasm_rt_memory_t* (*memory)(void* instance);
  /* NULL when the module has no table. */
  wasm_rt_funcref_table_t* (*table)(void* instance);
  void (*call_ctors)(void* instance);
  /* NULL when _faasm_zygote is not exported. */
  uint32_t (*zygote)(void* instance);
  void (*start)(void* instance);
  uint32_t (*malloc)(void* instance, uint32_t size);
  /* Table entry `index` as Faasm's chain by pointer sees it: 0 or 1 (the i32 parameters it takes: a ()->i32,
   * ()->(), (i32)->i32 or (i32)->() entry), -1 when the index names no function, -2 when its type is none of
   * those. */
  int (*table_entry_arity)(void* instance, uint32_t index);
  /* Calls that entry (arity checked first), given `arg` when it takes one; returns its result (0 for void). */
  uint32_t (*call_table_entry)(void* instance, uint32_t index, uint32_t arg);
  /* By function index (imports included), the name a trap's backtrace gives it; NULL for none. The C function
   * of function N is `w2c_fN` (aot/function_names.h), which is how the worker finds N for a native frame. */
  const char* const* function_names;
  uint32_t function_count;
};

const struct faasmjs_module* faasmjs_module_get(void);

#ifdef __cplusplus
}
#endif

#endif
