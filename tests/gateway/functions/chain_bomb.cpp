// chain_bomb: chains itself twice and awaits both, so that each call makes two more: a call tree that
// doubles at every level until the cluster's limits on trees and waiting calls stop it. Outputs how many of
// its two chained calls failed; returns 1 when one did.
#include <faasmjs/detail/host_abi.h>

#include <string>

int main() {
  const unsigned first = __faasm_chain_name("chain_bomb", nullptr, 0);
  const unsigned second = __faasm_chain_name("chain_bomb", nullptr, 0);
  const int failed = (__faasm_await_call(first) != 0 ? 1 : 0) + (__faasm_await_call(second) != 0 ? 1 : 0);
  const std::string output = std::to_string(failed) + " failed";
  __faasm_write_output(output.c_str(), static_cast<long>(output.size()));
  return failed == 0 ? 0 : 1;
}
