// Faasm runs the constructors once per instance (`__wasm_call_ctors`) and then `_start` per call, so `_start`
// must not run them again: both toolchains' `_start` must leave this counter at one.
#include <cstdio>

namespace {
int constructed = 0;
struct CountsConstruction {
  CountsConstruction() { ++constructed; }
} counter;
}  // namespace

int main() {
  std::printf("constructed=%d\n", constructed);
  return constructed == 1 ? 0 : 1;
}
