/*
 * <unistd.h> for Faasm functions: wasi-libc's, plus what Faasm's wasi-libc fork declares behind __faasm
 * (user ids, pipe, dup), implemented in this folder on WASI and, for dup, on the host's env.__wasi_fd_dup.
 */
#ifndef FAASMJS_LIBC_EXTRAS_UNISTD_H
#define FAASMJS_LIBC_EXTRAS_UNISTD_H

#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ids.c: Faasm's fixed identity (uid and gid 1000, pid 23). */
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);

/* pipe.c: Faasm has no pipes; the call fails the function, as on Faasm. */
int pipe(int fds[2]);

/* dup.c: a new descriptor for the same open file, sharing its position, as Faasm's host gives it. */
int dup(int fd);

#ifdef __cplusplus
}
#endif

#endif /* FAASMJS_LIBC_EXTRAS_UNISTD_H */
