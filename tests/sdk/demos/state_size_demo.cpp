#include <faasm/faasm.h>

#include <cstdio>
#include <vector>

#define SIZE_KEY "demo_size_check"
#define SHARED_KEY "demo_shared"

int main() {
  if (faasmReadStateSize(SIZE_KEY) != 0) {
    printf("Expected a missing key to have size zero\n");
    return 1;
  }

  std::vector<uint8_t> bytes = {0, 1, 2, 3};
  faasmWriteState(SIZE_KEY, bytes.data(), bytes.size());
  if (faasmReadStateSize(SIZE_KEY) != bytes.size()) {
    printf("Unexpected size after writing\n");
    return 1;
  }

  std::vector<uint8_t> zeros(7, 0);
  faasmWriteState(SHARED_KEY, zeros.data(), zeros.size());
  uint8_t* a = faasmReadStatePtr(SHARED_KEY, zeros.size());
  uint8_t* b = faasmReadStatePtr(SHARED_KEY, zeros.size());
  for (size_t i = 0; i < zeros.size(); i++) {
    a[i] = 5;
  }
  bool success = a == b;
  for (size_t i = 0; i < zeros.size(); i++) {
    success &= b[i] == 5;
  }
  uint8_t* offsetPtr = faasmReadStateOffsetPtr(SHARED_KEY, zeros.size(), 2, 3);
  success &= offsetPtr == a + 2;
  return success ? 0 : 1;
}
