/* Anonymous mmap and munmap, as Faasm's demos use them (faasm/cpp func/demo/mmap.cpp, munmap.cpp): private
 * anonymous mappings are zeroed and writable, and unmapping one leaves the others intact. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 65536

static int all_zero(const unsigned char* bytes, size_t length) {
  for (size_t i = 0; i < length; i++) {
    if (bytes[i] != 0) {
      return 0;
    }
  }
  return 1;
}

int main(void) {
  unsigned char* first = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  unsigned char* second = mmap(NULL, 100, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (first == MAP_FAILED || second == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  printf("anonymous mappings zeroed: %s\n", all_zero(first, 3 * PAGE) && all_zero(second, 100) ? "yes" : "no");
  memset(first, 0xab, 3 * PAGE);
  strcpy((char*)second, "second mapping");
  printf("munmap first: %d\n", munmap(first, 3 * PAGE));
  printf("second intact: %s\n", second);
  printf("munmap second: %d\n", munmap(second, 100));

  return 0;
}
