/* The constructors of a function run once per instance, whoever starts it. Every faasm.js host, like Faasm's
 * WAVM backend, calls the exported `__wasm_call_ctors` (then `_faasm_zygote`) before the first call, but
 * Faasm's WAMR backend calls only `_start`, and the linkers leave the constructor call out of `_start` once
 * `__wasm_call_ctors` is exported. Without constructors wasi-libc never learns its preopened directories, so
 * every path on WAMR was ENOTCAPABLE. A constructor marks that they ran; `_start` (wasi_start.c,
 * emscripten_faasm_abi.c) calls faasmjs_run_constructors_once() first, which runs them only if nobody has. */
void __wasm_call_ctors(void);
void faasmjs_run_constructors_once(void);

/* volatile: the optimiser would otherwise run the marking constructor at compile time, leaving the flag set
 * in the binary's data. */
static volatile int constructorsRan;

__attribute__((constructor)) static void markConstructorsRan(void) { constructorsRan = 1; }

void faasmjs_run_constructors_once(void) {
  if (!constructorsRan) {
    __wasm_call_ctors();
  }
}
