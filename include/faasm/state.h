/*
 * Faasm's state helpers (libfaasm's <faasm/state.h>), header-only: dirty masks for partial pushes and
 * zeroing a value.
 */
#ifndef FAASM_STATE_H
#define FAASM_STATE_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "faasm/core.h"

#define BIT_MASK_8 0b11111111
#define BIT_MASK_32 0b11111111111111111111111111111111

namespace faasm {

// Marks double `idx` in a mask of unsigned ints (two per double, as libfaasm assumes).
inline void maskDouble(unsigned int* maskArray, unsigned long idx) {
  maskArray[2 * idx] |= BIT_MASK_32;
  maskArray[2 * idx + 1] |= BIT_MASK_32;
}

// Sets the value of `key` to stateLen zero bytes and pushes it.
inline void zeroState(const char* key, size_t stateLen) {
  const std::vector<uint8_t> zeros(stateLen, 0);
  faasmWriteState(key, zeros.data(), static_cast<long>(stateLen));
  faasmPushState(key);
}

}  // namespace faasm

#endif /* FAASM_STATE_H */
