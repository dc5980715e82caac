/*
 * <fcntl.h> for Faasm functions: wasi-libc's, plus F_DUPFD with the value Faasm's wasi-libc fork gives it
 * (Linux's). The function's own fcntl calls go to faasmjs_fcntl (fcntl.c), which answers F_DUPFD and hands the
 * other commands to wasi-libc's fcntl; wasi-libc's own calls (fopen's, through __fdopen) still reach its fcntl
 * directly, so a function that never calls fcntl does not import env.__wasi_fd_dup.
 */
#ifndef FAASMJS_LIBC_EXTRAS_FCNTL_H
#define FAASMJS_LIBC_EXTRAS_FCNTL_H

#ifndef FAASMJS_LIBC_EXTRAS_FCNTL_C
#ifdef __cplusplus
extern "C" {
#endif
int fcntl(int fd, int cmd, ...) __asm__("faasmjs_fcntl");
#ifdef __cplusplus
}
#endif
#endif

#include_next <fcntl.h>

#define F_DUPFD (0)

#endif /* FAASMJS_LIBC_EXTRAS_FCNTL_H */
