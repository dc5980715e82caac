/* stat, lstat, fstat, fstatat: WASI path_filestat_get / fd_filestat_get, translated into a musl struct stat.
 * Emscripten imports these system calls from JavaScript, which no Faasm host provides. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <wasi/api.h>

#include "preopens.h"

static mode_t file_type_mode(__wasi_filetype_t type) {
  switch (type) {
    case __WASI_FILETYPE_DIRECTORY:
      return S_IFDIR;
    case __WASI_FILETYPE_REGULAR_FILE:
      return S_IFREG;
    case __WASI_FILETYPE_SYMBOLIC_LINK:
      return S_IFLNK;
    case __WASI_FILETYPE_CHARACTER_DEVICE:
      return S_IFCHR;
    case __WASI_FILETYPE_BLOCK_DEVICE:
      return S_IFBLK;
    case __WASI_FILETYPE_SOCKET_STREAM:
    case __WASI_FILETYPE_SOCKET_DGRAM:
      return S_IFSOCK;
    default:
      return 0;
  }
}

static struct timespec to_timespec(__wasi_timestamp_t time) {
  return (struct timespec){.tv_sec = time / 1000000000ULL, .tv_nsec = time % 1000000000ULL};
}

/* WASI has no permission bits; wasi-libc reports none either, so st_mode is the file type alone. */
static long fill_stat(__wasi_errno_t error, const __wasi_filestat_t* file, struct stat* out) {
  if (error != __WASI_ERRNO_SUCCESS) {
    return -(long)error;
  }
  memset(out, 0, sizeof *out);
  out->st_dev = file->dev;
  out->st_ino = file->ino;
  out->st_mode = file_type_mode(file->filetype);
  out->st_nlink = file->nlink;
  out->st_size = file->size;
  out->st_atim = to_timespec(file->atim);
  out->st_mtim = to_timespec(file->mtim);
  out->st_ctim = to_timespec(file->ctim);
  return 0;
}

static long stat_path(const char* path, __wasi_lookupflags_t lookupFlags, struct stat* out) {
  const char* relative;
  int dirFd = faasmjs_resolve_path(path, &relative);
  if (dirFd < 0) {
    return dirFd;
  }
  __wasi_filestat_t file;
  return fill_stat(__wasi_path_filestat_get(dirFd, lookupFlags, relative, strlen(relative), &file), &file, out);
}

long __syscall_stat64(long path, long buf) {
  return stat_path((const char*)path, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, (struct stat*)buf);
}

long __syscall_lstat64(long path, long buf) { return stat_path((const char*)path, 0, (struct stat*)buf); }

long __syscall_fstat64(long fd, long buf) {
  __wasi_filestat_t file;
  return fill_stat(__wasi_fd_filestat_get(fd, &file), &file, (struct stat*)buf);
}

long __syscall_fstatat64(long dirFd, long path, long buf, long flags) {
  const char* name = (const char*)path;
  if (dirFd != AT_FDCWD && name[0] != '/') {
    return -ENOTSUP;
  }
  return stat_path(name, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, (struct stat*)buf);
}
