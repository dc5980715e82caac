// state_relay: one state operation per call, so that a test can hand a key back and forth between a browser
// and the cluster and see exactly what each side reads. Input (space separated):
//   "put K V"        write_state K = V, push_state                      → "ok"
//   "get K"          pull_state, read the whole value                    → the value
//   "patch K OFF V"  write V at OFF (the key's size stays), push_state_partial → the whole value after
//   "append K V"     append_state V (8 bytes, padded with '.')           → "ok"
//   "log K N"        read_appended_state of N 8-byte elements            → them, concatenated
//   "clear K"        clear_appended_state                                → "ok"
//   "fill K N"       write N bytes (i % 251) and push                    → "ok"
//   "sum K"          pull_state, then the sum of all bytes, in decimal   → the sum
// Unknown commands return 2.
#include <faasmjs/detail/host_abi.h>

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr long kElement = 8;

void output(const std::string& text) { __faasm_write_output(text.c_str(), static_cast<long>(text.size())); }

std::string input() {
  const long size = __faasm_read_input(nullptr, 0);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (size > 0) {
    __faasm_read_input(reinterpret_cast<unsigned char*>(text.data()), size);
  }
  return text;
}

const unsigned char* bytes(const std::string& text) { return reinterpret_cast<const unsigned char*>(text.data()); }

std::string pulled(const std::string& key) {
  const long size = __faasm_read_state(key.c_str(), nullptr, 0);
  if (size <= 0) {
    return {};
  }
  __faasm_pull_state(key.c_str(), size);
  std::string value(static_cast<std::size_t>(size), '\0');
  __faasm_read_state(key.c_str(), reinterpret_cast<unsigned char*>(value.data()), size);
  return value;
}

}  // namespace

int main() {
  std::istringstream words(input());
  std::string command, key;
  words >> command >> key;
  if (command == "put") {
    std::string value;
    words >> value;
    __faasm_write_state(key.c_str(), bytes(value), static_cast<long>(value.size()));
    __faasm_push_state(key.c_str());
    output("ok");
  } else if (command == "get") {
    output(pulled(key));
  } else if (command == "patch") {
    long offset = 0;
    std::string value;
    words >> offset >> value;
    const long size = static_cast<long>(pulled(key).size());
    __faasm_write_state_offset(key.c_str(), size, offset, bytes(value), static_cast<long>(value.size()));
    __faasm_push_state_partial(key.c_str());
    std::string whole(static_cast<std::size_t>(size), '\0');
    __faasm_read_state(key.c_str(), reinterpret_cast<unsigned char*>(whole.data()), size);
    output(whole);
  } else if (command == "append") {
    std::string value;
    words >> value;
    value.resize(kElement, '.');
    __faasm_append_state(key.c_str(), bytes(value), kElement);
    output("ok");
  } else if (command == "log") {
    long count = 0;
    words >> count;
    std::string log(static_cast<std::size_t>(count * kElement), '\0');
    __faasm_read_appended_state(key.c_str(), reinterpret_cast<unsigned char*>(log.data()),
                                static_cast<long>(log.size()), count);
    output(log);
  } else if (command == "clear") {
    __faasm_clear_appended_state(key.c_str());
    output("ok");
  } else if (command == "fill") {
    long size = 0;
    words >> size;
    std::vector<unsigned char> value(static_cast<std::size_t>(size));
    for (std::size_t i = 0; i < value.size(); i++) {
      value[i] = static_cast<unsigned char>(i % 251);
    }
    __faasm_write_state(key.c_str(), value.data(), size);
    __faasm_push_state(key.c_str());
    output("ok");
  } else if (command == "sum") {
    std::uint64_t sum = 0;
    for (unsigned char byte : pulled(key)) {
      sum += byte;
    }
    output(std::to_string(sum));
  } else {
    output("unknown command: " + command);
    return 2;
  }
  return 0;
}
