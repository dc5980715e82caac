/* access, faccessat: whether the path exists (WASI has no permission bits, so existence is the whole answer,
 * as in wasi-libc). Emscripten imports these system calls from JavaScript. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <wasi/api.h>

#include "preopens.h"

long __syscall_faccessat(long dirFd, long path, long mode, long flags) {
  (void)mode;
  (void)flags;
  const char* name = (const char*)path;
  if (dirFd != AT_FDCWD && name[0] != '/') {
    return -ENOTSUP;
  }
  const char* relative;
  int preopen = faasmjs_resolve_path(name, &relative);
  if (preopen < 0) {
    return preopen;
  }
  __wasi_filestat_t file;
  __wasi_errno_t error =
      __wasi_path_filestat_get(preopen, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, relative, strlen(relative), &file);
  return -(long)error;
}

long __syscall_access(long path, long mode) { return __syscall_faccessat(AT_FDCWD, path, mode, 0); }
