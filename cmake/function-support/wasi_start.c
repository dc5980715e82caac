/* `_start` as Faasm's wasi-libc fork has it (faasm/wasi-libc libc-bottom-half/crt/crt1.c), in place of
 * Debian's crt1-command.o, for clang builds (linked with -nostartfiles):
 * - constructors run once per instance: every faasm.js host, like Faasm's WAVM backend, calls the exported
 *   `__wasm_call_ctors` (then `_faasm_zygote`) before the first call, but Faasm's WAMR backend calls only
 *   `_start`, and wasm-ld leaves the constructor call out of `_start` once `__wasm_call_ctors` is exported.
 *   Without it wasi-libc never learns its preopened directories, so every path on WAMR was ENOTCAPABLE. A
 *   constructor marks that they ran, and `_start` runs them only when nobody has;
 * - when main returns, atexit handlers run and stdio is flushed whatever main returned (Debian's
 *   crt1-command does both only for a non-zero return, so a function's last line without a newline, or
 *   everything it printed to a buffered stdout, was lost);
 * - a non-zero return ends the call through WASI proc_exit with that code; zero returns normally. */
#include <wasi/api.h>

void __wasm_call_ctors(void);
int __original_main(void);
void __funcs_on_exit(void);
void __stdio_exit(void);

/* volatile: the optimiser would otherwise run this constructor at compile time, leaving the flag set in
 * the binary's data. */
static volatile int constructorsRan;

__attribute__((constructor)) static void markConstructorsRan(void) { constructorsRan = 1; }

void _start(void) {
    if (!constructorsRan) {
        __wasm_call_ctors();
    }
    const int result = __original_main();
    __funcs_on_exit();
    __stdio_exit();
    if (result != 0) {
        __wasi_proc_exit(result);
    }
}
