// fanout: chains `noop` by name N times (input N, default 100), all before the first await, then awaits
// them all and outputs "N calls, F failed". From a browser connected to a gateway the N calls leave in one
// frame: the fork-join throughput benchmark and test.
#include <faasmjs/detail/host_abi.h>

#include <cstdlib>
#include <string>
#include <vector>

int main() {
  char text[16] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(text), sizeof(text) - 1);
  const int n = text[0] == 0 ? 100 : std::atoi(text);
  std::vector<unsigned> ids;
  ids.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; i++) {
    ids.push_back(__faasm_chain_name("noop", nullptr, 0));
  }
  int failed = 0;
  for (unsigned id : ids) {
    failed += __faasm_await_call(id) != 0 ? 1 : 0;
  }
  const std::string output = std::to_string(n) + " calls, " + std::to_string(failed) + " failed";
  __faasm_write_output(output.c_str(), static_cast<long>(output.size()));
  return failed == 0 ? 0 : 1;
}
