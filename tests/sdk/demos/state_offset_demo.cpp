#include <faasm/compare.h>
#include <faasm/faasm.h>

#include <string>

int main() {
  const char* key = "demo_state_offset";

  uint8_t value[7] = {0, 1, 2, 3, 4, 5, 6};
  faasmWriteState(key, value, 7);
  faasmPushState(key);

  uint8_t partA[3] = {5, 5, 5};
  faasmWriteStateOffset(key, 7, 0, partA, 3);

  uint8_t partB[2] = {6, 6};
  faasmWriteStateOffset(key, 7, 2, partB, 2);
  faasmPushState(key);

  faasmPullState(key, 7);
  uint8_t expected[5] = {5, 5, 6, 6, 4};
  uint8_t actual[5];
  faasmReadStateOffset(key, 7, 0, actual, 5);

  std::string output = "success";
  if (!faasm::compareArrays<uint8_t>(actual, expected, 5)) {
    output = "failure";
  }
  faasmSetOutput(output.c_str(), output.size());
  return 0;
}
