/* uname: what clang's wasi-libc reports, and so what Faasm reports (Emscripten's says "Emscripten"). */
#define _GNU_SOURCE /* for utsname.domainname */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

int uname(struct utsname* name) {
  if (name == NULL) {
    errno = EFAULT;
    return -1;
  }
  memset(name, 0, sizeof *name);
  strcpy(name->sysname, "wasi");
  strcpy(name->nodename, "(none)");
  strcpy(name->release, "0.0.0");
  strcpy(name->version, "0.0.0");
  strcpy(name->machine, "wasm32");
  strcpy(name->domainname, "(none)");
  return 0;
}
