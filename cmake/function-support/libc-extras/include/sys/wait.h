/*
 * <sys/wait.h> for Faasm functions, as Faasm's wasi-libc fork declares it behind __faasm (Debian's wasi-libc
 * has none). A Faasm function has no child processes: waitpid (wait.c) answers as Faasm's runtime does, at
 * once, with the pid asked for and an exit status of 0. The status macros are musl's encoding.
 */
#ifndef FAASMJS_LIBC_EXTRAS_SYS_WAIT_H
#define FAASMJS_LIBC_EXTRAS_SYS_WAIT_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WNOHANG 1
#define WUNTRACED 2

#define WEXITSTATUS(s) (((s)&0xff00) >> 8)
#define WTERMSIG(s) ((s)&0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)
#define WIFEXITED(s) (!WTERMSIG(s))
#define WIFSTOPPED(s) ((short)((((s)&0xffff) * 0x10001U) >> 8) > 0x7f00)
#define WIFSIGNALED(s) (((s)&0xffff) - 1U < 0xffu)

pid_t waitpid(pid_t pid, int* status, int options);

#ifdef __cplusplus
}
#endif

#endif /* FAASMJS_LIBC_EXTRAS_SYS_WAIT_H */
