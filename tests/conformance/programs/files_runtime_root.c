// files_runtime_root: the runtime root every host gives a function (sdk/runtime-root/): /etc/passwd read by an
// absolute, a relative and a ./ path, a file written in /tmp and rewritten with fopen "w" (Faasm does not
// truncate it), directories, and the errno of what is not there (/dev/null included: Faasm's runtime root has
// no /dev).
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void show(const char* label, const char* path) {
  FILE* file = fopen(path, "r");
  if (file == NULL) {
    printf("%s: errno %d\n", label, errno);
    return;
  }
  char buffer[256];
  size_t n = fread(buffer, 1, sizeof buffer - 1, file);
  buffer[n] = '\0';
  fclose(file);
  printf("%s: %zu bytes, first line %.*s\n", label, n, (int)strcspn(buffer, "\n"), buffer);
}

static void write_text(const char* path, const char* text) {
  FILE* file = fopen(path, "w");
  if (file == NULL) {
    printf("write %s: errno %d\n", path, errno);
    return;
  }
  fputs(text, file);
  fclose(file);
}

int main(void) {
  show("/etc/passwd", "/etc/passwd");
  show("etc/passwd", "etc/passwd");
  show("./etc/hosts", "./etc/hosts");
  write_text("/tmp/files_runtime_root.txt", "hello world");
  write_text("tmp/files_runtime_root.txt", "hi");
  show("rewritten", "./tmp/files_runtime_root.txt");
  show("missing", "/tmp/no_such_file.txt");
  show("/dev/null", "/dev/null");
  struct stat info;
  printf("stat /tmp: %d, directory %d\n", stat("/tmp", &info), S_ISDIR(info.st_mode));
  printf("stat /nope: %d, errno %d\n", stat("/nope", &info), errno);
  DIR* etc = opendir("/etc");
  int entries = 0;
  for (struct dirent* entry; etc != NULL && (entry = readdir(etc)) != NULL;) entries += entry->d_name[0] != '.';
  if (etc != NULL) closedir(etc);
  printf("/etc entries: %d\n", entries);
  return 0;
}
