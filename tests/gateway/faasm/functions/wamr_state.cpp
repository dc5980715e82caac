// wamr_state: one value handed on, using only the state imports Faasm's WAMR links (read, write, push, pull,
// append, read appended), so the same binary runs on Faasm and in the browser. Input (space separated):
//   "IN OUT LOG TAG COUNT"
// pulls IN (a value that must exist), writes OUT = "seen:" + that value and pushes it, appends TAG (exactly 8
// bytes) to the append log LOG, then reads the first COUNT elements of LOG → "seen:<value> log:<elements>".
// Pulling first matters on Faasm: a host serves its cached copy of a key until it pulls.
// Bad input or a missing IN: a line saying so, return 2.
#include <faasmjs/detail/host_abi.h>

#include <cstdlib>
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

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find(' ', start);
    const std::size_t stop = end == std::string::npos ? text.size() : end;
    if (stop > start) {
      out.push_back(text.substr(start, stop - start));
    }
    start = stop + 1;
  }
  return out;
}

const unsigned char* bytes(const std::string& text) { return reinterpret_cast<const unsigned char*>(text.data()); }

}  // namespace

int main() {
  const std::vector<std::string> args = words(input());
  if (args.size() != 5 || static_cast<long>(args[3].size()) != kElement) {
    output("usage: IN OUT LOG TAG COUNT, TAG of 8 bytes");
    return 2;
  }
  const std::string &in = args[0], &out = args[1], &log = args[2], &tag = args[3];
  const long count = std::atol(args[4].c_str());
  const long size = __faasm_read_state(in.c_str(), nullptr, 0);
  if (size <= 0 || count <= 0) {
    output(size <= 0 ? "no value at " + in : "COUNT must be positive");
    return 2;
  }
  __faasm_pull_state(in.c_str(), size);
  std::string value(static_cast<std::size_t>(size), '\0');
  __faasm_read_state(in.c_str(), reinterpret_cast<unsigned char*>(value.data()), size);

  const std::string seen = "seen:" + value;
  __faasm_write_state(out.c_str(), bytes(seen), static_cast<long>(seen.size()));
  __faasm_push_state(out.c_str());

  __faasm_append_state(log.c_str(), bytes(tag), kElement);
  std::string elements(static_cast<std::size_t>(count * kElement), '\0');
  __faasm_read_appended_state(log.c_str(), reinterpret_cast<unsigned char*>(elements.data()),
                              static_cast<long>(elements.size()), count);
  output(seen + " log:" + elements);
  return 0;
}
