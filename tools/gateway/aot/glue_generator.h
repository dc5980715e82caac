// The C glue compiled with a module's wasm2c output: flattens wasm2c's module-shaped symbols into the one
// table of entry points module_abi.h defines, so that the worker never includes a generated header.
#pragma once

#include <string>

#include "aot/module_check.h"
#include "common/error.h"

namespace faasmjs::gateway::aot {

// `header` is the text of the generated fn.h: its instantiate prototype says which import modules it takes.
Expected<std::string> generate_glue(const ModuleShape& shape, const std::string& header);

}  // namespace faasmjs::gateway::aot
