/* WASI proc_exit ends the call at once with its code (5): no atexit handler runs and stdio is not flushed,
 * so the flushed line is printed and the unfinished one (no newline: buffered however stdout is) is lost. */
#include <stdio.h>
#include <stdlib.h>
#include <wasi/api.h>

static void at_exit(void) { printf("atexit handler ran\n"); }

int main(void) {
  atexit(at_exit);
  printf("calling proc_exit(5)\n");
  fflush(stdout);
  printf("lost: never flushed");
  __wasi_proc_exit(5);
}
