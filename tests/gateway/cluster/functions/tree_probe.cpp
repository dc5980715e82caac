// tree_probe: call-tree shapes for the cluster's tests. Input:
//   "forget N"   chains `noop` N times and returns without awaiting them  → output "forgot N"
//   "hold KEY"   takes the write lock on KEY, chains `locker` (which waits for the lock on "locker_counter")
//                and returns holding the lock, without awaiting          → output "held KEY"
//   "spawn F IN" chains F with input IN and returns without awaiting it     → output "spawned F"
//   "sleepers N MS"  chains `sleeper` N times (input "tree_probe_sleeps MS"), awaits them all → "N slept"
//   "ancestor"   chains itself with "middle" and outputs what that outputs; "middle" chains itself with
//                "await 1" and outputs what that outputs; "await 1" awaits call 1 of the tree, which is the
//                middle call, its own parent                              → output "await returned R"
#include <faasmjs/detail/host_abi.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

void output(const std::string& text) { __faasm_write_output(text.c_str(), static_cast<long>(text.size())); }

int relay(const char* input) {
  const unsigned id = __faasm_chain_name("tree_probe", reinterpret_cast<const unsigned char*>(input),
                                         static_cast<long>(std::strlen(input)));
  char* reply = nullptr;
  int length = 0;
  const int result = __faasm_await_call_output(id, &reply, &length);
  output(std::string(reply, static_cast<std::size_t>(length)));
  std::free(reply);
  return result;
}

}  // namespace

int main() {
  char input[64] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(input), sizeof(input) - 1);
  const std::string text(input);
  const std::string arg = text.find(' ') == std::string::npos ? "" : text.substr(text.find(' ') + 1);
  if (text.rfind("forget ", 0) == 0) {
    const int n = std::atoi(arg.c_str());
    for (int i = 0; i < n; i++) {
      __faasm_chain_name("noop", nullptr, 0);
    }
    output("forgot " + arg);
    return 0;
  }
  if (text.rfind("hold ", 0) == 0) {
    __faasm_lock_state_write(arg.c_str());
    __faasm_chain_name("locker", nullptr, 0);
    output("held " + arg);
    return 0;
  }
  if (text.rfind("spawn ", 0) == 0) {
    const std::string function = arg.substr(0, arg.find(' '));
    const std::string rest = arg.find(' ') == std::string::npos ? "" : arg.substr(arg.find(' ') + 1);
    __faasm_chain_name(function.c_str(), reinterpret_cast<const unsigned char*>(rest.data()),
                       static_cast<long>(rest.size()));
    output("spawned " + function);
    return 0;
  }
  if (text.rfind("sleepers ", 0) == 0) {
    const int n = std::atoi(arg.c_str());
    const std::string ms = arg.substr(arg.find(' ') + 1);
    const std::string input = "tree_probe_sleeps " + ms;
    std::vector<unsigned> ids;
    for (int i = 0; i < n; i++) {
      ids.push_back(__faasm_chain_name("sleeper", reinterpret_cast<const unsigned char*>(input.data()),
                                       static_cast<long>(input.size())));
    }
    int failed = 0;
    for (unsigned id : ids) {
      failed += __faasm_await_call(id) != 0 ? 1 : 0;
    }
    output(std::to_string(n - failed) + " slept");
    return failed == 0 ? 0 : 1;
  }
  if (text == "ancestor") {
    return relay("middle");
  }
  if (text == "middle") {
    return relay("await 1");
  }
  if (text == "await 1") {
    output("await returned " + std::to_string(__faasm_await_call(1)));
    return 0;
  }
  output("unknown input: " + text);
  return 1;
}
