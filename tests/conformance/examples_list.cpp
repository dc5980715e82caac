// Prints the rows tests/support/expected_outputs.hpp reads from examples/functions/README.md, one JSON array a
// line ([function, input or null, return value, output]), for examples_list.test.mjs to compare with the
// JavaScript reading (tools/demo/expected.mjs).
#include <iostream>
#include <string>

#include "expected_outputs.hpp"

namespace {

std::string json(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: conformance_examples_list README.md\n";
    return 2;
  }
  for (const auto& row : faasmjs_test::expected_outputs(argv[1])) {
    std::cout << "[" << json(row.function) << ", " << (row.input ? json(*row.input) : "null") << ", "
              << row.return_value << ", " << json(row.output) << "]\n";
  }
  return 0;
}
