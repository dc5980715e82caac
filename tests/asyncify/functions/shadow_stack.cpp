// Values that must survive a suspension: an address-taken array on the shadow stack in linear memory, a
// double and a 64-bit integer in locals, and an output buffer the host allocates in the guest while the call
// is suspended (__faasm_await_call_output).
#include <cstring>

#include "test_io.h"

__attribute__((noinline)) void fill(char* buffer, int length, char value) { std::memset(buffer, value, length); }

__attribute__((noinline)) bool allEqual(const char* buffer, int length, char value) {
  for (int i = 0; i < length; ++i) {
    if (buffer[i] != value) return false;
  }
  return true;
}

int main() {
  const int n = inputNumber();
  char buffer[512];
  const char mark = static_cast<char>('a' + n % 26);
  fill(buffer, sizeof buffer, mark);
  volatile double ratio = n * 1.5;
  long long wide = static_cast<long long>(n) << 40;

  char* output = nullptr;
  int outputLength = 0;
  const int status = __faasm_await_call_output(static_cast<unsigned>(n), &output, &outputLength);

  unsigned char state[8] = {};
  const long stateLength = __faasm_read_state("shadow", state, sizeof state);

  const bool intact =
      allEqual(buffer, sizeof buffer, mark) && ratio == n * 1.5 && wide == static_cast<long long>(n) << 40;
  outputLine("shadow %s %d %.*s %ld %.*s", intact ? "intact" : "corrupt", status, outputLength, output, stateLength,
             static_cast<int>(stateLength), reinterpret_cast<const char*>(state));
  std::free(output);
  return 0;
}
