// Ways a program ends: the exit code must reach the embedder, and buffered output must not be lost.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* how = argc > 1 ? argv[1] : "return";
  int code = argc > 2 ? atoi(argv[2]) : 0;
  printf("ending by %s with %d", how, code);
  if (!strcmp(how, "exit")) exit(code);
  if (!strcmp(how, "_exit")) {
    fflush(stdout);
    _exit(code);
  }
  if (!strcmp(how, "trap")) {
    fflush(stdout);
    __builtin_trap();
  }
  return code;
}
