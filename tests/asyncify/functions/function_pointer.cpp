// Blocking calls through function pointers chosen at run time, one of them pointing straight at the import.
#include "test_io.h"

using Fetch = int (*)(unsigned);

static int remote(unsigned id) { return __faasm_await_call(id) + 1; }
static int tripled(unsigned id) { return static_cast<int>(id) * 3; }

Fetch fetchers[] = {remote, tripled, __faasm_await_call};

int main() {
  const int n = inputNumber();
  int results[3];
  for (int i = 0; i < 3; ++i) {
    Fetch fetch = fetchers[(n + i) % 3];
    results[i] = fetch(static_cast<unsigned>(n + i));
  }
  outputLine("pointer %d %d %d", results[0], results[1], results[2]);
  return 0;
}
