/* The process identity of a Faasm function: Faasm's runtime answers every call with the same fixed ids
 * (faasm include/wasm/WasmEnvironment.h: FAKE_UID and FAKE_GID 1000, FAKE_PID 23), whoever runs it. */
#include <unistd.h>

#define FAASM_UID 1000
#define FAASM_GID 1000
#define FAASM_PID 23

uid_t getuid(void) { return FAASM_UID; }

uid_t geteuid(void) { return FAASM_UID; }

gid_t getgid(void) { return FAASM_GID; }

gid_t getegid(void) { return FAASM_GID; }

pid_t getpid(void) { return FAASM_PID; }
