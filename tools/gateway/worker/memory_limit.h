// The per-call memory limit, over linear memory and tables together. The worker builds wasm2c's runtime with
// its functions that allocate, grow and free memories and tables renamed (CMakeLists.txt), so that this
// file's versions are the ones modules call: they count every byte against the running call's limit, refuse
// a grow past it (memory.grow and table.grow fail there as at any maximum, and the refusal is remembered: a
// call that then traps ran out of its limit, which its result says, rather than a bare trap), and free a
// memory's whole 8 GiB reservation, where wasm2c's own free unmaps only the pages in use and so leaked the
// rest of every instance's address space.
#pragma once

#include <cstdint>
#include <string>

#include "wasm-rt.h"

namespace faasmjs::gateway::worker {

// Before an instance is made: the limit of the call about to run (0: none), and no refusal yet.
void begin_call_memory(std::uint64_t limit_bytes);
// An instance reset to its snapshot instead of made (warm_instance.h): its memory and table at the snapshot
// count as made now, as wasm_rt_allocate_memory and the table allocations count a fresh instance's.
void count_initial_memory(std::uint64_t bytes);
// What the instance's memories and tables took when they were made (their initial sizes), in bytes.
std::uint64_t initial_memory_bytes();
// Whether those initial sizes alone exceed the limit: the module cannot run under it (its tables were then
// made empty, so that its element segments trap instead of being written).
bool initial_memory_over_limit();
// Whether a grow was refused by the limit since begin_call_memory.
bool memory_limit_hit();
// A limit as errors name it: "1024 MiB", or Faasm's maximum in bytes ("4294901760 bytes (4 GiB - 64 KiB)").
std::string describe_limit(std::uint64_t limit_bytes);

}  // namespace faasmjs::gateway::worker
