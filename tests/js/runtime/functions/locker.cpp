// locker: increments the 4-byte counter in state key "locker_counter" under a write lock, with a blocking
// call (a pull of another key) between reading and writing it, so that concurrent invocations would lose
// updates without the lock. Input "nolock" skips the lock. Outputs the value it wrote.
#include <faasmjs/detail/host_abi.h>

#include <cstring>
#include <string>

int main() {
  char mode[8] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(mode), sizeof(mode) - 1);
  const bool locked = std::strcmp(mode, "nolock") != 0;
  if (locked) {
    __faasm_lock_state_write("locker_counter");
  }
  unsigned char bytes[4];
  __faasm_read_state("locker_counter", bytes, sizeof(bytes));
  __faasm_pull_state("locker_elsewhere", 4);
  bytes[0] = static_cast<unsigned char>(bytes[0] + 1);
  __faasm_write_state("locker_counter", bytes, sizeof(bytes));
  __faasm_push_state("locker_counter");
  if (locked) {
    __faasm_unlock_state_write("locker_counter");
  }
  const std::string output = std::to_string(bytes[0]);
  __faasm_write_output(output.c_str(), static_cast<long>(output.size()));
  return 0;
}
