// What the function may ask of the runtime itself: configuration flags and diagnostics.
//
// Section map
//   1. conf_flag     a runtime flag ("ALWAYS_ON", "ALWAYS_OFF", ... as Faasm defines them)
//   2. backtrace     ask the host to log the call stack
//
// Neither call blocks.
#ifndef FAASMJS_RUNTIME_HPP
#define FAASMJS_RUNTIME_HPP

#include <string>
#include <string_view>

#include "faasmjs/detail/host_abi.h"
#include "faasmjs/error.hpp"

namespace faasmjs {

// 1. Unknown flags are off (Faasm logs a warning and answers 0).
inline Result<bool> conf_flag(std::string_view name) {
  if (name.empty() || name.find('\0') != std::string_view::npos) {
    return Error(Errc::invalid_argument, "configuration flag name is empty or contains a NUL byte");
  }
  const std::string terminated(name);
  return __faasm_conf_flag(terminated.c_str()) != 0;
}

// 2.
inline void backtrace(int depth) noexcept { __faasm_backtrace(depth); }

}  // namespace faasmjs

#endif  // FAASMJS_RUNTIME_HPP
