/* A function module that is native code rather than translated wasm: what a module made through a compiler bug
 * (an export name that wasm2c wrote into the C it generates, issue 9) could do in a worker, tried on purpose
 * for worker.sandbox. It speaks the worker's module ABI (tools/gateway/aot/module_abi.h) with a fake 64 KiB
 * memory, reads its action from the call's input and writes what happened as its output:
 *   read:<path>         open and read a file          descriptors:<path>  open a file until refused
 *   create:<path>       create a file                 socket              open a TCP socket
 *   exec                start /bin/sh                 fork                start a process
 *   signal              signal another process        environment         count its environment variables
 * Built with HOSTILE_CONSTRUCTOR, it opens a socket when it is loaded, before any call, as the injected
 * constructor of defect 1 did. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "aot/module_abi.h"

extern char** environ;

struct Z_env_instance_t;
uint32_t Z_envZ___faasm_read_input(struct Z_env_instance_t*, uint32_t buffer, uint32_t length);
void Z_envZ___faasm_write_output(struct Z_env_instance_t*, uint32_t ptr, uint32_t length);

static uint8_t heap[65536];
static wasm_rt_memory_t memory = {heap, 1, 1, sizeof heap};
static struct Z_env_instance_t* env;

#ifdef HOSTILE_CONSTRUCTOR
__attribute__((constructor)) static void at_load(void) { socket(AF_INET, SOCK_STREAM, 0); }
#endif

static void report(const char* text) {
  const size_t length = strlen(text);
  memcpy(heap + 1024, text, length);
  Z_envZ___faasm_write_output(env, 1024, (uint32_t)length);
}

static void start(void* instance) {
  (void)instance;
  const uint32_t length = Z_envZ___faasm_read_input(env, 0, 1000);
  heap[length] = 0;
  const char* action = (const char*)heap;
  char text[300];
  if (strncmp(action, "read:", 5) == 0) {
    const int fd = open(action + 5, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      snprintf(text, sizeof text, "cannot open: %s", strerror(errno));
    } else {
      snprintf(text, sizeof text, "read %zd bytes", read(fd, heap + 2048, 4096));
    }
  } else if (strncmp(action, "descriptors:", 12) == 0) {
    int count = 0;
    while (open(action + 12, O_RDONLY | O_CLOEXEC) >= 0 && count < 100000) ++count;
    snprintf(text, sizeof text, "%d descriptors, then: %s", count, strerror(errno));
  } else if (strncmp(action, "create:", 7) == 0) {
    snprintf(text, sizeof text, "create: %d", open(action + 7, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  } else if (strcmp(action, "socket") == 0) {
    snprintf(text, sizeof text, "socket: %d", socket(AF_INET, SOCK_STREAM, 0));
  } else if (strcmp(action, "exec") == 0) {
    char* argv[] = {"/bin/sh", "-c", "true", NULL};
    snprintf(text, sizeof text, "exec: %d", execve("/bin/sh", argv, environ));
  } else if (strcmp(action, "fork") == 0) {
    const pid_t pid = fork();
    if (pid == 0) _exit(0);
    snprintf(text, sizeof text, "fork: %d", (int)pid);
  } else if (strcmp(action, "signal") == 0) {
    snprintf(text, sizeof text, "signal: %d", kill(1, 0));
  } else if (strcmp(action, "environment") == 0) {
    int count = 0;
    while (environ != NULL && environ[count] != NULL) ++count;
    snprintf(text, sizeof text, "environment: %d variables", count);
  } else {
    snprintf(text, sizeof text, "unknown action");
  }
  report(text);
}

static void nothing(void) {}
static void instantiate(void* instance, void* host_env, void* wasi) {
  (void)instance;
  (void)wasi;
  env = host_env;
}
static void free_instance(void* instance) { (void)instance; }
static wasm_rt_memory_t* get_memory(void* instance) {
  (void)instance;
  return &memory;
}
static void call_ctors(void* instance) { (void)instance; }
static uint32_t guest_malloc(void* instance, uint32_t size) {
  (void)instance;
  (void)size;
  return 8192;
}
static int table_entry_arity(void* instance, uint32_t index) {
  (void)instance;
  (void)index;
  return -1;
}
static uint32_t call_table_entry(void* instance, uint32_t index, uint32_t arg) {
  (void)instance;
  (void)index;
  (void)arg;
  return 0;
}

static const struct faasmjs_module module = {
    .abi_version = FAASMJS_MODULE_ABI_VERSION,
    .instance_size = 16,
    .init_module = nothing,
    .instantiate = instantiate,
    .free_instance = free_instance,
    .memory = get_memory,
    .table = NULL,
    .call_ctors = call_ctors,
    .zygote = NULL,
    .start = start,
    .malloc = guest_malloc,
    .table_entry_arity = table_entry_arity,
    .call_table_entry = call_table_entry,
};

const struct faasmjs_module* faasmjs_module_get(void) { return &module; }
