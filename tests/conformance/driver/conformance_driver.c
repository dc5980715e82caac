/*
 * The conformance driver: one Faasm function that makes the host calls a case lists and writes down what it
 * saw, so that every host runs the same cases through the same binary (tests/conformance/README.md).
 *
 * Its input is a script, one step per line, each a verb and its arguments separated by single spaces:
 * integers in decimal, byte strings as `x` followed by their hex digits (`x` alone is empty). Keys and names
 * are byte strings given to the host NUL-terminated. The runners write these scripts from the cases' JSON
 * (the JSON files of tests/conformance/cases, encoded by runners/cases.mjs); nobody writes them by hand.
 *
 * For each step it appends one line to its log: `ok`, or `r=N` (a return value), `b=HEX` (bytes it read), or
 * both as `r=N b=HEX`. When the script ends, the log is its output and it returns 0. The verb `end N` stops
 * without writing the log (so what `output` wrote stays the call's output) and returns N. A host fault ends
 * the call inside the step that caused it; the runner then compares the fault, not the log.
 *
 * Built twice: conformance_driver with every call, and conformance_driver_wamr (FAASMJS_CONFORMANCE_WAMR_ONLY)
 * without the calls Faasm's WAMR backend lacks, which is what the Faasm runner uploads under the same name (a
 * binary importing a call WAMR lacks is refused before it runs). Cases that use those calls say so.
 *
 * Written in C against the raw ABI only (faasmjs/detail/host_abi.h), so that the native host
 * (runners/native_main.cpp) runs this same source, and so that nothing of the typed SDK stands between a
 * case and the host.
 */
#include "faasmjs/detail/host_abi.h"

#if defined(__wasm__)
#include <wasi/api.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one call keeps while its script runs. Nothing is static: natively, a call chained by name runs inside
 * its caller's process (and stack), so each call has its own. */
#define MAX_SLOTS 16
struct Call {
  char* log_text; /* the log, growing as steps run */
  size_t log_length;
  size_t log_capacity;
  unsigned slots[MAX_SLOTS]; /* chained calls by slot: ids differ between hosts, so cases name slots */
  unsigned char* mapped;     /* the last pointer read_state_ptr or read_state_offset_ptr returned, for poke */
};

static struct Call* call = NULL;

static void log_append(const char* text, size_t length) {
  if (call->log_length + length + 1 > call->log_capacity) {
    call->log_capacity = (call->log_length + length + 1) * 2;
    call->log_text = realloc(call->log_text, call->log_capacity);
    if (call->log_text == NULL) abort();
  }
  memcpy(call->log_text + call->log_length, text, length);
  call->log_length += length;
  call->log_text[call->log_length] = '\0';
}

static void log_text_z(const char* text) { log_append(text, strlen(text)); }

static void log_return(long value) {
  char number[32];
  snprintf(number, sizeof number, "r=%ld", value);
  log_text_z(number);
}

static void log_bytes(const unsigned char* bytes, size_t length) {
  static const char digits[] = "0123456789abcdef";
  log_text_z(call->log_length > 0 && call->log_text[call->log_length - 1] != '\n' ? " b=" : "b=");
  for (size_t i = 0; i < length; i++) {
    char pair[2] = {digits[bytes[i] >> 4], digits[bytes[i] & 15]};
    log_append(pair, 2);
  }
}

static void log_end_line(void) { log_append("\n", 1); }

/* A step's arguments, parsed from one line. */
#define MAX_ARGS 8
struct Arg {
  long number;
  unsigned char* bytes; /* NUL-terminated, so a key can be passed as is */
  size_t length;
};

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* A bad script is the runner's bug: the call fails naming the step. */
static int fail_script(const char* line, const char* why) {
  char message[512];
  snprintf(message, sizeof message, "conformance driver: %s in step '%.400s'", why, line);
  __faasm_write_output(message, (long)strlen(message));
  return 2;
}

static int parse_arg(char* token, struct Arg* arg) {
  arg->bytes = NULL;
  arg->length = 0;
  arg->number = 0;
  if (token[0] == 'x') {
    size_t digits = strlen(token + 1);
    if (digits % 2 != 0) return 0;
    arg->length = digits / 2;
    arg->bytes = malloc(arg->length + 1);
    for (size_t i = 0; i < arg->length; i++) {
      int high = hex_value(token[1 + 2 * i]);
      int low = hex_value(token[2 + 2 * i]);
      if (high < 0 || low < 0) return 0;
      arg->bytes[i] = (unsigned char)(high * 16 + low);
    }
    arg->bytes[arg->length] = '\0';
    return 1;
  }
  char* end = NULL;
  arg->number = strtol(token, &end, 10);
  return end != token && *end == '\0';
}

