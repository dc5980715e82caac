// What keeps wasm2c's unused loads (they must trap when out of bounds) without the cost of its barrier:
// a rewrite of the barrier in the load helpers of a module's generated C (the teaching comment is in
// load_barrier.cpp).
#pragma once

#include <filesystem>
#include <string_view>

#include "common/error.h"

namespace faasmjs::gateway::aot {

// The header the compiler writes beside fn.c and force-includes (`cc -include load_barrier.h`).
inline constexpr std::string_view kLoadBarrierHeaderName = "load_barrier.h";
extern const std::string_view kLoadBarrierHeader;

// Rewrites, in place, the barrier of wasm2c's load helpers in `c_file` (wasm2c 1.0.32's output) to the one
// kLoadBarrierHeader defines. Internal error if the helpers are not where that wasm2c writes them.
Expected<void> retarget_load_barriers(const std::filesystem::path& c_file);

}  // namespace faasmjs::gateway::aot
