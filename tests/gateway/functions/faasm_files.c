// What a function finds in Faasm's file system, one probe per input, each printed into the output
// (gateway.worker.files holds what real Faasm answered to the same operations, gateway.files runs it through
// a gateway). Inputs are
// "CASE" or "CASE:TOKEN" (TOKEN keeps files of one test run apart from another's). Only WASI and the imports
// Faasm's WAMR backend links.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "faasmjs/detail/host_abi.h"

static char out[8192];
static int used = 0;
#define SAY(...) used += snprintf(out + used, sizeof(out) - used, __VA_ARGS__)

// The file's contents with newlines as '|', or its open errno.
static void show(const char* path) {
  errno = 0;
  FILE* file = fopen(path, "r");
  if (!file) {
    SAY("%s: open errno=%d; ", path, errno);
    return;
  }
  char text[256] = {0};
  const size_t got = fread(text, 1, sizeof(text) - 1, file);
  for (size_t i = 0; i < got; i++) {
    if (text[i] == '\n') text[i] = '|';
  }
  SAY("%s: [%s]; ", path, text);
  fclose(file);
}

static void put(const char* path, const char* text) {
  FILE* file = fopen(path, "w");
  if (!file) {
    SAY("%s: write errno=%d; ", path, errno);
    return;
  }
  fputs(text, file);
  fclose(file);
}

static int by_name(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

// A directory's entries as name:d_type, sorted (hosts list them in their own order).
static void list(const char* path) {
  DIR* dir = opendir(path);
  if (!dir) {
    SAY("%s: opendir errno=%d; ", path, errno);
    return;
  }
  char* names[64];
  int count = 0;
  struct dirent* entry;
  while ((entry = readdir(dir)) && count < 64) {
    names[count] = malloc(strlen(entry->d_name) + 8);
    sprintf(names[count++], "%s:%d", entry->d_name, entry->d_type);
  }
  closedir(dir);
  qsort(names, count, sizeof(char*), by_name);
  SAY("%s:", path);
  for (int i = 0; i < count; i++) SAY(" %s", names[i]);
  SAY("; ");
}

int main(void) {
  char input[128] = {0};
  __faasm_read_input((unsigned char*)input, sizeof(input) - 1);
  char* token = strchr(input, ':');
  if (token) *token++ = 0;
  char path[256], other[256];
  if (!strcmp(input, "root")) {
    show("/etc/passwd");
    show("./etc/hosts");
    show("etc/resolv.conf");
    show("/tmp/../etc/hosts");
    show("/nonexistent");
    show("/dev/null");
    list("/");
    list("/etc");
  } else if (!strcmp(input, "write")) {
    snprintf(path, sizeof path, "/tmp/w-%s", token);
    put(path, "hello world");
    put(path, "hi");  // O_CREAT|O_TRUNC: Faasm creates, and does not truncate
    show(path);
    snprintf(other, sizeof other, "/tmp/x-%s", token);
    const int first = open(other, O_CREAT | O_EXCL | O_WRONLY, 0644);
    const int second = open(other, O_CREAT | O_EXCL | O_WRONLY, 0644);
    SAY("exclusive: %d %d errno=%d; ", first, second, errno);
  } else if (!strcmp(input, "persist")) {
    snprintf(path, sizeof path, "/tmp/w-%s", token);
    show(path);
  } else if (!strcmp(input, "stat")) {
    struct stat st;
    int r = stat("/etc/passwd", &st);
    SAY("passwd=%d size=%lld regular=%d links=%llu; ", r, (long long)st.st_size, S_ISREG(st.st_mode),
        (unsigned long long)st.st_nlink);
    r = stat("/tmp", &st);
    SAY("tmp=%d directory=%d; ", r, S_ISDIR(st.st_mode));
    errno = 0;
    r = stat("/nonexistent", &st);
    SAY("missing=%d errno=%d; ", r, errno);
    SAY("access=%d; ", access("/etc/hosts", R_OK));
  } else if (!strcmp(input, "unlink")) {
    snprintf(path, sizeof path, "/tmp/u-%s", token);
    put(path, "x");
    errno = 0;
    int r = unlink(path);
    SAY("unlink=%d errno=%d; ", r, errno);
    errno = 0;
    r = unlink(path);
    SAY("again=%d errno=%d; ", r, errno);
    errno = 0;
    r = unlink("/tmp");
    SAY("directory=%d errno=%d; ", r, errno);
    errno = 0;
    r = rename("/tmp/nonexistent", "/tmp/nonexistent2");
    SAY("rename missing=%d errno=%d; ", r, errno);
    snprintf(other, sizeof other, "/tmp/r-%s", token);
    put(path, "moved");
    errno = 0;
    r = rename(path, other);
    SAY("rename=%d errno=%d; ", r, errno);
    show(other);
  } else if (!strcmp(input, "close")) {
    const int fd = open("/etc/hosts", O_RDONLY);
    char bytes[4] = {0};
    close(fd);
    errno = 0;
    const ssize_t got = read(fd, bytes, 3);
    const int next = open("/etc/hosts", O_RDONLY);
    SAY("fd=%d read after close=%zd [%s]; next=%d; ", fd, got, bytes, next);
    errno = 0;
    SAY("open directory=%d errno=%d; ", open("/etc", O_RDONLY), errno);
  } else if (!strcmp(input, "dup")) {
    const int fd = open("/etc/hosts", O_RDONLY);
    const int copy = dup(fd);
    const int high = fcntl(fd, F_DUPFD, 10);
    char first[4] = {0}, second[4] = {0};
    read(copy, first, 3);
    read(high, second, 3);
    SAY("fd=%d dup=%d F_DUPFD 10=%d next=%d; [%s][%s]; ", fd, copy, high, open("/etc/hosts", O_RDONLY), first, second);
  } else if (!strcmp(input, "dup-closed")) {
    dup(99);
  } else if (!strcmp(input, "shared")) {
    snprintf(path, sizeof path, "faasm://files-%s/in.txt", token);
    show(path);
    snprintf(other, sizeof other, "faasm://files-%s/missing.txt", token);
    show(other);
    struct stat st;
    const int r = stat(path, &st);
    SAY("stat=%d size=%lld; ", r, (long long)st.st_size);
    snprintf(other, sizeof other, "faasm://files-%s/out.txt", token);
    put(other, "written here");
    show(other);
  } else if (!strcmp(input, "seeded")) {
    snprintf(path, sizeof path, "/tmp/seeded-%s.txt", token);
    show(path);
  } else if (!strcmp(input, "escape")) {
    show("/../../../etc/hosts");
    show("/tmp/../../etc/passwd");
  } else if (!strcmp(input, "append")) {
    snprintf(path, sizeof path, "/tmp/a-%s", token);
    FILE* file = fopen(path, "a");  // musl sets O_APPEND with fcntl: fd_fdstat_set_flags, which Faasm lacks
    SAY("opened=%d; ", file != NULL);
  } else if (!strcmp(input, "mkdir")) {
    SAY("mkdir=%d; ", mkdir("/tmp/d", 0755));  // path_create_directory: Faasm's WAMR host lacks it
  } else {
    SAY("unknown case '%s'", input);
    __faasm_write_output(out, used);
    return 2;
  }
  __faasm_write_output(out, used);
  return 0;
}
