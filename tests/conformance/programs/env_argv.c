/* What a Faasm function is started with: argv is "function.wasm" and then the call's command line split at
 * spaces; the environment is Faasm's fixed list (faasm src/wasm/WasmEnvironment.cpp), read with getenv. */
#include <stdio.h>
#include <stdlib.h>

static const char* const names[] = {
    "MKL_NUM_THREADS",  "OPENBLAS_NUM_THREADS", "PYTHON_PATH", "PYTHONHOME", "PYTHONHASHSEED",
    "PYTHONNOUSERSITE", "PYTHONWASM",           "HOME",        "PATH"};

int main(int argc, char** argv) {
  printf("argc %d\n", argc);
  for (int i = 0; i < argc; i++) {
    printf("argv[%d] %s\n", i, argv[i]);
  }
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char* value = getenv(names[i]);
    printf("%s %s\n", names[i], value == NULL ? "(unset)" : value);
  }
  return 0;
}
