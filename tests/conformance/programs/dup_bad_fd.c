/* dup_bad_fd: the duplicate of a descriptor that is not open fails the call, as Faasm's descriptor table throws
 * (its worker dies of it; see dup_bad_fd.expect.json). */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("dup of a descriptor that is not open fails the call\n");
  fflush(stdout);
  dup(99);
  printf("dup(99) returned\n");
  return 0;
}
