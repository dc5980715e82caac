/* Finds the preopen for a path as wasi-libc's libpreopen does: the preopens are the descriptors from 3 on for
 * which fd_prestat_get succeeds, read once on first use. */
#include "preopens.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define FIRST_PREOPEN_FD 3
#define MAX_PREOPENS 16

struct preopen {
  int fd;
  char* name;
};

static struct preopen preopens[MAX_PREOPENS];
static int preopenCount = -1;

static void read_preopens(void) {
  preopenCount = 0;
  for (int fd = FIRST_PREOPEN_FD; preopenCount < MAX_PREOPENS; ++fd) {
    __wasi_prestat_t prestat;
    if (__wasi_fd_prestat_get(fd, &prestat) != __WASI_ERRNO_SUCCESS) {
      return;
    }
    size_t length = prestat.u.dir.pr_name_len;
    char* name = malloc(length + 1);
    if (name == NULL || __wasi_fd_prestat_dir_name(fd, (uint8_t*)name, length) != __WASI_ERRNO_SUCCESS) {
      free(name);
      return;
    }
    name[length] = '\0';
    preopens[preopenCount++] = (struct preopen){fd, name};
  }
}

/* How many leading characters of absolute `path` the preopen `name` covers, or 0 when it does not hold it. */
static size_t covered_length(const char* name, const char* path) {
  size_t length = strlen(name);
  while (length > 0 && name[length - 1] == '/') {
    --length;
  }
  if (name[0] != '/' || strncmp(name, path, length) != 0 || (path[length] != '/' && path[length] != '\0')) {
    return 0;
  }
  return length + 1;
}

static const char* inside(const char* path) {
  while (*path == '/') {
    ++path;
  }
  return *path == '\0' ? "." : path;
}

int faasmjs_resolve_path(const char* path, const char** relative) {
  if (preopenCount < 0) {
    read_preopens();
  }
  int best = -1;
  size_t bestLength = 0;
  for (int i = 0; i < preopenCount; ++i) {
    const char* name = preopens[i].name;
    size_t length = 0;
    if (path[0] == '/') {
      length = covered_length(name, path);
    } else if (strcmp(name, ".") == 0) {
      length = 2;
    } else if (strcmp(name, "/") == 0) {
      length = 1;
    }
    if (length > bestLength) {
      best = i;
      bestLength = length;
    }
  }
  if (best < 0) {
    return -ENOENT;
  }
  *relative = path[0] == '/' ? inside(path + bestLength - 1) : path;
  return preopens[best].fd;
}
