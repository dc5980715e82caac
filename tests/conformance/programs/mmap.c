/* mmap and munmap, as Faasm's demos use them (faasm/cpp func/demo/mmap.cpp, munmap.cpp, mmap_file.cpp):
 * anonymous private mappings are zeroed and writable, unmapping one leaves the others intact, and a file
 * mapping shows the file's bytes. */
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
