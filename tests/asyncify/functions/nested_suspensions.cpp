// Many suspensions in one invocation: two at every level of a recursion, repeated over several rounds, so
// that unwinding and rewinding pass through many frames of the same function.
#include "test_io.h"

__attribute__((noinline)) int descend(int depth, int accumulated) {
  if (depth == 0) return accumulated;
  const int before = __faasm_await_call(static_cast<unsigned>(depth));
  const int below = descend(depth - 1, accumulated + before);
  const int after = __faasm_await_call(static_cast<unsigned>(depth + 100));
  return below + after - depth;
}

int main() {
  const int depth = inputNumber();
  long total = 0;
  for (int round = 0; round < 3; ++round) total += descend(depth, round);
  outputLine("nested %ld", total);
  return 0;
}
