/*
 * Faasm's C++ input helpers (libfaasm's <faasm/input.h>), header-only.
 *
 * Section map
 *   1. getStringInput, getIntInput, getTypedInput   the input as text, an int, or raw bytes of a T
 *   2. setStringOutput                               a C string as output
 *   3. parseStringToIntArray                         space-separated ints
 *
 * Differences from libfaasm, all where libfaasm would throw (a trap in a function): getIntInput answers 0
 * for input that is not a number, and parseStringToIntArray reads at most `expected` numbers (0 for missing
 * or malformed ones) instead of writing past its array.
 *
 * Ownership: getStringInput and parseStringToIntArray return a new[] array per call, as libfaasm does; the
 * caller owns it (delete[]), and Faasm functions commonly let it live until the call ends.
 */
#ifndef FAASM_INPUT_H
#define FAASM_INPUT_H

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "faasm/core.h"

namespace faasm {

// 1. The input, NUL-terminated, or `defaultValue` when there is none.
inline const char* getStringInput(const char* defaultValue) {
  const long size = faasmGetInputSize();
  if (size <= 0) {
    return defaultValue;
  }
  char* text = new char[static_cast<std::size_t>(size) + 1];
  faasmGetInput(reinterpret_cast<uint8_t*>(text), size);
  text[size] = '\0';
  return text;
}

namespace detail {
// std::stoi's reading (leading space, sign, digits, the rest ignored), minus its exceptions.
inline int parseInt(const char* text, const char** end) {
  errno = 0;
  char* stop = nullptr;
  const long value = std::strtol(text, &stop, 10);
  *end = stop;
  if (stop == text || errno == ERANGE || value < INT_MIN || value > INT_MAX) {
    return 0;
  }
  return static_cast<int>(value);
}
}  // namespace detail

inline int getIntInput() {
  const char* text = getStringInput(nullptr);
  if (text == nullptr) {
    return 0;
  }
  const char* end = nullptr;
  const int value = detail::parseInt(text, &end);
  delete[] text;
  return value;
}

// The input's first sizeof(T) bytes as a T, or `defaultValue` when there is no input.
template <typename T>
T getTypedInput(T defaultValue) {
  if (faasmGetInputSize() == 0) {
    return defaultValue;
  }
  T value{};
  faasmGetInput(reinterpret_cast<uint8_t*>(&value), sizeof(T));
  return value;
}

// 2.
inline void setStringOutput(const char* val) { faasmSetOutput(val, static_cast<long>(std::strlen(val))); }

// 3.
inline int* parseStringToIntArray(const char* inStr, int expected) {
  int* values = new int[expected > 0 ? expected : 0]();
  const char* cursor = inStr;
  for (int i = 0; i < expected && *cursor != '\0'; i++) {
    const char* end = nullptr;
    values[i] = detail::parseInt(cursor, &end);
    if (end == cursor) {
      break;
    }
    cursor = end;
  }
  return values;
}

}  // namespace faasm

#endif /* FAASM_INPUT_H */
