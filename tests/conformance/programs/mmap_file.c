/* mmap of a file (faasm/cpp func/demo/mmap_file.cpp): a private read-only mapping shows the file's bytes,
 * here the first 16 of the runtime root's /etc/passwd. */
#include <stdio.h>
#include <sys/mman.h>

int main(void) {
  FILE* file = fopen("/etc/passwd", "r");
  if (file == NULL) {
    perror("/etc/passwd");
    return 1;
  }
  char* mapped = mmap(NULL, 16, PROT_READ, MAP_PRIVATE, fileno(file), 0);
  if (mapped == MAP_FAILED) {
    perror("mmap /etc/passwd");
    return 1;
  }
  printf("/etc/passwd mapped: %.16s\n", mapped);
  munmap(mapped, 16);
  fclose(file);
  return 0;
}
