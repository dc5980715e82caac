/* What an Emscripten standalone binary needs so that its ABI is exactly the one clang + wasi-libc produce.
 *
 * - `_start`: Emscripten's own runs the constructors before every main. faasm.js hosts (and Faasm's WAVM)
 *   run `__wasm_call_ctors` and `_faasm_zygote` once per instance and then `_start` per call, so here they
 *   run only when no host has (constructors_once.c). Linked with -nostartfiles in place of Emscripten's crt1.
 * - `_start` also runs the atexit handlers and flushes stdio when main returns 0, as clang's does: without
 *   that a last line without a newline is lost.
 * - `emscripten_notify_memory_growth`: with memory growth on, Emscripten's sbrk reports every grow through an
 *   `env` import no Faasm host provides; nothing needs to be told here, so it resolves locally.
 * - `__cxa_allocate_exception`/`__cxa_throw`: Emscripten's no-exception libc++abi ends a `throw` with
 *   `exit(1)`, indistinguishable from a function returning 1. Faasm imports both from `env` and traps there
 *   with a clear message; forwarding them keeps that one behaviour for both toolchains.
 */
#include <stddef.h>
#include <stdlib.h>

extern void faasmjs_run_constructors_once(void);
extern int __main_void(void);
extern void __funcs_on_exit(void);
extern void __stdio_exit(void);

/* As clang's (wasi_start.c): atexit handlers and stdio flushed on return too, so output without a final
 * newline is not lost; proc_exit only for a non-zero result. */
__attribute__((export_name("_start"))) void _start(void) {
  faasmjs_run_constructors_once();
  int returnValue = __main_void();
  __funcs_on_exit();
  __stdio_exit();
  if (returnValue != 0) {
    _Exit(returnValue);
  }
}

void emscripten_notify_memory_growth(size_t memoryIndex) { (void)memoryIndex; }

__attribute__((import_module("env"), import_name("__cxa_allocate_exception"))) void*
faasmjs_host_cxa_allocate_exception(size_t size);

__attribute__((import_module("env"), import_name("__cxa_throw"))) void faasmjs_host_cxa_throw(
    void* exception, void* typeInfo, void (*destructor)(void*));

void* __cxa_allocate_exception(size_t size) { return faasmjs_host_cxa_allocate_exception(size); }

void __cxa_throw(void* exception, void* typeInfo, void (*destructor)(void*)) {
  faasmjs_host_cxa_throw(exception, typeInfo, destructor);
  __builtin_unreachable();
}
