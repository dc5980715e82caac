/*
 * <pwd.h> for Faasm functions: the user database, as Faasm's wasi-libc fork declares it behind __faasm
 * (Debian's wasi-libc has no <pwd.h>). passwd.c answers from the runtime root's /etc/passwd, which every
 * Faasm host gives a function (faasm.js: sdk/runtime-root/etc/passwd).
 *
 * Ownership: the returned entry lives in one static buffer, overwritten by the next call (as POSIX allows).
 * Thread safety: none, like the functions it replaces.
 */
#ifndef FAASMJS_LIBC_EXTRAS_PWD_H
#define FAASMJS_LIBC_EXTRAS_PWD_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct passwd {
  char* pw_name;
  char* pw_passwd;
  uid_t pw_uid;
  gid_t pw_gid;
  char* pw_gecos;
  char* pw_dir;
  char* pw_shell;
};

/* The first entry of /etc/passwd with this uid (or name); NULL with errno unchanged if none, NULL with
 * errno set if the file cannot be read. */
struct passwd* getpwuid(uid_t uid);
struct passwd* getpwnam(const char* name);

#ifdef __cplusplus
}
#endif

#endif /* FAASMJS_LIBC_EXTRAS_PWD_H */
