#include "worker/memory_limit.h"

extern "C" std::uint32_t faasmjs_wasm_rt_grow_memory_unlimited(wasm_rt_memory_t* memory, std::uint32_t delta);

namespace faasmjs::gateway::worker {

namespace {

// One call at a time per process (main.cpp): the cap of the running call.
const wasm_rt_memory_t* capped = nullptr;
std::uint32_t cap_pages = 0;
bool hit = false;

}  // namespace

void limit_memory(wasm_rt_memory_t& memory, std::uint64_t limit_pages) {
  hit = false;
  capped = nullptr;
  if (limit_pages == 0 || limit_pages >= memory.max_pages) return;
  memory.max_pages = static_cast<std::uint32_t>(limit_pages);
  capped = &memory;
  cap_pages = memory.max_pages;
}

bool memory_limit_hit() { return hit; }

}  // namespace faasmjs::gateway::worker

extern "C" std::uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, std::uint32_t delta) {
  using namespace faasmjs::gateway::worker;
  if (memory == capped && memory->max_pages == cap_pages && static_cast<std::uint64_t>(memory->pages) + delta > cap_pages) {
    hit = true;
  }
  return faasmjs_wasm_rt_grow_memory_unlimited(memory, delta);
}
