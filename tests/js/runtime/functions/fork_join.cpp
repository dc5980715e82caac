// fork_join: chains `worker` by pointer N times (input N, default 4), then awaits them all and outputs
// "sum S" where S is the sum of their return values. Each worker takes its index as its one int argument
// (the host parses its input as Faasm does) and reads the state key "fork_join_gate" before returning
// 10 * index + the gate's first byte: a test whose global tier holds every pull until N are waiting proves
// that the N workers are in flight at once.
#include <faasmjs/detail/host_abi.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

int worker(int index) {
  unsigned char gate[4] = {0, 0, 0, 0};
  __faasm_read_state("fork_join_gate", gate, sizeof(gate));
  return 10 * index + gate[0];
}

}  // namespace

int main() {
  char text[16] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(text), sizeof(text) - 1);
  const int n = text[0] == 0 ? 4 : std::atoi(text);
  unsigned ids[64];
  for (int i = 0; i < n && i < 64; i++) {
    const std::string input = std::to_string(i);
    ids[i] = __faasm_chain_ptr(reinterpret_cast<int (*)()>(&worker),
                               reinterpret_cast<const unsigned char*>(input.data()), static_cast<long>(input.size()));
  }
  int sum = 0;
  for (int i = 0; i < n && i < 64; i++) {
    sum += __faasm_await_call(ids[i]);
  }
  const std::string output = "sum " + std::to_string(sum);
  __faasm_write_output(output.c_str(), static_cast<long>(output.size()));
  return 0;
}
