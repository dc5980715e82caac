// sleeper: counts its own runs in state, then sleeps, so that a test can drop a connection while it runs and
// then see that it ran exactly once. Input "KEY MS": adds 1 to the 4-byte counter at state KEY (pushed before
// the sleep), sleeps MS milliseconds, outputs "run #N".
#include <faasmjs/detail/host_abi.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>

int main() {
  char text[64] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(text), sizeof(text) - 1);
  std::istringstream words(text);
  std::string key;
  long ms = 0;
  words >> key >> ms;
  std::uint32_t runs = 0;
  __faasm_pull_state(key.c_str(), sizeof(runs));
  __faasm_read_state(key.c_str(), reinterpret_cast<unsigned char*>(&runs), sizeof(runs));
  runs += 1;
  __faasm_write_state(key.c_str(), reinterpret_cast<const unsigned char*>(&runs), sizeof(runs));
  __faasm_push_state(key.c_str());
  usleep(static_cast<useconds_t>(ms) * 1000);
  const std::string output = "run #" + std::to_string(runs);
  __faasm_write_output(output.c_str(), static_cast<long>(output.size()));
  return 0;
}
