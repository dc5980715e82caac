// A blocking call inside a capturing lambda held by std::function, next to one that does not block.
#include <functional>
#include <vector>

#include "test_io.h"

int main() {
  const int n = inputNumber();
  const int base = n * 3;
  std::vector<std::function<int(int)>> steps = {
      [base](int id) { return __faasm_await_call(static_cast<unsigned>(id)) + base; },
      [](int id) { return -id; },
  };
  int sum = 0;
  for (int i = 0; i < 4; ++i) sum += steps[static_cast<unsigned>(n + i) % steps.size()](n + i);
  outputLine("function %d", sum);
  return 0;
}
