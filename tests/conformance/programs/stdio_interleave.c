/* stdout and stderr are two streams: stderr is unbuffered, stdout buffered until flushed or the call ends,
 * and each keeps its own order whatever the other does. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 3; i++) {
    printf("out %d\n", i);
    fprintf(stderr, "err %d\n", i);
  }
  fflush(stdout);
  write(STDOUT_FILENO, "raw out\n", 8);
  write(STDERR_FILENO, "raw err\n", 8);
  printf("out without newline");
  fputs("err last\n", stderr);
  return 0;
}
