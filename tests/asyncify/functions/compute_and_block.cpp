// A pure compute function beside a blocking call: the tool must instrument the path to the blocking call
// and leave `pure_compute`, which reaches no import, untouched.
#include "test_io.h"

extern "C" __attribute__((export_name("pure_compute"), noinline)) unsigned pure_compute(unsigned n) {
  unsigned a = 0;
  unsigned b = 1;
  for (unsigned i = 0; i < n; ++i) {
    const unsigned next = a * 31u + b;
    a = b;
    b = next;
  }
  return b;
}

int main() {
  const int n = inputNumber();
  const unsigned checksum = pure_compute(static_cast<unsigned>(n));
  const int answer = __faasm_await_call(checksum % 1000u);
  outputLine("compute %u %d", checksum, answer);
  return 0;
}
