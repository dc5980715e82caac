// files_shared: shared files, "global read, local write": faasm://conformance/in.txt is uploaded before the
// call; a missing one is ENOENT; a new one written by the call is created, in a new directory too; writing
// over the uploaded one changes the host's copy (fopen "w" does not truncate on Faasm). It puts the uploaded
// bytes back at the end: a host keeps its copy of a shared file, so the next run on that host starts from
// what this one left.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void show(const char* path) {
  FILE* file = fopen(path, "r");
  if (file == NULL) {
    printf("%s: errno %d\n", path, errno);
    return;
  }
  char buffer[256];
  size_t n = fread(buffer, 1, sizeof buffer - 1, file);
  buffer[n] = '\0';
  fclose(file);
  printf("%s: [%s]\n", path, buffer);
}

static void write_text(const char* path, const char* text) {
  FILE* file = fopen(path, "w");
  if (file == NULL) {
    printf("write %s: errno %d\n", path, errno);
    return;
  }
  printf("write %s: %zu\n", path, fwrite(text, 1, strlen(text), file));
  fclose(file);
}

int main(void) {
  show("faasm://conformance/in.txt");
  struct stat info;
  printf("stat: %d, size %lld\n", stat("faasm://conformance/in.txt", &info), (long long)info.st_size);
  show("faasm://conformance/none.txt");
  write_text("faasm://conformance/out.txt", "made here");
  show("faasm://conformance/out.txt");
  write_text("faasm://conformance/in.txt", "XY");
  show("faasm://conformance/in.txt");
  write_text("faasm://conformance/made/here.txt", "new dir");
  show("faasm://conformance/made/here.txt");
  write_text("faasm://conformance/in.txt", "sh");
  return 0;
}
