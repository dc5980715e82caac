/*
 * The raw Faasm host ABI: every `env` import a faasm.js function may use, declared once: Faasm's `__faasm_*`
 * host interface, and the one call its wasi-libc fork adds to WASI (section 8). The C++ exception entry points
 * a `throw` compiles to (cmake/function-support/cxx_exception_imports.txt) are the only other `env` imports.
 *
 * Section map
 *   1. Import attribute      FAASMJS_HOST_FUNC
 *   2. Input and output      read_input, write_output
 *   3. Chaining              chain_name, chain_ptr, await_call, await_call_output
 *   4. State: values         read/write/push/pull state, offsets, pointers, dirty flags, partial pushes
 *   5. State: append logs    append, read appended, clear appended
 *   6. State: locks          lock/unlock read/write
 *   7. Runtime               conf_flag, backtrace, host_interface_test
 *   8. File system           __wasi_fd_dup (dup and fcntl F_DUPFD, cmake/function-support/libc-extras)
 *
 * Names, parameter order and wasm signatures are Faasm's (faasm/cpp libfaasm/faasm/host_interface.h): on
 * wasm32 every pointer, `long` and `unsigned int` is an i32, and no import uses i64 or floats. C prototypes
 * follow libfaasm's; `__faasm_await_call_output` takes the `char**`/`int*` pair of current Faasm (WAMR
 * semantics: the host allocates the output in the guest).
 *
 * Which calls block: await_call(+output), every state read, pull, push, append/read-appended/clear and the
 * locks may wait on the network in a browser; chain_name and chain_ptr never do (they return an id at once).
 * The asyncify tool (tools/asyncify) holds the authoritative list.
 *
 * Thread safety: a Faasm function runs single-threaded; none of these calls is meant to be made from two
 * threads at once.
 *
 * Ownership: every pointer argument is borrowed for the duration of the call, except
 * `__faasm_await_call_output`, whose output buffer the host allocates with the guest's exported `malloc`;
 * the caller owns it and frees it with `free`.
 */
#ifndef FAASMJS_DETAIL_HOST_ABI_H
#define FAASMJS_DETAIL_HOST_ABI_H

/* 1. In a wasm build each declaration becomes an import from module "env"; natively it is an ordinary extern
 *    function, so the same sources link against an in-process host (faasmjs/testing/native_host.hpp). */
#if defined(__wasm__)
#define FAASMJS_HOST_FUNC(name) __attribute__((import_module("env"), import_name(#name)))
#else
#define FAASMJS_HOST_FUNC(name)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* 2. Input and output. With bufferLen == 0, read_input returns the input's size and copies nothing. */
FAASMJS_HOST_FUNC(__faasm_read_input)
long __faasm_read_input(unsigned char* buffer, long bufferLen);

FAASMJS_HOST_FUNC(__faasm_write_output)
void __faasm_write_output(const char* output, long outputLen);

/* 3. Chaining. A chained call's id is returned at once; the await calls return its return value (0 = ok). */
FAASMJS_HOST_FUNC(__faasm_chain_name)
unsigned int __faasm_chain_name(const char* name, const unsigned char* inputData, long inputDataSize);

FAASMJS_HOST_FUNC(__faasm_chain_ptr)
unsigned int __faasm_chain_ptr(int (*funcPtr)(), const unsigned char* inputData, long inputDataSize);

FAASMJS_HOST_FUNC(__faasm_await_call)
int __faasm_await_call(unsigned int messageId);

FAASMJS_HOST_FUNC(__faasm_await_call_output)
int __faasm_await_call_output(unsigned int messageId, char** output, int* outputLen);

/* 4. State values. Keys are NUL-terminated and namespaced by the calling user. */
FAASMJS_HOST_FUNC(__faasm_read_state)
long __faasm_read_state(const char* key, unsigned char* buffer, long bufferLen);

FAASMJS_HOST_FUNC(__faasm_read_state_ptr)
unsigned char* __faasm_read_state_ptr(const char* key, long totalLen);

