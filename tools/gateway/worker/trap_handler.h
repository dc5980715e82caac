/* The function wasm2c's runtime calls for every trap (it is built with WASM_RT_TRAP_HANDLER naming it and this
 * header force-included); trap_backtrace.cpp defines it. */
#ifndef FAASMJS_WORKER_TRAP_HANDLER_H
#define FAASMJS_WORKER_TRAP_HANDLER_H

#include "wasm-rt.h"

#ifdef __cplusplus
extern "C" {
#endif

WASM_RT_NO_RETURN void faasmjs_on_trap(wasm_rt_trap_t code);

#ifdef __cplusplus
}
#endif

#endif
