/* fcntl(F_DUPFD): Faasm's wasi-libc fork answers it with dup's env.__wasi_fd_dup; Debian's wasi-libc answers
 * EINVAL and Emscripten's standalone one ENOSYS. A function's fcntl calls come here first (clang:
 * include/fcntl.h names this function for them; Emscripten, whose headers are its own: the link's
 * --wrap=fcntl, faasmjs_add_function) and every other command goes on to the libc's own fcntl.
 *
 * The fork's F_DUPFD ignores its minimum. This one keeps POSIX's promise, the lowest free number at or above
 * it, on any host's allocator: it duplicates until the number reached is high enough, holding the numbers on
 * the way (sdk/js gives the lowest free number, so a number closed at once would come back) and closing them
 * after (Faasm and the embedded cluster never reuse one). */
#define FAASMJS_LIBC_EXTRAS_FCNTL_C
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#ifdef __EMSCRIPTEN__
#define FCNTL_ENTRY __wrap_fcntl
#define LIBC_FCNTL __real_fcntl
int __real_fcntl(int fd, int cmd, ...);
#else
#define FCNTL_ENTRY faasmjs_fcntl
#define LIBC_FCNTL fcntl
#endif

/* The descriptors a faasm.js host gives a function (sdk/js's table); POSIX answers a minimum past them with
 * EINVAL. */
#define MAX_DESCRIPTORS 1024

static int dup_at_least(int fd, int minimum) {
  if (minimum < 0 || minimum >= MAX_DESCRIPTORS) {
    errno = EINVAL;
    return -1;
  }
  /* Held numbers are distinct and below the minimum, so there are fewer than MAX_DESCRIPTORS of them. */
  int below[MAX_DESCRIPTORS];
  int held = 0;
  int duplicate;
  while ((duplicate = dup(fd)) >= 0 && duplicate < minimum) {
    below[held++] = duplicate;
  }
  int error = errno;
  while (held > 0) {
    close(below[--held]);
  }
  errno = error;
  return duplicate;
}

int FCNTL_ENTRY(int fd, int cmd, ...) {
  if (cmd == F_GETFD || cmd == F_GETFL) {
    return LIBC_FCNTL(fd, cmd);
  }
  va_list arguments;
  va_start(arguments, cmd);
  long argument = va_arg(arguments, long);
  va_end(arguments);
  if (cmd == F_DUPFD) {
    return dup_at_least(fd, (int)argument);
  }
  return LIBC_FCNTL(fd, cmd, argument);
}
