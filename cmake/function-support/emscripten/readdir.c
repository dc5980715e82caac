/* getdents64 (readdir): WASI fd_readdir, its entries rewritten as Linux dirents. Emscripten imports this system
 * call from JavaScript.
 *
 * Hosts read fd_readdir's cookie in two ways. sdk/js resumes at the entry the cookie names. Faasm (and the
 * embedded cluster's worker, which follows it: faasm src/wamr/filesystem.cpp fd_readdir,
 * src/storage/FileDescriptor.cpp copyDirentsToWasiBuffer) only tells the start cookie (0) from any other and
 * walks an iterator of its own, which moves past every complete entry it put in the buffer (and back over one
 * it had to cut). So no entry a call returns may be dropped: the entries read but not yet handed out wait in
 * the descriptor's buffer, and the next fd_readdir asks from the cookie of the last complete entry, which is
 * the same place under both readings. */
#include "readdir.h"

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

/* Room for at least one entry with the longest name a dirent holds. */
#define BUFFER_BYTES 1024

/* One directory stream per fd, as the kernel has: the WASI bytes fetched and how far they are handed out. */
struct Stream {
  unsigned char* buffer; /* BUFFER_BYTES, allocated on the descriptor's first read */
  size_t used;           /* bytes fd_readdir filled */
  size_t next;           /* offset of the first entry not handed out */
  __wasi_dircookie_t cookie;
  int ended; /* the last fill was not full: nothing follows what is in the buffer */
};

#define MAX_FDS 1024
static struct Stream streams[MAX_FDS];

void faasmjs_readdir_restart(int fd) {
  if (fd >= 0 && fd < MAX_FDS) {
    struct Stream* stream = &streams[fd];
    stream->used = stream->next = 0;
    stream->cookie = 0;
    stream->ended = 0;
  }
}

static unsigned char dirent_type(__wasi_filetype_t type) {
  switch (type) {
    case __WASI_FILETYPE_DIRECTORY:
      return DT_DIR;
    case __WASI_FILETYPE_REGULAR_FILE:
      return DT_REG;
    case __WASI_FILETYPE_SYMBOLIC_LINK:
      return DT_LNK;
    case __WASI_FILETYPE_CHARACTER_DEVICE:
      return DT_CHR;
    case __WASI_FILETYPE_BLOCK_DEVICE:
      return DT_BLK;
    default:
      return DT_UNKNOWN;
  }
}

/* The complete entry at the stream's `next`, or 0 when the buffer holds none (the rest is a cut-off entry). */
static int pending_entry(const struct Stream* stream, __wasi_dirent_t* entry) {
  if (stream->used - stream->next < sizeof *entry) return 0;
  memcpy(entry, stream->buffer + stream->next, sizeof *entry);
  return stream->used - stream->next - sizeof *entry >= entry->d_namlen;
}

/* Fetches the entries after the last one handed out; 0, or a WASI errno. */
static __wasi_errno_t refill(int fd, struct Stream* stream) {
  if (stream->buffer == NULL && (stream->buffer = malloc(BUFFER_BYTES)) == NULL) {
    return __WASI_ERRNO_NOMEM;
  }
  __wasi_size_t used;
  __wasi_errno_t error = __wasi_fd_readdir(fd, stream->buffer, BUFFER_BYTES, stream->cookie, &used);
  if (error != __WASI_ERRNO_SUCCESS) {
    stream->used = stream->next = 0;
    return error;
  }
  stream->used = used;
  stream->next = 0;
  stream->ended = used < BUFFER_BYTES;
  return __WASI_ERRNO_SUCCESS;
}

long __syscall_getdents64(long fd, long dirp, long count) {
  if (fd < 0 || fd >= MAX_FDS) {
    return -EBADF;
  }
  struct Stream* stream = &streams[fd];
  char* out = (char*)dirp;
  long written = 0;
  for (;;) {
    __wasi_dirent_t entry;
    if (!pending_entry(stream, &entry)) {
      if (stream->ended) {
        return written;
      }
      if (stream->next == 0 && stream->used == BUFFER_BYTES) {
        /* A full buffer without one complete entry: a name longer than any dirent holds. */
        return written > 0 ? written : -ENAMETOOLONG;
      }
      __wasi_errno_t error = refill((int)fd, stream);
      if (error != __WASI_ERRNO_SUCCESS) {
        return written > 0 ? written : -(long)error;
      }
      continue;
    }
    size_t nameLength = entry.d_namlen < 255 ? entry.d_namlen : 255;
    size_t recordLength = (offsetof(struct dirent, d_name) + nameLength + 1 + 7) & ~(size_t)7;
    if (written + (long)recordLength > count) {
      return written > 0 ? written : -EINVAL;
    }
    struct dirent* record = (struct dirent*)(out + written);
    record->d_ino = entry.d_ino;
    record->d_off = (off_t)entry.d_next;
    record->d_reclen = (unsigned short)recordLength;
    record->d_type = dirent_type(entry.d_type);
    memcpy(record->d_name, stream->buffer + stream->next + sizeof entry, nameLength);
    record->d_name[nameLength] = '\0';
    written += (long)recordLength;
    stream->next += sizeof entry + entry.d_namlen;
    stream->cookie = entry.d_next;
  }
}
