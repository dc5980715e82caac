// What the AOT compiler changes in the memory access helpers of a module's generated C: loads that GCC keeps
// even when their value is unused (they must trap when out of bounds) without wasm2c's costly barrier, and
// stores the C compiler knows cannot overwrite the memory's base pointer (the teaching comment, with the
// measurements, is in memory_helpers.cpp).
#pragma once

#include <array>
#include <filesystem>
#include <string_view>

#include "common/error.h"

namespace faasmjs::gateway::aot {

// The header the compiler writes beside fn.c and force-includes (`cc -include memory_helpers.h`).
inline constexpr std::string_view kMemoryHelpersHeaderName = "memory_helpers.h";
extern const std::string_view kMemoryHelpersHeader;
// The flags `cc` needs with that header: with GCC, they are what keeps a load whose value is unused.
inline constexpr std::array<std::string_view, 2> kMemoryHelpersFlags = {"-fnon-call-exceptions",
                                                                        "-fno-delete-dead-exceptions"};

// Rewrites, in place, the load barrier, the load and the store of wasm2c's memory access helpers in `c_file`
// (wasm2c 1.0.32's output) to the macros kMemoryHelpersHeader defines. Internal error if the helpers are not
// where that wasm2c writes them.
Expected<void> rewrite_memory_helpers(const std::filesystem::path& c_file);

}  // namespace faasmjs::gateway::aot
