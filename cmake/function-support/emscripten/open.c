/* open, openat (and so fopen, opendir): WASI path_open in the preopen that holds the path. Emscripten's own
 * standalone open answers EPERM for every file, and its openat is a JavaScript import no Faasm host has. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <wasi/api.h>

#include "preopens.h"
#include "readdir.h"

#define WRITE_RIGHTS                                                                                        \
  (__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_ALLOCATE | \
   __WASI_RIGHTS_FD_FILESTAT_SET_SIZE)

static long open_in_preopen(const char* path, long flags) {
  const char* relative;
  int dirFd = faasmjs_resolve_path(path, &relative);
  if (dirFd < 0) {
    return dirFd;
  }
  __wasi_fdstat_t dirStat;
  __wasi_errno_t error = __wasi_fd_fdstat_get(dirFd, &dirStat);
  if (error != __WASI_ERRNO_SUCCESS) {
    return -error;
  }
  __wasi_oflags_t openFlags = 0;
  if (flags & O_CREAT) openFlags |= __WASI_OFLAGS_CREAT;
  if (flags & O_EXCL) openFlags |= __WASI_OFLAGS_EXCL;
  if (flags & O_TRUNC) openFlags |= __WASI_OFLAGS_TRUNC;
  if (flags & O_DIRECTORY) openFlags |= __WASI_OFLAGS_DIRECTORY;
  __wasi_fdflags_t fdFlags = 0;
  if (flags & O_APPEND) fdFlags |= __WASI_FDFLAGS_APPEND;
  if (flags & O_NONBLOCK) fdFlags |= __WASI_FDFLAGS_NONBLOCK;
  __wasi_rights_t rights = dirStat.fs_rights_inheriting;
  if ((flags & O_ACCMODE) == O_RDONLY) {
    rights &= ~(__wasi_rights_t)WRITE_RIGHTS;
  } else if ((flags & O_ACCMODE) == O_WRONLY) {
    rights &= ~(__wasi_rights_t)(__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR);
  }
  __wasi_lookupflags_t lookupFlags = (flags & O_NOFOLLOW) ? 0 : __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;
  __wasi_fd_t fd;
  error = __wasi_path_open(dirFd, lookupFlags, relative, strlen(relative), openFlags, rights,
                           dirStat.fs_rights_inheriting, fdFlags, &fd);
  if (error != __WASI_ERRNO_SUCCESS) {
    return -(long)error;
  }
  faasmjs_readdir_restart((int)fd);
  return (long)fd;
}

/* Emscripten's standalone library defines a weak __syscall_open of its own (stdio only, EPERM for the rest), and
 * a weak definition already linked keeps an archive's from being fetched: which one a function got depended on
 * whether standalone.o came in first (musl's fcntl, for one, brings it). The link wraps the symbol
 * (--wrap=__syscall_open, faasmjs_add_function), so musl's open and fopen always reach this one. */
long __wrap___syscall_open(long path, long flags, ...) { return open_in_preopen((const char*)path, flags); }

long __syscall_openat(long dirFd, long path, long flags, ...) {
  if (dirFd != AT_FDCWD && ((const char*)path)[0] != '/') {
    return -ENOTSUP;
  }
  return open_in_preopen((const char*)path, flags);
}
