// Reads stdin to its end, line by line, and reports what it got.
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  char line[256];
  int lines = 0;
  size_t bytes = 0;
  while (fgets(line, sizeof line, stdin)) {
    lines++;
    bytes += strlen(line);
    for (char* c = line; *c; c++) *c = (char)toupper((unsigned char)*c);
    fputs(line, stdout);
  }
  printf("lines=%d bytes=%zu eof=%d\n", lines, bytes, feof(stdin) != 0);
  return 0;
}
