/* pipe: Faasm's wasi-libc fork declares it, but its runtime (WAMR) links no `pipe`, so a Faasm function that
 * calls it fails ("failed to call unlinked import function (env, pipe)", return value 1). A faasm.js
 * function fails the same way, with a message that names the call, instead of failing to link. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int pipe(int fds[2]) {
  (void)fds;
  fputs("pipe: Faasm functions have no pipes\n", stderr);
  abort();
}
