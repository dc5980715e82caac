// The quick tier's C compiler, tcc: what it needs beside wasm2c's output, which assumes GCC or clang.
#pragma once

#include <string_view>

namespace faasmjs::gateway::aot {

// Written beside fn.c and force-included (`tcc -include quick_tier.h`) in the quick tier's compile only.
inline constexpr std::string_view kQuickTierHeaderName = "quick_tier.h";
extern const std::string_view kQuickTierHeader;

}  // namespace faasmjs::gateway::aot
