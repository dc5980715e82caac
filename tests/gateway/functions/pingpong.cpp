// pingpong: chains `noop` by name and awaits it, N times one after another (input N, default 100); outputs
// "N round trips". Run in a browser with chained calls going to a gateway, each iteration is one chained call
// browser → cluster → browser: the latency benchmark.
#include <faasmjs/detail/host_abi.h>

#include <cstdlib>
#include <string>

int main() {
  char text[16] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(text), sizeof(text) - 1);
  const int n = text[0] == 0 ? 100 : std::atoi(text);
  for (int i = 0; i < n; i++) {
    if (__faasm_await_call(__faasm_chain_name("noop", nullptr, 0)) != 0) {
      return 1;
    }
  }
  const std::string output = std::to_string(n) + " round trips";
  __faasm_write_output(output.c_str(), static_cast<long>(output.size()));
  return 0;
}
