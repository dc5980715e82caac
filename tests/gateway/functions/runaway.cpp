// runaway: misbehaves as its input says, so that the cluster's isolation can be tested. Input:
//   "loop"    spins forever without calling the host          → the call's time limit ends it
//   "memory"  allocates and touches 1 MiB blocks until malloc fails, then traps → the memory limit ends it
//   "stack"   recurses without bound                          → a trap (stack exhausted)
//   "ok"      returns 0 with output "ok" (the cluster still serves after the others)
#include <faasmjs/detail/host_abi.h>

#include <cstdlib>
#include <cstring>

namespace {

volatile unsigned sink = 0;

unsigned recurse(unsigned depth) {
  volatile char frame[256];
  frame[depth % sizeof(frame)] = static_cast<char>(depth);
  return recurse(depth + 1) + frame[0];
}

}  // namespace

int main() {
  char input[16] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(input), sizeof(input) - 1);
  if (std::strcmp(input, "loop") == 0) {
    for (;;) {
      sink = sink + 1;
    }
  }
  if (std::strcmp(input, "memory") == 0) {
    for (;;) {
      auto* block = static_cast<char*>(std::malloc(1 << 20));
      if (block == nullptr) {
        __builtin_trap();
      }
      std::memset(block, 1, 1 << 20);
      sink = sink + static_cast<unsigned char>(block[4096]);
    }
  }
  if (std::strcmp(input, "stack") == 0) {
    sink = recurse(0);
  }
  __faasm_write_output("ok", 2);
  return 0;
}