/* What a case chains by pointer: echo its input with a prefix, or fail with return value 3. */
static int echo_by_pointer(void) {
  long size = __faasm_read_input(NULL, 0);
  unsigned char* input = malloc((size_t)size + 6);
  memcpy(input, "echo:", 5);
  long got = __faasm_read_input(input + 5, size);
  __faasm_write_output((const char*)input, 5 + got);
  return 0;
}

static int fail_by_pointer(void) {
  __faasm_write_output("failing", 7);
  return 3;
}

static void log_buffer(unsigned char* buffer, long length) { log_bytes(buffer, length > 0 ? (size_t)length : 0); }

static unsigned char* buffer_of(long length) { return calloc(length > 0 ? (size_t)length : 1, 1); }

#if defined(__wasm__)
/* A WASI preview1 call made directly (wasi/api.h), so that the errno is the host's own, not libc's reading of
 * it; returns the errno, or -1 for a name or argument count the driver does not know. The native host has
 * no WASI layer (natively the build machine's libc answers), so WASI rows are wasm hosts' only. Emscripten
 * 3.1.6 refuses to link a binary importing fd_tell, fd_filestat_get, fd_prestat_get or random_get (its
 * JavaScript library lacks them), so its driver leaves them out and their rows say so. */
static long wasi_call(const char* name, const struct Arg* a, int count) {
  unsigned char buffer[64];
  if (strcmp(name, "fd_close") == 0 && count == 1) return __wasi_fd_close((__wasi_fd_t)a[0].number);
  if (strcmp(name, "fd_read") == 0 && count == 2) {
    __wasi_iovec_t iov = {buffer, (size_t)a[1].number < sizeof buffer ? (size_t)a[1].number : sizeof buffer};
    __wasi_size_t got = 0;
    return __wasi_fd_read((__wasi_fd_t)a[0].number, &iov, 1, &got);
  }
  if (strcmp(name, "fd_write") == 0 && count == 2) {
    __wasi_ciovec_t iov = {a[1].bytes, a[1].length};
    __wasi_size_t written = 0;
    return __wasi_fd_write((__wasi_fd_t)a[0].number, &iov, 1, &written);
  }
  if (strcmp(name, "fd_seek") == 0 && count == 3) {
    __wasi_filesize_t at = 0;
    return __wasi_fd_seek((__wasi_fd_t)a[0].number, a[1].number, (__wasi_whence_t)a[2].number, &at);
  }
#if !defined(__EMSCRIPTEN__)
  if (strcmp(name, "fd_tell") == 0 && count == 1) {
    __wasi_filesize_t at = 0;
    return __wasi_fd_tell((__wasi_fd_t)a[0].number, &at);
  }
#endif
  if (strcmp(name, "fd_fdstat_get") == 0 && count == 1) {
    __wasi_fdstat_t stat;
    return __wasi_fd_fdstat_get((__wasi_fd_t)a[0].number, &stat);
  }
#if !defined(__EMSCRIPTEN__)
  if (strcmp(name, "fd_filestat_get") == 0 && count == 1) {
    __wasi_filestat_t stat;
    return __wasi_fd_filestat_get((__wasi_fd_t)a[0].number, &stat);
  }
  if (strcmp(name, "fd_prestat_get") == 0 && count == 1) {
    __wasi_prestat_t prestat;
    return __wasi_fd_prestat_get((__wasi_fd_t)a[0].number, &prestat);
  }
#endif
  if (strcmp(name, "fd_sync") == 0 && count == 1) return __wasi_fd_sync((__wasi_fd_t)a[0].number);
  if (strcmp(name, "clock_time_get") == 0 && count == 1) {
    __wasi_timestamp_t now = 0;
    return __wasi_clock_time_get((__wasi_clockid_t)a[0].number, 1, &now);
  }
#if !defined(__EMSCRIPTEN__)
  if (strcmp(name, "random_get") == 0 && count == 1) {
    return __wasi_random_get(buffer, (size_t)a[0].number < sizeof buffer ? (size_t)a[0].number : sizeof buffer);
  }
#endif
  return -1;
}
#endif

