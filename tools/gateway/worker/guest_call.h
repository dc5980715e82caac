// Calling back into the guest from inside an import (its malloc, for the bytes the host hands over). wasm2c's
// trap handling is one process-wide jump target: the import installs its own for the nested call, so that a
// trap there lands in the import rather than skipping the import's C++ frames, and then raises the trap again
// as a NestedTrap (import_guard.h), which unwinds those frames properly.
#pragma once

#include <cstdint>

#include "worker/call_context.h"

namespace faasmjs::gateway::worker {

// The guest's malloc(size); throws NestedTrap when it traps.
std::uint32_t call_guest_malloc(Call& call, std::uint32_t size);

}  // namespace faasmjs::gateway::worker
