/* dup: Faasm's wasi-libc fork has it, on the host's env.__wasi_fd_dup (include/faasmjs/detail/host_abi.h,
 * faasm src/wamr/filesystem.cpp). WASI has no call that duplicates a descriptor, so Debian's wasi-libc has no
 * dup and Emscripten's imports one from JavaScript, which no Faasm host provides. */
#include <errno.h>
#include <faasmjs/detail/host_abi.h>
#include <unistd.h>

int dup(int fd) {
  int duplicate;
  int error = __wasi_fd_dup(fd, &duplicate);
  if (error != 0) {
    errno = error;
    return -1;
  }
  return duplicate;
}
