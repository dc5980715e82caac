#include "options.h"

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

namespace faasmjs::asyncify {
namespace {

// Response files may name further response files; this bounds a file that names itself.
constexpr int kMaxResponseFileDepth = 16;

enum class FlagId { Output, Manifest, Verbose, Help, Version };

struct Flag {
  FlagId id;
  std::string_view longName;
  std::string_view alias;
  std::string_view valueName;  // empty for switches
  std::string_view help;
};

constexpr std::array<Flag, 5> kFlags = {{
    {FlagId::Output, "--output", "-o", "FILE", "write the transformed binary to FILE (default: INPUT.async.wasm)"},
    {FlagId::Manifest, "--manifest", "-m", "FILE", "also write the JSON manifest to FILE"},
    {FlagId::Verbose, "--verbose", "-v", "",
     "print why each function is instrumented (the call chain to a blocking import)"},
    {FlagId::Help, "--help", "-h", "", "print this help and exit"},
    {FlagId::Version, "--version", "-V", "", "print the version and exit"},
}};

const Flag* findFlag(std::string_view name) {
  for (const auto& flag : kFlags) {
    if (name == flag.longName || name == flag.alias) return &flag;
  }
  return nullptr;
}

// GCC's response-file syntax: arguments separated by whitespace, with '…', "…" and backslash escapes.
std::vector<std::string> splitResponseFile(const std::string& text) {
  std::vector<std::string> arguments;
  std::string current;
  bool inArgument = false;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size() && quote != '\'') {
      current += text[++i];
      inArgument = true;
    } else if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        current += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      inArgument = true;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      if (inArgument) arguments.push_back(std::move(current));
      current.clear();
      inArgument = false;
    } else {
      current += c;
      inArgument = true;
    }
  }
  if (inArgument) arguments.push_back(std::move(current));
  return arguments;
}

Status expandResponseFiles(const std::vector<std::string>& arguments, int depth, std::vector<std::string>& out) {
  for (const auto& argument : arguments) {
    if (argument.size() < 2 || argument[0] != '@') {
      out.push_back(argument);
      continue;
    }
    const std::string path = argument.substr(1);
    if (depth == kMaxResponseFileDepth) {
      return Error{"response file " + path + ": nested more than " + std::to_string(kMaxResponseFileDepth) +
                   " deep (does it include itself?)"};
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) return Error{"cannot read response file " + path + ": " + std::strerror(errno)};
    std::ostringstream text;
    text << file.rdbuf();
    if (auto status = expandResponseFiles(splitResponseFile(text.str()), depth + 1, out); !status) return status;
  }
  return ok();
}

std::string defaultOutput(const std::string& input) {
  constexpr std::string_view suffix = ".wasm";
  if (input.size() > suffix.size() && input.ends_with(suffix)) {
    return input.substr(0, input.size() - suffix.size()) + ".async.wasm";
  }
  return input + ".async.wasm";
}

}  // namespace

Result<CommandLine> parseCommandLine(const std::vector<std::string>& rawArguments) {
  std::vector<std::string> arguments;
  if (auto status = expandResponseFiles(rawArguments, 0, arguments); !status) return status.error();

  CommandLine commandLine;
  Options& options = commandLine.options;
  std::vector<std::string> inputs;
  bool onlyInputs = false;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (onlyInputs || argument == "-" || !argument.starts_with("-")) {
      inputs.push_back(argument);
      continue;
    }
    if (argument == "--") {
      onlyInputs = true;
      continue;
    }
    std::string name = argument;
    std::optional<std::string> value;
    if (const auto equals = argument.find('='); argument.starts_with("--") && equals != std::string::npos) {
      name = argument.substr(0, equals);
      value = argument.substr(equals + 1);
    }
    const Flag* flag = findFlag(name);
    if (flag == nullptr) return Error{"unknown option " + name + " (see --help)"};
    if (flag->valueName.empty() && value) return Error{"option " + name + " takes no value"};
    if (!flag->valueName.empty() && !value) {
      if (i + 1 == arguments.size()) return Error{"option " + name + " needs a value: " + std::string(flag->valueName)};
      value = arguments[++i];
    }
    if (value && value->empty()) return Error{"option " + name + " needs a non-empty value"};
    switch (flag->id) {
      case FlagId::Output:
        options.output = *value;
        break;
      case FlagId::Manifest:
        options.manifest = *value;
        break;
      case FlagId::Verbose:
        options.verbose = true;
        break;
      case FlagId::Help:
        commandLine.action = Action::Help;
        break;
      case FlagId::Version:
        commandLine.action = Action::Version;
        break;
    }
  }
  if (commandLine.action != Action::Transform) return commandLine;
  if (inputs.empty()) return Error{"no input file (see --help)"};
  if (inputs.size() > 1) return Error{"unexpected argument " + inputs[1] + ": give exactly one input file"};
  options.input = inputs.front();
  if (options.output.empty()) options.output = defaultOutput(options.input);
  return commandLine;
}

std::string helpText() {
  std::ostringstream text;
  text << "Usage: faasmjs-asyncify [options] INPUT.wasm\n"
          "\n"
          "Makes a Faasm function binary able to suspend in a browser: instruments, with Binaryen's Asyncify,\n"
          "exactly the functions that can be on the stack while a blocking Faasm import runs.\n"
          "\n"
          "Options:\n";
  for (const auto& flag : kFlags) {
    std::string spelling(flag.alias);
    spelling.append(", ").append(flag.longName);
    if (!flag.valueName.empty()) spelling.append(" ").append(flag.valueName);
    text << "  " << spelling << std::string(spelling.size() < 22 ? 22 - spelling.size() : 1, ' ') << flag.help << "\n";
  }
  text << "  @FILE                 read further arguments from FILE (whitespace separated, quotes allowed)\n"
          "\n"
          "Exit status: 0 on success, 2 on any error (one line on stderr names the culprit).\n";
  return text.str();
}

}  // namespace faasmjs::asyncify
