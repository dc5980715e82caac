/* dup_fcntl: dup and fcntl(F_DUPFD) as Faasm's wasi-libc fork provides them, on the host's env.__wasi_fd_dup
 * (faasm/faasm func/demo/fcntl.cpp duplicates with F_DUPFD too). A duplicate is a new number for the same open
 * file: writes through either land one after the other, a seek through one moves the other, and closing the
 * original leaves the duplicate open. F_DUPFD gives a number at or above its minimum. The numbers themselves
 * differ between hosts (Faasm never reuses one, sdk/js gives the lowest free), so only their relations are
 * printed. The duplicate of a descriptor that is not open is dup_bad_fd.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static const char* yes(int condition) { return condition ? "yes" : "no"; }

static void show(const char* label, int fd, size_t length) {
  char text[16] = {0};
  ssize_t n = read(fd, text, length);
  printf("%s: %zd bytes, %s\n", label, n, text);
}

int main(void) {
  /* Faasm does not truncate on open, and a worker keeps /tmp between calls: every run writes the same 11 bytes
   * from the start, so the file is the same whichever ran before. */
  int fd = open("/tmp/dup_fcntl.txt", O_CREAT | O_RDWR, 0644);
  if (fd < 0) {
    perror("open /tmp/dup_fcntl.txt");
    return 2;
  }
  int copy = dup(fd);
  printf("dup: a new descriptor: %s\n", yes(copy >= 0 && copy != fd));
  write(fd, "hello ", 6);
  write(copy, "world", 5);
  printf("6 bytes written through the original, 5 through the duplicate: positions %ld and %ld\n",
         (long)lseek(fd, 0, SEEK_CUR), (long)lseek(copy, 0, SEEK_CUR));
  lseek(copy, 0, SEEK_SET);
  show("read through the original after a seek to 0 through the duplicate", fd, 11);

  int high = fcntl(fd, F_DUPFD, 20);
  printf("F_DUPFD 20: at least 20: %s\n", yes(high >= 20));
  lseek(high, 6, SEEK_SET);
  show("read through the duplicate after a seek to 6 through the F_DUPFD one", copy, 5);
  int low = fcntl(fd, F_DUPFD, 0);
  printf("F_DUPFD 0: a new descriptor: %s\n", yes(low >= 0 && low != fd && low != copy && low != high));
  int refused = fcntl(fd, F_DUPFD, -1);
  printf("F_DUPFD -1: %d, errno %d\n", refused, errno);

  printf("close the original: %d\n", close(fd));
  lseek(copy, 0, SEEK_SET);
  show("read through the duplicate", copy, 5);
  return 0;
}
