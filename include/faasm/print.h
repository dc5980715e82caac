/*
 * Faasm's array printer (libfaasm's <faasm/print.h>), header-only: "[a, b, c]" on stdout, no newline.
 * libfaasm defines it for int ("%i"), uint8_t ("%i") and double ("%f"); other element types do not link
 * there and do not compile here.
 */
#ifndef FAASM_PRINT_H
#define FAASM_PRINT_H

#include <stdio.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace faasm {

template <typename T>
void printArray(T* data, size_t size) {
  static_assert(std::is_same_v<T, int> || std::is_same_v<T, uint8_t> || std::is_same_v<T, double>,
                "faasm::printArray is defined for int, uint8_t and double");
  printf("[");
  for (size_t i = 0; i < size; i++) {
    if constexpr (std::is_same_v<T, double>) {
      printf("%f", data[i]);
    } else {
      printf("%i", static_cast<int>(data[i]));
    }
    if (i + 1 < size) {
      printf(", ");
    }
  }
  printf("]");
}

}  // namespace faasm

#endif /* FAASM_PRINT_H */
