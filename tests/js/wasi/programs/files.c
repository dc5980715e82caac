// stdio and POSIX file calls on the preopened `/`: what an ordinary program does with files.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(const char* what, int ok) { printf("%s: %s\n", what, ok ? "ok" : strerror(errno)); }

static int by_name(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

// Directory order differs between file systems, so entries are printed sorted.
static void list(const char* path) {
  DIR* dir = opendir(path);
  if (!dir) {
    printf("opendir %s: %s\n", path, strerror(errno));
    return;
  }
  char* names[64];
  int count = 0;
  struct dirent* entry;
  while ((entry = readdir(dir)) && count < 64) {
    if (strcmp(entry->d_name, ".") && strcmp(entry->d_name, "..")) {
      names[count++] = strdup(entry->d_name);
    }
  }
  closedir(dir);
  qsort(names, count, sizeof names[0], by_name);
  printf("%s:", path);
  for (int i = 0; i < count; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static void print_file(const char* path) {
  FILE* f = fopen(path, "r");
  if (!f) {
    printf("fopen %s: %s\n", path, strerror(errno));
    return;
  }
  char buffer[256];
  size_t n = fread(buffer, 1, sizeof buffer - 1, f);
  buffer[n] = 0;
  fclose(f);
  printf("%s (%zu bytes): [%s]\n", path, n, buffer);
}

int main(void) {
  print_file("/input.txt");
  check("mkdir /work", mkdir("/work", 0755) == 0);
  check("mkdir /work again", mkdir("/work", 0755) == 0);

  FILE* f = fopen("/work/a.txt", "w");
  fputs("hello\n", f);
  fwrite("world\n", 1, 6, f);
  fclose(f);

  f = fopen("/work/a.txt", "r+");
  fseek(f, 0, SEEK_END);
  printf("size by ftell: %ld\n", ftell(f));
  fseek(f, 1, SEEK_SET);
  char part[5] = {0};
  fread(part, 1, 4, f);
  printf("read at 1: [%s]\n", part);
  fseek(f, 0, SEEK_SET);
  fputs("J", f);
  fclose(f);

  f = fopen("/work/a.txt", "a");
  fputs("appended\n", f);
  fclose(f);
  print_file("/work/a.txt");

  struct stat st;
  check("stat", stat("/work/a.txt", &st) == 0);
  printf("regular: %d, size: %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
  check("stat missing", stat("/work/none", &st) == 0);

  check("rename a -> b", rename("/work/a.txt", "/work/b.txt") == 0);
  print_file("/work/a.txt");
  print_file("/work/b.txt");

  check("mkdir /work/sub", mkdir("/work/sub", 0755) == 0);
  fclose(fopen("/work/sub/one", "w"));
  fclose(fopen("/work/sub/two", "w"));
  list("/work");
  list("/work/sub");
  list("/work/none");
  check("rmdir non-empty", rmdir("/work/sub") == 0);
  check("remove a directory with unlink", unlink("/work/sub") == 0);

  int fd = open("/work/sub/one", O_CREAT | O_EXCL | O_WRONLY, 0644);
  check("O_EXCL on an existing file", fd >= 0);
  fd = open("/work/sparse", O_CREAT | O_RDWR, 0644);
  check("open sparse", fd >= 0);
  lseek(fd, 10, SEEK_SET);
  write(fd, "end", 3);
  check("ftruncate", ftruncate(fd, 12) == 0);
  char buffer[16] = {0};
  ssize_t n = pread(fd, buffer, sizeof buffer, 0);
  int zeros = 0;
  for (ssize_t i = 0; i < n; i++) zeros += buffer[i] == 0;
  printf("sparse: %zd bytes, %d zeros, tail [%s]\n", n, zeros, buffer + 10);
  close(fd);
  check("write to a closed descriptor", write(fd, "x", 1) == 1);

  check("remove one", remove("/work/sub/one") == 0);
  check("remove two", remove("/work/sub/two") == 0);
  check("remove one again", remove("/work/sub/one") == 0);
  check("rmdir sub", rmdir("/work/sub") == 0);
  check("remove b", remove("/work/b.txt") == 0);
  check("remove sparse", remove("/work/sparse") == 0);
  list("/work");
  check("rmdir /work", rmdir("/work") == 0);

  f = fopen("relative.txt", "w");
  check("fopen a relative path", f != NULL);
  if (f) {
    fputs("relative\n", f);
    fclose(f);
    print_file("/relative.txt");
    remove("/relative.txt");
  }
  list("/");
  return 0;
}