/* Runs one step; returns -1 to go on, or the call's return value to stop with. */
static int run_step(char* line) {
  char* copy = strdup(line);
  char* verb = strtok(line, " ");
  struct Arg a[MAX_ARGS];
  int count = 0;
  for (char* token = strtok(NULL, " "); token != NULL; token = strtok(NULL, " ")) {
    if (count == MAX_ARGS || !parse_arg(token, &a[count])) return fail_script(copy, "bad argument");
    count++;
  }
#define NEEDS(n)                                                             \
  do {                                                                       \
    if (count != (n)) return fail_script(copy, "wrong number of arguments"); \
  } while (0)
#define SLOT(i) (a[i].number >= 0 && a[i].number < MAX_SLOTS ? (size_t)a[i].number : 0)
  const char* k = count > 0 ? (const char*)a[0].bytes : NULL;

  if (strcmp(verb, "input") == 0) {
    NEEDS(1);
    unsigned char* buffer = buffer_of(a[0].number);
    long got = __faasm_read_input(buffer, a[0].number);
    log_return(got);
    if (a[0].number > 0) log_buffer(buffer, got < a[0].number ? got : a[0].number);
  } else if (strcmp(verb, "output") == 0) {
    NEEDS(1);
    __faasm_write_output((const char*)a[0].bytes, (long)a[0].length);
    log_text_z("ok");
  } else if (strcmp(verb, "end") == 0) {
    NEEDS(1);
    return (int)a[0].number;
  } else if (strcmp(verb, "chain_name") == 0) {
    NEEDS(3);
    call->slots[SLOT(0)] = __faasm_chain_name((const char*)a[1].bytes, a[2].bytes, (long)a[2].length);
    log_text_z("ok");
  } else if (strcmp(verb, "chain_ptr") == 0) {
    NEEDS(3);
    int (*target)(void) = a[1].number == 1 ? echo_by_pointer : fail_by_pointer;
    call->slots[SLOT(0)] = __faasm_chain_ptr(target, a[2].bytes, (long)a[2].length);
    log_text_z("ok");
  } else if (strcmp(verb, "await") == 0) {
    NEEDS(1);
    log_return(__faasm_await_call(call->slots[SLOT(0)]));
  } else if (strcmp(verb, "await_output") == 0) {
    NEEDS(1);
    char* output = NULL;
    int length = 0;
    int result = __faasm_await_call_output(call->slots[SLOT(0)], &output, &length);
    log_return(result);
    log_bytes((const unsigned char*)output, (size_t)length);
    free(output);
  } else if (strcmp(verb, "read_state") == 0) {
    NEEDS(2);
    unsigned char* buffer = buffer_of(a[1].number);
    long got = __faasm_read_state(k, buffer, a[1].number);
    log_return(got);
    if (a[1].number > 0) log_buffer(buffer, a[1].number);
  } else if (strcmp(verb, "read_state_ptr") == 0) {
    NEEDS(2);
    call->mapped = __faasm_read_state_ptr(k, a[1].number);
    log_buffer(call->mapped, a[1].number);
  } else if (strcmp(verb, "poke") == 0) {
    NEEDS(2);
    if (call->mapped == NULL) return fail_script(copy, "poke before any read_state_ptr");
    memcpy(call->mapped + a[0].number, a[1].bytes, a[1].length);
    log_text_z("ok");
  } else if (strcmp(verb, "write_state") == 0) {
    NEEDS(2);
    __faasm_write_state(k, a[1].bytes, (long)a[1].length);
    log_text_z("ok");
  } else if (strcmp(verb, "push_state") == 0) {
    NEEDS(1);
    __faasm_push_state(k);
    log_text_z("ok");
  } else if (strcmp(verb, "pull_state") == 0) {
    NEEDS(2);
    __faasm_pull_state(k, a[1].number);
    log_text_z("ok");
  } else if (strcmp(verb, "append_state") == 0) {
    NEEDS(2);
    __faasm_append_state(k, a[1].bytes, (long)a[1].length);
    log_text_z("ok");
  } else if (strcmp(verb, "read_appended_state") == 0) {
    NEEDS(3);
    unsigned char* buffer = buffer_of(a[1].number);
    __faasm_read_appended_state(k, buffer, a[1].number, a[2].number);
    log_buffer(buffer, a[1].number);
  } else if (strcmp(verb, "host_interface_test") == 0) {
    NEEDS(1);
    __faasm_host_interface_test((int)a[0].number);
    log_text_z("ok");
#if defined(__wasm__)
  } else if (strcmp(verb, "wasi") == 0) {
    if (count < 1) return fail_script(copy, "wasi needs a call name");
    long errno_value = wasi_call((const char*)a[0].bytes, a + 1, count - 1);
    if (errno_value < 0) return fail_script(copy, "unknown or malformed wasi call");
    log_return(errno_value);
#endif
#ifndef FAASMJS_CONFORMANCE_WAMR_ONLY
    /* The calls Faasm's WAVM backend has and its WAMR backend lacks (../shared/faasm/README.md): the driver
     * built for Faasm (conformance_driver_wamr) leaves them out, as a binary importing them cannot run there. */
  } else if (strcmp(verb, "read_state_offset") == 0) {
    NEEDS(4);
    unsigned char* buffer = buffer_of(a[3].number);
    __faasm_read_state_offset(k, a[1].number, a[2].number, buffer, a[3].number);
    log_buffer(buffer, a[3].number);
  } else if (strcmp(verb, "read_state_offset_ptr") == 0) {
    NEEDS(4);
    call->mapped = __faasm_read_state_offset_ptr(k, a[1].number, a[2].number, a[3].number);
    log_buffer(call->mapped, a[3].number);
  } else if (strcmp(verb, "write_state_offset") == 0) {
    NEEDS(4);
    __faasm_write_state_offset(k, a[1].number, a[2].number, a[3].bytes, (long)a[3].length);
    log_text_z("ok");
  } else if (strcmp(verb, "write_state_from_file") == 0) {
    NEEDS(2);
    log_return((long)__faasm_write_state_from_file(k, (const char*)a[1].bytes));
  } else if (strcmp(verb, "flag_state_dirty") == 0) {
    NEEDS(2);
    __faasm_flag_state_dirty(k, a[1].number);
    log_text_z("ok");
  } else if (strcmp(verb, "flag_state_offset_dirty") == 0) {
    NEEDS(4);
    __faasm_flag_state_offset_dirty(k, a[1].number, a[2].number, a[3].number);
    log_text_z("ok");
  } else if (strcmp(verb, "push_state_partial") == 0) {
    NEEDS(1);
    __faasm_push_state_partial(k);
    log_text_z("ok");
  } else if (strcmp(verb, "push_state_partial_mask") == 0) {
    NEEDS(2);
    __faasm_push_state_partial_mask(k, (const char*)a[1].bytes);
    log_text_z("ok");
  } else if (strcmp(verb, "clear_appended_state") == 0) {
    NEEDS(1);
    __faasm_clear_appended_state(k);
    log_text_z("ok");
  } else if (strcmp(verb, "lock_state_read") == 0) {
    NEEDS(1);
    __faasm_lock_state_read(k);
    log_text_z("ok");
  } else if (strcmp(verb, "unlock_state_read") == 0) {
    NEEDS(1);
    __faasm_unlock_state_read(k);
    log_text_z("ok");
  } else if (strcmp(verb, "lock_state_write") == 0) {
    NEEDS(1);
    __faasm_lock_state_write(k);
    log_text_z("ok");
  } else if (strcmp(verb, "unlock_state_write") == 0) {
    NEEDS(1);
    __faasm_unlock_state_write(k);
    log_text_z("ok");
  } else if (strcmp(verb, "conf_flag") == 0) {
    NEEDS(1);
    log_return((long)__faasm_conf_flag(k));
#endif
  } else {
    return fail_script(copy, "unknown verb");
  }
  log_end_line();
  free(copy);
  return -1;
#undef NEEDS
#undef SLOT
}

int main(void) {
  struct Call* caller = call;
  struct Call mine = {0};
  call = &mine;
  long size = __faasm_read_input(NULL, 0);
  char* script = calloc((size_t)size + 1, 1);
  __faasm_read_input((unsigned char*)script, size);
  log_text_z("");
  int result = -1;
  for (char* line = script; line != NULL && *line != '\0';) {
    char* next = strchr(line, '\n');
    if (next != NULL) *next++ = '\0';
    if (*line != '\0') {
      int stop = run_step(line);
      if (stop >= 0) {
        result = stop;
        break;
      }
    }
    line = next;
  }
  if (result < 0) {
    __faasm_write_output(mine.log_text, (long)mine.log_length);
    result = 0;
  }
  call = caller;
  return result;
}
