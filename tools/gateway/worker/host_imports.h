// The C symbols wasm2c binds each import the worker provides to (common/host_imports.h), declared from that
// list, so that the compiler rejects a definition in host_env.cpp or host_wasi.cpp whose C signature differs
// from it.
#pragma once

#include <cstdint>

#include "common/host_imports.h"

using u32 = std::uint32_t;
using u64 = std::uint64_t;
struct Z_env_instance_t;
struct Z_wasi_snapshot_preview1_instance_t;
#define FAASMJS_PARAMS_AFTER_INSTANCE(...) __VA_OPT__(, ) __VA_ARGS__
#define FAASMJS_DECLARE_IMPORT(module, name, ret, signature, params, args) \
  ret Z_##module##Z_##name(struct Z_##module##_instance_t* FAASMJS_PARAMS_AFTER_INSTANCE params);
extern "C" {
FAASMJS_WORKER_ENV_IMPORTS(FAASMJS_DECLARE_IMPORT)
FAASMJS_WORKER_WASI_IMPORTS(FAASMJS_DECLARE_IMPORT)
}
#undef FAASMJS_DECLARE_IMPORT
