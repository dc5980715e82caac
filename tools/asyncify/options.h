// The command line: flags, @response files, and the --help text generated from the same flag table.
#ifndef FAASMJS_ASYNCIFY_OPTIONS_H
#define FAASMJS_ASYNCIFY_OPTIONS_H

#include <optional>
#include <string>
#include <vector>

#include "result.h"

namespace faasmjs::asyncify {

struct Options {
  std::string input;
  std::string output;  // defaults to the input with ".wasm" replaced by ".async.wasm"
  std::optional<std::string> manifest;
  bool verbose = false;
};

enum class Action { Transform, Help, Version };

struct CommandLine {
  Action action = Action::Transform;
  Options options;
};

// `arguments` excludes the program name.
Result<CommandLine> parseCommandLine(const std::vector<std::string>& arguments);

std::string helpText();

}  // namespace faasmjs::asyncify

#endif
