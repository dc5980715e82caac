/*
 * Faasm's state counters (libfaasm's <faasm/counter.h>, which faasm/cpp dropped in 2022 with the global
 * state locks), header-only: an int in state, read, incremented and pushed.
 *
 * Old libfaasm serialised increments with a cluster-wide lock; current Faasm has no such lock, so an
 * increment with `globalLock` takes the state write lock of the key instead (host-local on Faasm, one per
 * host in faasm.js), and concurrent increments from several hosts may be lost, as on Faasm.
 */
#ifndef FAASM_COUNTER_H
#define FAASM_COUNTER_H

#include <string>

#include "faasm/core.h"

namespace faasm {

namespace detail {
inline int readIntState(const char* key) {
  int value = 0;
  faasmReadState(key, BYTES(&value), sizeof(int));
  return value;
}

inline void writeIntState(const char* key, int value) { faasmWriteState(key, BYTES(&value), sizeof(int)); }
}  // namespace detail

// Sets the counter to 0 on this host (not pushed).
inline void initCounter(const char* counterKey) { detail::writeIntState(counterKey, 0); }

// The counter's global value.
inline int getCounter(const char* counterKey) {
  faasmPullState(counterKey, sizeof(int));
  return detail::readIntState(counterKey);
}

// Adds `increment` to the global value, pushes it and returns the new value.
inline int incrementCounter(const char* counterKey, int increment, bool globalLock = true) {
  if (globalLock) {
    faasmLockStateWrite(counterKey);
  }
  faasmPullState(counterKey, sizeof(int));
  const int value = detail::readIntState(counterKey) + increment;
  detail::writeIntState(counterKey, value);
  faasmPushState(counterKey);
  if (globalLock) {
    faasmUnlockStateWrite(counterKey);
  }
  return value;
}

inline void incrementCounter(const char* counterKey) { incrementCounter(counterKey, 1, true); }

// A counter in state under one key.
class AtomicInt {
 public:
  explicit AtomicInt(const char* keyIn) : key(keyIn) {}

  int operator+=(int other) {
    value = incrementCounter(key.c_str(), other, true);
    return value;
  }

  int get() {
    value = getCounter(key.c_str());
    return value;
  }

  void reset() { initCounter(key.c_str()); }

 private:
  int value = 0;
  const std::string key;
};

}  // namespace faasm

#endif /* FAASM_COUNTER_H */
