/* uname on Faasm (faasm/cpp func/demo/uname.cpp checks these): sysname "wasi", release and version
 * "0.0.0", machine "wasm32", nodename and domainname "(none)". */
#define _GNU_SOURCE /* for utsname.domainname */
#include <stdio.h>
#include <sys/utsname.h>

int main(void) {
  struct utsname name;
  if (uname(&name) != 0) {
    perror("uname");
    return 1;
  }
  printf("sysname %s\nnodename %s\nrelease %s\nversion %s\nmachine %s\ndomainname %s\n", name.sysname, name.nodename,
         name.release, name.version, name.machine, name.domainname);
  return 0;
}
