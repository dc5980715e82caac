// nested: chains itself by name with depth-1 (input = depth, default 3) and appends the callee's output,
// fetched with await_call_output, to its own: "3>2>1>0". Every level is suspended while the one below runs.
#include <faasmjs/detail/host_abi.h>

#include <cstdlib>
#include <string>

int main() {
  char text[16] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(text), sizeof(text) - 1);
  const int depth = text[0] == 0 ? 3 : std::atoi(text);
  std::string output = std::to_string(depth);
  if (depth > 0) {
    const std::string below = std::to_string(depth - 1);
    const unsigned id = __faasm_chain_name("nested", reinterpret_cast<const unsigned char*>(below.data()),
                                           static_cast<long>(below.size()));
    char* reply = nullptr;
    int length = 0;
    const int result = __faasm_await_call_output(id, &reply, &length);
    if (result != 0) {
      return result;
    }
    output += ">" + std::string(reply, static_cast<std::size_t>(length));
    std::free(reply);
  }
  __faasm_write_output(output.c_str(), static_cast<long>(output.size()));
  return 0;
}
