/*
 * Faasm's C API (libfaasm's <faasm/core.h>), header-only: same names, signatures and behaviour, so existing
 * Faasm function sources compile unmodified against faasm.js.
 *
 * Section map
 *   1. Linkage and helpers     FAASMJS_COMPAT_API, BYTES, FaasmFuncPtr, FAASM_ZYGOTE
 *   2. Input and output        faasmGetInputSize, faasmGetInput, faasmSetOutput
 *   3. Chaining                faasmChainNamed, faasmChain, faasmChainBatch, faasmAwaitCall, faasmAwaitCallOutput
 *   4. State values            faasmReadStateSize, faasmReadState(Ptr/Offset/OffsetPtr), faasmWriteState(Offset),
 *                              faasmWriteStateFromFile, faasmFlagState(Offset)Dirty,
 *                              faasmPushState(Partial/PartialMask), faasmPullState
 *   5. Append logs             faasmAppendState, faasmReadAppendedState, faasmClearAppendedState
 *   6. Locks                   faasmLockStateRead/Write, faasmUnlockStateRead/Write
 *   7. Runtime                 getConfFlag, faasmBacktrace
 *
 * Each function is a thin call of the matching `__faasm_*` import (faasmjs/detail/host_abi.h documents the
 * semantics and which calls block in a browser). Compiles as C (static inline) and C++ (inline, C linkage).
 * Not provided: the Python helpers (faasmGetPython*), which faasm.js does not support.
 *
 * Ownership: as the imports. faasmAwaitCallOutput hands the caller a buffer the host allocated with this
 * module's malloc: release it with free().
 */
#ifndef FAASM_CORE_H
#define FAASM_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "faasm/memory.h"
#include "faasmjs/detail/host_abi.h"

