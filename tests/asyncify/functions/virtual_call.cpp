// A blocking call behind a virtual call that the compiler cannot devirtualise: which implementation runs
// depends on the input.
#include "test_io.h"

struct Source {
  virtual ~Source() = default;
  virtual int fetch(int id) = 0;
};

struct Remote final : Source {
  int fetch(int id) override { return __faasm_await_call(static_cast<unsigned>(id)); }
};

struct Doubler final : Source {
  int fetch(int id) override { return id * 2; }
};

__attribute__((noinline)) Source& pick(int n) {
  static Remote remote;
  static Doubler doubler;
  if (n % 2 != 0) return remote;
  return doubler;
}

int main() {
  const int n = inputNumber();
  const int first = pick(n).fetch(n);
  const int second = pick(n + 1).fetch(n + 1);
  outputLine("virtual %d %d", first, second);
  return 0;
}
