/* `_start` as Faasm's wasi-libc fork has it (faasm/wasi-libc libc-bottom-half/crt/crt1.c), in place of
 * Debian's crt1-command.o, for clang builds (linked with -nostartfiles):
 * - constructors run once per instance, by the host or else here (constructors_once.c says why);
 * - when main returns, atexit handlers run and stdio is flushed whatever main returned (Debian's
 *   crt1-command does both only for a non-zero return, so a function's last line without a newline, or
 *   everything it printed to a buffered stdout, was lost);
 * - a non-zero return ends the call through WASI proc_exit with that code; zero returns normally. */
#include <wasi/api.h>

void faasmjs_run_constructors_once(void);
int __original_main(void);
void __funcs_on_exit(void);
void __stdio_exit(void);

void _start(void) {
  faasmjs_run_constructors_once();
  const int result = __original_main();
  __funcs_on_exit();
  __stdio_exit();
  if (result != 0) {
    __wasi_proc_exit(result);
  }
}
