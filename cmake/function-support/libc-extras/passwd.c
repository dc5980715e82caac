/* getpwuid and getpwnam (<pwd.h>) on WASI: a scan of the runtime root's /etc/passwd, which is where every
 * Faasm host keeps its user database (Faasm's deploy/conf/passwd; faasm.js: sdk/runtime-root/etc/passwd). */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PASSWD_PATH "/etc/passwd"

static char line[1024];
static struct passwd entry;

/* Splits `text` at the next ':' (or the line's end) and returns the field it started with. */
static char* next_field(char** text) {
  char* field = *text;
  char* end = field + strcspn(field, ":\n");
  *text = *end == ':' ? end + 1 : end;
  *end = '\0';
  return field;
}

/* Parses one "name:passwd:uid:gid:gecos:dir:shell" line of `line` into `entry`; 0 if it is malformed. */
static int parse_line(void) {
  char* cursor = line;
  entry.pw_name = next_field(&cursor);
  entry.pw_passwd = next_field(&cursor);
  char* uid = next_field(&cursor);
  char* gid = next_field(&cursor);
  entry.pw_gecos = next_field(&cursor);
  entry.pw_dir = next_field(&cursor);
  entry.pw_shell = next_field(&cursor);
  if (*uid == '\0' || *gid == '\0') {
    return 0;
  }
  entry.pw_uid = (uid_t)strtoul(uid, NULL, 10);
  entry.pw_gid = (gid_t)strtoul(gid, NULL, 10);
  return 1;
}

/* The first well-formed entry for which `matches` holds, or NULL. */
static struct passwd* find_entry(int (*matches)(const struct passwd*, const void*), const void* wanted) {
  FILE* file = fopen(PASSWD_PATH, "r");
  if (file == NULL) {
    return NULL;
  }
  struct passwd* found = NULL;
  while (found == NULL && fgets(line, sizeof line, file) != NULL) {
    if (parse_line() && matches(&entry, wanted)) {
      found = &entry;
    }
  }
  fclose(file);
  return found;
}

static int has_uid(const struct passwd* candidate, const void* uid) { return candidate->pw_uid == *(const uid_t*)uid; }

static int has_name(const struct passwd* candidate, const void* name) {
  return strcmp(candidate->pw_name, (const char*)name) == 0;
}

struct passwd* getpwuid(uid_t uid) {
  return find_entry(has_uid, &uid);
}

struct passwd* getpwnam(const char* name) {
  return name == NULL ? NULL : find_entry(has_name, name);
}
