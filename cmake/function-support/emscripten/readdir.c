/* getdents64 (readdir): WASI fd_readdir, its entries rewritten as Linux dirents. The WASI cookie of the next
 * entry is kept per descriptor in d_off, so each call resumes where the last one stopped. Emscripten imports
 * this system call from JavaScript. */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <wasi/api.h>

#include "readdir.h"

/* The cookie to resume from per descriptor; one open directory stream at a time per fd, as the kernel has. */
#define MAX_FDS 1024
static __wasi_dircookie_t nextCookie[MAX_FDS];

void faasmjs_readdir_restart(int fd) {
    if (fd >= 0 && fd < MAX_FDS) {
        nextCookie[fd] = 0;
    }
}

static unsigned char dirent_type(__wasi_filetype_t type) {
    switch (type) {
        case __WASI_FILETYPE_DIRECTORY: return DT_DIR;
        case __WASI_FILETYPE_REGULAR_FILE: return DT_REG;
        case __WASI_FILETYPE_SYMBOLIC_LINK: return DT_LNK;
        case __WASI_FILETYPE_CHARACTER_DEVICE: return DT_CHR;
        case __WASI_FILETYPE_BLOCK_DEVICE: return DT_BLK;
        default: return DT_UNKNOWN;
    }
}

long __syscall_getdents64(long fd, long dirp, long count) {
    if (fd < 0 || fd >= MAX_FDS) {
        return -EBADF;
    }
    char* out = (char*)dirp;
    long written = 0;
    for (;;) {
        /* One WASI entry at a time: its header, then as much of the name as a dirent can hold. */
        unsigned char raw[sizeof(__wasi_dirent_t) + 256];
        __wasi_size_t used;
        __wasi_errno_t error = __wasi_fd_readdir(fd, raw, sizeof raw, nextCookie[fd], &used);
        if (error != __WASI_ERRNO_SUCCESS) {
            return written > 0 ? written : -(long)error;
        }
        if (used < sizeof(__wasi_dirent_t)) {
            return written;
        }
        __wasi_dirent_t entry;
        memcpy(&entry, raw, sizeof entry);
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
        memcpy(record->d_name, raw + sizeof entry, nameLength);
        record->d_name[nameLength] = '\0';
        written += (long)recordLength;
        nextCookie[fd] = entry.d_next;
    }
}
