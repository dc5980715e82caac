/* What a Faasm function is started with: argv is "function.wasm" and then the call's command line split at
 * spaces; the environment is Faasm's fixed list (faasm src/wasm/WasmEnvironment.cpp), in no set order, so
 * it is printed sorted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char** environ;

static int by_text(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

int main(int argc, char** argv) {
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) {
        printf("argv[%d] %s\n", i, argv[i]);
    }
    size_t count = 0;
    while (environ[count] != NULL) {
        count++;
    }
    char** sorted = malloc((count + 1) * sizeof(char*));
    memcpy(sorted, environ, count * sizeof(char*));
    qsort(sorted, count, sizeof(char*), by_text);
    printf("environ %zu\n", count);
    for (size_t i = 0; i < count; i++) {
        printf("%s\n", sorted[i]);
    }
    printf("getenv(\"PYTHONHOME\") %s\n", getenv("PYTHONHOME"));
    printf("getenv(\"HOME\") %s\n", getenv("HOME") == NULL ? "unset" : getenv("HOME"));
    free(sorted);
    return 0;
}