FAASMJS_HOST_FUNC(__faasm_read_state_offset)
void __faasm_read_state_offset(const char* key, long totalLen, long offset, unsigned char* buffer, long bufferLen);

FAASMJS_HOST_FUNC(__faasm_read_state_offset_ptr)
unsigned char* __faasm_read_state_offset_ptr(const char* key, long totalLen, long offset, long len);

FAASMJS_HOST_FUNC(__faasm_write_state)
void __faasm_write_state(const char* key, const unsigned char* data, long dataLen);

FAASMJS_HOST_FUNC(__faasm_write_state_offset)
void __faasm_write_state_offset(const char* key, long totalLen, long offset, const unsigned char* data, long dataLen);

FAASMJS_HOST_FUNC(__faasm_write_state_from_file)
unsigned int __faasm_write_state_from_file(const char* key, const char* filePath);

FAASMJS_HOST_FUNC(__faasm_flag_state_dirty)
void __faasm_flag_state_dirty(const char* key, long totalLen);

FAASMJS_HOST_FUNC(__faasm_flag_state_offset_dirty)
void __faasm_flag_state_offset_dirty(const char* key, long totalLen, long offset, long len);

FAASMJS_HOST_FUNC(__faasm_push_state)
void __faasm_push_state(const char* key);

FAASMJS_HOST_FUNC(__faasm_push_state_partial)
void __faasm_push_state_partial(const char* key);

FAASMJS_HOST_FUNC(__faasm_push_state_partial_mask)
void __faasm_push_state_partial_mask(const char* key, const char* maskKey);

FAASMJS_HOST_FUNC(__faasm_pull_state)
void __faasm_pull_state(const char* key, long stateLen);

/* 5. Append logs live in the global tier only; elements are read back concatenated. */
FAASMJS_HOST_FUNC(__faasm_append_state)
void __faasm_append_state(const char* key, const unsigned char* data, long dataLen);

FAASMJS_HOST_FUNC(__faasm_read_appended_state)
void __faasm_read_appended_state(const char* key, unsigned char* data, long dataLen, long nElems);

FAASMJS_HOST_FUNC(__faasm_clear_appended_state)
void __faasm_clear_appended_state(const char* key);

/* 6. Locks on a state key, shared (read) or exclusive (write). */
FAASMJS_HOST_FUNC(__faasm_lock_state_read)
void __faasm_lock_state_read(const char* key);

FAASMJS_HOST_FUNC(__faasm_unlock_state_read)
void __faasm_unlock_state_read(const char* key);

FAASMJS_HOST_FUNC(__faasm_lock_state_write)
void __faasm_lock_state_write(const char* key);

FAASMJS_HOST_FUNC(__faasm_unlock_state_write)
void __faasm_unlock_state_write(const char* key);

/* 7. Runtime. */
FAASMJS_HOST_FUNC(__faasm_conf_flag)
unsigned int __faasm_conf_flag(const char* key);

FAASMJS_HOST_FUNC(__faasm_backtrace)
void __faasm_backtrace(int depth);

FAASMJS_HOST_FUNC(__faasm_host_interface_test)
void __faasm_host_interface_test(int testNum);

/* 8. File system. WASI cannot duplicate a descriptor; Faasm's wasi-libc fork builds fcntl(F_DUPFD) on this
 *    import (its dup reaches env.dup, the same call without an errno), which Faasm's hosts provide (faasm
 *    src/wamr/filesystem.cpp): a new descriptor number for the open file `fd`, written to *resultFd, sharing
 *    its position. Returns a WASI errno; a descriptor that is not open fails the call (Faasm's table throws
 *    past it). faasm.js builds both dup and fcntl(F_DUPFD) on it, so a function imports it only when it calls
 *    one of them. */
FAASMJS_HOST_FUNC(__wasi_fd_dup)
int __wasi_fd_dup(int fd, int* resultFd);

#ifdef __cplusplus
}
#endif

#endif /* FAASMJS_DETAIL_HOST_ABI_H */
