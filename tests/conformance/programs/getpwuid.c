/* The user a Faasm function runs as (faasm/cpp func/demo/getpwuid.cpp): uid and gid 1000, named "faasm" in
 * the runtime root's /etc/passwd, which also has root; an unknown uid has no entry. Its pid is 23. */
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

static void print_entry(const char* query, const struct passwd* entry) {
  if (entry == NULL) {
    printf("%s: none\n", query);
    return;
  }
  printf("%s: %s:%s:%u:%u:%s:%s:%s\n", query, entry->pw_name, entry->pw_passwd, (unsigned)entry->pw_uid,
         (unsigned)entry->pw_gid, entry->pw_gecos, entry->pw_dir, entry->pw_shell);
}

int main(void) {
  printf("uid %u euid %u gid %u egid %u pid %d\n", (unsigned)getuid(), (unsigned)geteuid(), (unsigned)getgid(),
         (unsigned)getegid(), (int)getpid());
  print_entry("getpwuid(getuid())", getpwuid(getuid()));
  print_entry("getpwuid(0)", getpwuid(0));
  print_entry("getpwnam(\"faasm\")", getpwnam("faasm"));
  print_entry("getpwuid(4242)", getpwuid(4242));
  return 0;
}