/* 1. */
#ifdef __cplusplus
#define FAASMJS_COMPAT_API inline
#define BYTES(arr) reinterpret_cast<uint8_t*>(arr)
#define FAASM_ZYGOTE() extern "C" int _faasm_zygote()
extern "C" {
#else
#define FAASMJS_COMPAT_API static inline
#define BYTES(arr) ((uint8_t*)(arr))
/* The build links a weak default _faasm_zygote; this definition is strong and replaces it. */
#define FAASM_ZYGOTE() int _faasm_zygote(void)
#endif

typedef int (*FaasmFuncPtr)();

/* 2. The host answers a zero-length read with the input's size. */
FAASMJS_COMPAT_API long faasmGetInputSize(void) {
  unsigned char probe = 0;
  return __faasm_read_input(&probe, 0);
}

FAASMJS_COMPAT_API void faasmGetInput(uint8_t* buffer, long bufferLen) {
  if (bufferLen > 0) {
    __faasm_read_input(buffer, bufferLen);
  }
}

FAASMJS_COMPAT_API void faasmSetOutput(const char* newOutput, long outputLen) {
  __faasm_write_output(newOutput, outputLen);
}

/* 3. */
FAASMJS_COMPAT_API unsigned int faasmChainNamed(const char* name, const uint8_t* inputData, long inputDataSize) {
  return __faasm_chain_name(name, inputData, inputDataSize);
}

FAASMJS_COMPAT_API unsigned int faasmChain(FaasmFuncPtr funcPtr, const uint8_t* inputData, long inputDataSize) {
  return __faasm_chain_ptr(funcPtr, inputData, inputDataSize);
}

FAASMJS_COMPAT_API unsigned int faasmAwaitCall(unsigned int callId) { return (unsigned int)__faasm_await_call(callId); }

FAASMJS_COMPAT_API unsigned int faasmAwaitCallOutput(unsigned int messageId, char** output, int* outputLen) {
  return (unsigned int)__faasm_await_call_output(messageId, output, outputLen);
}

/* Chains nFuncs calls with the same text input, all before awaiting any (so they overlap), then awaits them
 * all; 1 if any returned non-zero (or the ids could not be stored), else 0. */
FAASMJS_COMPAT_API unsigned int faasmChainBatch(FaasmFuncPtr funcPtr, const char* inputData, int nFuncs) {
  if (nFuncs <= 0) {
    return 0;
  }
  unsigned int* callIds = (unsigned int*)malloc((size_t)nFuncs * sizeof(unsigned int));
  if (callIds == NULL) {
    return 1;
  }
  const long inputLen = (long)strlen(inputData);
  for (int i = 0; i < nFuncs; i++) {
    callIds[i] = faasmChain(funcPtr, (const uint8_t*)inputData, inputLen);
  }
  unsigned int failed = 0;
  for (int i = 0; i < nFuncs; i++) {
    if (faasmAwaitCall(callIds[i]) != 0) {
      failed = 1;
    }
  }
  free(callIds);
  return failed;
}

/* 4. A missing key has size 0. */
FAASMJS_COMPAT_API size_t faasmReadStateSize(const char* key) {
  const long size = __faasm_read_state(key, NULL, 0);
  return size > 0 ? (size_t)size : 0;
}

FAASMJS_COMPAT_API long faasmReadState(const char* key, unsigned char* buffer, long bufferLen) {
  return __faasm_read_state(key, buffer, bufferLen);
}

FAASMJS_COMPAT_API uint8_t* faasmReadStatePtr(const char* key, long totalLen) {
  return __faasm_read_state_ptr(key, totalLen);
}

FAASMJS_COMPAT_API void faasmReadStateOffset(const char* key, long totalLen, long offset, uint8_t* buffer,
                                             long bufferLen) {
  __faasm_read_state_offset(key, totalLen, offset, buffer, bufferLen);
}

FAASMJS_COMPAT_API uint8_t* faasmReadStateOffsetPtr(const char* key, long fullLen, long offset, long len) {
  return __faasm_read_state_offset_ptr(key, fullLen, offset, len);
}

FAASMJS_COMPAT_API void faasmWriteState(const char* key, const uint8_t* data, long dataLen) {
  __faasm_write_state(key, data, dataLen);
}

FAASMJS_COMPAT_API void faasmWriteStateOffset(const char* key, long totalLen, long offset, const uint8_t* data,
                                              long dataLen) {
  __faasm_write_state_offset(key, totalLen, offset, data, dataLen);
}

FAASMJS_COMPAT_API unsigned long faasmWriteStateFromFile(const char* key, const char* filePath) {
  return (unsigned long)__faasm_write_state_from_file(key, filePath);
}

FAASMJS_COMPAT_API void faasmFlagStateDirty(const char* key, long totalLen) { __faasm_flag_state_dirty(key, totalLen); }

FAASMJS_COMPAT_API void faasmFlagStateOffsetDirty(const char* key, long totalLen, long offset, long len) {
  __faasm_flag_state_offset_dirty(key, totalLen, offset, len);
}

FAASMJS_COMPAT_API void faasmPushState(const char* key) { __faasm_push_state(key); }

FAASMJS_COMPAT_API void faasmPushStatePartial(const char* key) { __faasm_push_state_partial(key); }

FAASMJS_COMPAT_API void faasmPushStatePartialMask(const char* key, const char* maskKey) {
  __faasm_push_state_partial_mask(key, maskKey);
}

FAASMJS_COMPAT_API void faasmPullState(const char* key, long stateLen) { __faasm_pull_state(key, stateLen); }

/* 5. */
FAASMJS_COMPAT_API void faasmAppendState(const char* key, const uint8_t* data, long dataLen) {
  __faasm_append_state(key, data, dataLen);
}

FAASMJS_COMPAT_API void faasmReadAppendedState(const char* key, uint8_t* buffer, long bufferLen, long nElems) {
  __faasm_read_appended_state(key, buffer, bufferLen, nElems);
}

FAASMJS_COMPAT_API void faasmClearAppendedState(const char* key) { __faasm_clear_appended_state(key); }

/* 6. */
FAASMJS_COMPAT_API void faasmLockStateRead(const char* key) { __faasm_lock_state_read(key); }

FAASMJS_COMPAT_API void faasmUnlockStateRead(const char* key) { __faasm_unlock_state_read(key); }

FAASMJS_COMPAT_API void faasmLockStateWrite(const char* key) { __faasm_lock_state_write(key); }

FAASMJS_COMPAT_API void faasmUnlockStateWrite(const char* key) { __faasm_unlock_state_write(key); }

/* 7. */
FAASMJS_COMPAT_API unsigned int getConfFlag(const char* key) { return __faasm_conf_flag(key); }

FAASMJS_COMPAT_API void faasmBacktrace(const int depth) { __faasm_backtrace(depth); }

#ifdef __cplusplus
}

/* Older libfaasm declared faasmSetOutput over bytes; C++ sources written against it still compile. */
inline void faasmSetOutput(const uint8_t* newOutput, long outputLen) {
  __faasm_write_output(reinterpret_cast<const char*>(newOutput), outputLen);
}
#endif

#endif /* FAASM_CORE_H */
