// The per-call memory limit. A call's memory may not grow past the pages its limit allows: the worker lowers
// the memory's maximum, so memory.grow fails there as at any maximum, and it builds wasm2c's runtime with its
// grow function renamed (CMakeLists.txt) so that this file's wasm_rt_grow_memory sees every refusal: a call
// that then traps ran out of its limit, which its result says, rather than a bare trap.
#pragma once

#include <cstdint>

#include "wasm-rt.h"

namespace faasmjs::gateway::worker {

// Caps `memory` at `limit_pages` for the current call (no cap when 0 or not below its own maximum) and clears
// the record of refusals.
void limit_memory(wasm_rt_memory_t& memory, std::uint64_t limit_pages);
// Whether a grow was refused by the cap since limit_memory.
bool memory_limit_hit();

}  // namespace faasmjs::gateway::worker
