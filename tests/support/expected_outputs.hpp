// The expected outputs of the example functions, read from the table in examples/functions/README.md, the one
// list: the C++ tests' reading of it, by the rules of tools/demo/expected.mjs (the JavaScript tests' reading;
// tests/conformance/examples_list.test.mjs checks that both find the same rows). Rows whose input or output is
// a description rather than a literal are left to the tests that know how to check them.
#pragma once

#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace faasmjs_test {

struct ExpectedOutput {
  std::string function;
  std::optional<std::string> input;  // none: the call has no input
  int return_value = 0;
  std::string output;
};

inline std::vector<ExpectedOutput> expected_outputs(const std::string& readme_path) {
  std::ifstream file(readme_path);
  if (!file) throw std::runtime_error("cannot read " + readme_path);
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string readme = contents.str();
  const auto section = readme.find("\n## Expected output\n");
  if (section == std::string::npos) throw std::runtime_error(readme_path + ": no \"## Expected output\" section");

  static const std::regex name(R"(^`(\w+)`$)");
  static const std::regex no_input(R"(^none(\s*\(.*\))?$)");
  static const std::regex literal(R"(^`([^`]*)`$)");
  static const std::regex output(R"(^(?:return (\d+), )?`([^`]*)`(\s*\(.*\))?$)");
  auto trim = [](std::string text) {
    text.erase(0, text.find_first_not_of(' '));
    text.erase(text.find_last_not_of(' ') + 1);
    return text;
  };
  std::vector<ExpectedOutput> rows;
  std::istringstream lines(readme.substr(section + 1));
  std::string line;
  std::getline(lines, line);  // the heading
  while (std::getline(lines, line) && !line.starts_with("## ")) {
    std::vector<std::string> cells;
    std::stringstream split(line);
    for (std::string cell; std::getline(split, cell, '|');) cells.push_back(trim(cell));
    if (cells.size() != 4 || !cells[0].empty()) continue;  // "| a | b | c |": an empty cell before the first bar
    std::smatch function_match, input_match, output_match;
    if (!std::regex_match(cells[1], function_match, name) || !std::regex_match(cells[3], output_match, output))
      continue;
    ExpectedOutput row{function_match[1], std::nullopt, 0, output_match[2]};
    if (std::regex_match(cells[2], input_match, literal)) {
      row.input = input_match[1];
    } else if (!std::regex_match(cells[2], no_input)) {
      continue;
    }
    if (row.output.find("...") != std::string::npos) continue;
    if (output_match[1].matched) row.return_value = std::stoi(output_match[1]);
    rows.push_back(row);
  }
  if (rows.empty()) throw std::runtime_error(readme_path + ": no literal rows in the expected output table");
  return rows;
}

}  // namespace faasmjs_test
