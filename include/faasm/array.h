/*
 * Faasm's state-backed array (libfaasm's <faasm/array.h>), header-only.
 *
 * AsyncArray<T> views the state value `key` (nElems elements of T) through faasmReadStatePtr; every element
 * accessed with [] is flagged dirty, and push() sends only the dirty chunks (faasmPushStatePartial).
 * Call pullLazy() or pull() before the first access. The key string is borrowed, not copied.
 */
#ifndef FAASM_ARRAY_H
#define FAASM_ARRAY_H

#include <cstddef>

#include "faasm/core.h"
#include "faasm/state.h"

namespace faasm {

template <typename T>
class AsyncArray {
 public:
  AsyncArray(const char* keyIn, size_t nElemsIn) : key(keyIn), nElems(nElemsIn), bytesSize(nElemsIn * sizeof(T)) {}

  // Zeroes the value globally, then maps it.
  void zero() {
    zeroState(key, bytesSize);
    pullLazy();
  }

  // Any element accessed may be written, so it is flagged dirty.
  T& operator[](int idx) {
    faasmFlagStateOffsetDirty(key, static_cast<long>(bytesSize), static_cast<long>(idx * sizeof(T)),
                              static_cast<long>(sizeof(T)));
    return contents[idx];
  }

  // Maps the value, fetching it only if this host has not yet got it.
  void pullLazy() { contents = reinterpret_cast<T*>(faasmReadStatePtr(key, static_cast<long>(bytesSize))); }

  // Fetches the global value again, then maps it.
  void pull() {
    faasmPullState(key, static_cast<long>(bytesSize));
    pullLazy();
  }

  void push() { faasmPushStatePartial(key); }

  T* data() { return contents; }

  size_t size() const { return nElems; }

 private:
  const char* key;
  size_t nElems;
  size_t bytesSize;
  T* contents = nullptr;
};

}  // namespace faasm

#endif /* FAASM_ARRAY_H */
