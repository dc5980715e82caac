// The exports every Faasm function module has (memory, malloc, _start), as WebAssembly text for the tests
// that assemble a module around them to see what the AOT compiler accepts and refuses.
#pragma once

#include <string>

namespace faasmjs::gateway::testing {

inline const std::string kFaasmExports = R"((memory (export "memory") 1)
  (func (export "malloc") (param i32) (result i32) i32.const 0)
  (func (export "_start")))";

}  // namespace faasmjs::gateway::testing
