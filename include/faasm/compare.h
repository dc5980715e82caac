/* Faasm's array comparison helper (libfaasm's <faasm/compare.h>), header-only, for any element type. */
#ifndef FAASM_COMPARE_H
#define FAASM_COMPARE_H

namespace faasm {

template <typename T>
bool compareArrays(T* a, T* b, int len) {
  for (int i = 0; i < len; i++) {
    if (a[i] != b[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace faasm

#endif /* FAASM_COMPARE_H */
