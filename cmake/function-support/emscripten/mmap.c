/* mmap of a file: a private copy of its bytes (WASI fd_pread into anonymous memory), as wasi-libc's emulated
 * mman gives clang-built functions; Emscripten's standalone mmap answers ENOSYS for anything but anonymous
 * memory. Anonymous mappings, and munmap of both kinds, stay Emscripten's. A shared writable mapping of a
 * file cannot be emulated without writing back, so it fails with ENOTSUP, as in wasi-libc. */
#include <errno.h>
#include <sys/mman.h>
#include <wasi/api.h>

void* __mmap(void* start, size_t length, int prot, int flags, int fd, off_t offset);

void* mmap(void* start, size_t length, int prot, int flags, int fd, off_t offset) {
  if (flags & MAP_ANONYMOUS) {
    return __mmap(start, length, prot, flags, fd, offset);
  }
  if ((flags & MAP_SHARED) && (prot & PROT_WRITE)) {
    errno = ENOTSUP;
    return MAP_FAILED;
  }
  unsigned char* mapped = __mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) {
    return MAP_FAILED;
  }
  size_t filled = 0;
  while (filled < length) {
    __wasi_iovec_t rest = {.buf = mapped + filled, .buf_len = length - filled};
    __wasi_size_t read;
    __wasi_errno_t error = __wasi_fd_pread(fd, &rest, 1, (__wasi_filesize_t)offset + filled, &read);
    if (error != __WASI_ERRNO_SUCCESS) {
      munmap(mapped, length);
      errno = error;
      return MAP_FAILED;
    }
    if (read == 0) {
      break; /* past the end of the file: the rest stays zero, as POSIX has it */
    }
    filled += read;
  }
  return mapped;
}
