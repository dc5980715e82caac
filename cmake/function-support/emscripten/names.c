/* mkdir, unlink, rename: WASI path_create_directory, path_unlink_file and path_rename in the preopen that
 * holds each path. Emscripten 3.1.6 leaves these system calls to JavaScript imports no Faasm host has. */
#include <string.h>
#include <wasi/api.h>

#include "preopens.h"

long __syscall_mkdir(long path, long mode) {
  (void)mode;
  const char* relative;
  int dirFd = faasmjs_resolve_path((const char*)path, &relative);
  if (dirFd < 0) {
    return dirFd;
  }
  return -(long)__wasi_path_create_directory(dirFd, relative, strlen(relative));
}

long __syscall_unlink(long path) {
  const char* relative;
  int dirFd = faasmjs_resolve_path((const char*)path, &relative);
  if (dirFd < 0) {
    return dirFd;
  }
  return -(long)__wasi_path_unlink_file(dirFd, relative, strlen(relative));
}

long __syscall_rename(long oldPath, long newPath) {
  const char* oldRelative;
  const char* newRelative;
  int oldDirFd = faasmjs_resolve_path((const char*)oldPath, &oldRelative);
  if (oldDirFd < 0) {
    return oldDirFd;
  }
  int newDirFd = faasmjs_resolve_path((const char*)newPath, &newRelative);
  if (newDirFd < 0) {
    return newDirFd;
  }
  return -(long)__wasi_path_rename(oldDirFd, oldRelative, strlen(oldRelative), newDirFd, newRelative,
                                   strlen(newRelative));
}
