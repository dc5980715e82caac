/* calloc of large and many small blocks, fragmented by anonymous mmaps in between, as Faasm's calloc demo
 * does (faasm/cpp func/demo/calloc.cpp, from a CPython issue): every block starts zeroed and keeps its
 * contents while the others are allocated and freed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SMALL_BLOCKS 100
#define LARGE_BYTES (64u * 1024 * 1024)

int main(void) {
  char* small[SMALL_BLOCKS];
  char* mapped[SMALL_BLOCKS];
  for (int i = 0; i < SMALL_BLOCKS; i++) {
    small[i] = calloc(1, 100);
    mapped[i] = mmap(NULL, 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (small[i] == NULL || small[i][99] != 0 || mapped[i] == MAP_FAILED) {
      printf("allocation %d failed\n", i);
      return 1;
    }
    snprintf(small[i], 100, "number %d", i);
    strcpy(mapped[i], "mmapSpace");
  }
  int intact = 1;
  for (int i = 0; i < SMALL_BLOCKS; i++) {
    char expected[100];
    snprintf(expected, sizeof expected, "number %d", i);
    intact = intact && strcmp(small[i], expected) == 0 && strcmp(mapped[i], "mmapSpace") == 0;
    free(small[i]);
    munmap(mapped[i], 20);
  }
  printf("%d small blocks intact: %s\n", SMALL_BLOCKS, intact ? "yes" : "no");

  for (int round = 0; round < 3; round++) {
    unsigned char* large = calloc(LARGE_BYTES / 4, 4);
    if (large == NULL) {
      printf("calloc of %u bytes failed\n", LARGE_BYTES);
      return 1;
    }
    int zeroed = large[0] == 0 && large[LARGE_BYTES / 2] == 0 && large[LARGE_BYTES - 1] == 0;
    memset(large, 0xff, LARGE_BYTES);
    printf("64 MiB block %d zeroed: %s\n", round, zeroed ? "yes" : "no");
    free(large);
  }
  return 0;
}
