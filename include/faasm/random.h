/*
 * Faasm's random helpers (libfaasm's <faasm/random.h>), header-only.
 *
 * One generator per module, seeded from the host's entropy (WASI random_get) on first use. Not for
 * cryptography. randomIntRange returns a new[] array the caller owns.
 */
#ifndef FAASM_RANDOM_H
#define FAASM_RANDOM_H

#include <algorithm>
#include <cstddef>
#include <random>
#include <string>

namespace faasm {

namespace detail {
inline std::mt19937& generator() {
  static std::mt19937 engine{std::random_device{}()};
  return engine;
}
}  // namespace detail

// Uniform in [iStart, iEnd], both ends included.
inline int randomInteger(int iStart, int iEnd) {
  return std::uniform_int_distribution<int>(iStart, iEnd)(detail::generator());
}

// Uniform in [0, 1).
inline float randomFloat() { return std::uniform_real_distribution<float>(0.0f, 1.0f)(detail::generator()); }

inline void shuffleArray(int* arrayIn, std::size_t arrayLen) {
  std::shuffle(arrayIn, arrayIn + arrayLen, detail::generator());
}

// 0 .. rangeLen-1 in random order.
inline int* randomIntRange(int rangeLen) {
  const std::size_t length = rangeLen > 0 ? static_cast<std::size_t>(rangeLen) : 0;
  int* range = new int[length];
  for (std::size_t i = 0; i < length; i++) {
    range[i] = static_cast<int>(i);
  }
  shuffleArray(range, length);
  return range;
}

inline std::string randomString(int len) {
  static const char alphabet[] = "123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::uniform_int_distribution<std::size_t> pick(0, sizeof(alphabet) - 2);
  std::string text(len > 0 ? static_cast<std::size_t>(len) : 0, '\0');
  for (char& c : text) {
    c = alphabet[pick(detail::generator())];
  }
  return text;
}

}  // namespace faasm

#endif /* FAASM_RANDOM_H */
