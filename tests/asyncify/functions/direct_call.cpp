// A blocking call three direct calls deep, with locals live across it at every level. Each level is called
// from two places so that no optimiser inlines it away.
#include "test_io.h"

__attribute__((noinline)) int innermost(int x) {
  const int scaled = x * 7;
  const int answer = __faasm_await_call(static_cast<unsigned>(x));
  return answer + scaled;
}

__attribute__((noinline)) int middle(int x) {
  const int shifted = x + 5;
  return innermost(shifted) * 2 + innermost(shifted + 1) + shifted;
}

__attribute__((noinline)) int outer(int x) { return middle(x) - middle(x * 2); }

int main() {
  const int n = inputNumber();
  outputLine("direct %d %d", outer(n), outer(n + 1));
  return 0;
}
