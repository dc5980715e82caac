// shared_state: Faasm's state_shared_write/read and state_shared_write_offset/read_offset demos in one
// function (faasm-interfaces.md 5), on mapped state pointers. Input:
//   "write"         7 zero bytes pushed, two read_state_ptr (must be equal), 5s through one, checked through
//                   the other, then flagged dirty and pushed
//   "read"          size 7 and all 5s through read_state_ptr
//   "write_offset"  {6,7,8} through read_state_offset_ptr(key, 7, 2, 3), flagged and pushed
//   "read_offset"   {6,7,8} at offset 2 through read_state_offset_ptr
// Outputs "success" or what differed.
#include <faasmjs/detail/host_abi.h>

#include <cstring>
#include <string>

namespace {

constexpr const char* key = "shared_state";
constexpr long size = 7;

int fail(const std::string& why) {
  __faasm_write_output(why.c_str(), static_cast<long>(why.size()));
  return 1;
}

}  // namespace

int main() {
  char mode[16] = {0};
  __faasm_read_input(reinterpret_cast<unsigned char*>(mode), sizeof(mode) - 1);
  const std::string what(mode);
  if (what == "write") {
    const unsigned char zeros[size] = {0};
    __faasm_write_state(key, zeros, size);
    __faasm_push_state(key);
    unsigned char* first = __faasm_read_state_ptr(key, size);
    unsigned char* second = __faasm_read_state_ptr(key, size);
    if (first != second) {
      return fail("pointers differ");
    }
    std::memset(first, 5, size);
    for (long i = 0; i < size; i++) {
      if (second[i] != 5) {
        return fail("second pointer does not see the write");
      }
    }
    __faasm_flag_state_dirty(key, size);
    __faasm_push_state(key);
  } else if (what == "read") {
    if (__faasm_read_state(key, nullptr, 0) != size) {
      return fail("size is not 7");
    }
    const unsigned char* value = __faasm_read_state_ptr(key, size);
    for (long i = 0; i < size; i++) {
      if (value[i] != 5) {
        return fail("byte " + std::to_string(i) + " is " + std::to_string(value[i]));
      }
    }
  } else if (what == "write_offset") {
    unsigned char* chunk = __faasm_read_state_offset_ptr(key, size, 2, 3);
    chunk[0] = 6;
    chunk[1] = 7;
    chunk[2] = 8;
    __faasm_flag_state_offset_dirty(key, size, 2, 3);
    __faasm_push_state(key);
  } else if (what == "read_offset") {
    const unsigned char* chunk = __faasm_read_state_offset_ptr(key, size, 2, 3);
    if (chunk[0] != 6 || chunk[1] != 7 || chunk[2] != 8) {
      return fail("chunk is not 6,7,8");
    }
  } else {
    return fail("unknown mode " + what);
  }
  __faasm_write_output("success", 7);
  return 0;
}
