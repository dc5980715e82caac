/* exit() ends the call with its code (4), running atexit handlers and flushing stdio first; the code after
 * it never runs. */
#include <stdio.h>
#include <stdlib.h>

static void at_exit(void) { printf("atexit handler ran\n"); }

int main(void) {
  atexit(at_exit);
  printf("calling exit(4)\n");
  exit(4);
  printf("not reached\n");
  return 0;
}
