#include "worker/memory_limit.h"

#include <sys/mman.h>

#include <cstdlib>

#include "common/calls.h"

extern "C" {
void faasmjs_wasm_rt_allocate_memory_unlimited(wasm_rt_memory_t* memory, std::uint32_t initial, std::uint32_t max);
std::uint32_t faasmjs_wasm_rt_grow_memory_unlimited(wasm_rt_memory_t* memory, std::uint32_t delta);
std::uint32_t faasmjs_wasm_rt_grow_funcref_table_unlimited(wasm_rt_funcref_table_t* table, std::uint32_t delta,
                                                           wasm_rt_funcref_t init);
std::uint32_t faasmjs_wasm_rt_grow_externref_table_unlimited(wasm_rt_externref_table_t* table, std::uint32_t delta,
                                                             wasm_rt_externref_t init);
}

namespace faasmjs::gateway::worker {

namespace {

constexpr std::uint64_t kPageBytes = 65536;
// What wasm-rt-impl.c's wasm_rt_allocate_memory reserves for every memory (WASM_RT_MEMCHECK_SIGNAL_HANDLER).
constexpr std::size_t kReservation = 0x200000000ul;

// One call at a time per process (main.cpp).
std::uint64_t limit = 0;
std::uint64_t used = 0;
std::uint64_t initial = 0;
bool over_at_start = false;
bool hit = false;

bool fits(std::uint64_t more) { return limit == 0 || used + more <= limit; }

// A grow of `bytes`, done by `grow` when it fits the limit.
template <class Grow>
std::uint32_t grow_within_limit(std::uint64_t bytes, Grow&& grow) {
  if (!fits(bytes)) {
    hit = true;
    return UINT32_MAX;
  }
  const std::uint32_t old = grow();
  if (old != UINT32_MAX) used += bytes;
  return old;
}

// A table of `elements` made now, at instantiation: counted, and made empty when it does not fit.
template <class Table>
void allocate_table(Table* table, std::uint32_t elements, std::uint32_t max_elements) {
  const std::uint64_t bytes = std::uint64_t{elements} * sizeof(*table->data);
  used += bytes;
  initial += bytes;
  table->data = nullptr;
  table->size = 0;
  table->max_size = max_elements;
  if (limit != 0 && used > limit) {
    over_at_start = true;
    return;
  }
  if (elements == 0) return;
  table->data = static_cast<decltype(table->data)>(std::calloc(elements, sizeof(*table->data)));
  if (table->data != nullptr) table->size = elements;
}

}  // namespace

void begin_call_memory(std::uint64_t limit_bytes) {
  limit = limit_bytes;
  used = 0;
  initial = 0;
  over_at_start = false;
  hit = false;
}

void count_initial_memory(std::uint64_t bytes) {
  used += bytes;
  initial += bytes;
  if (limit != 0 && used > limit) over_at_start = true;
}

std::uint64_t initial_memory_bytes() { return initial; }
bool initial_memory_over_limit() { return over_at_start; }
bool memory_limit_hit() { return hit; }

std::string describe_limit(std::uint64_t limit_bytes) {
  if (limit_bytes % (1u << 20) == 0) return std::to_string(limit_bytes >> 20) + " MiB";
  return std::to_string(limit_bytes) + " bytes" + (limit_bytes == kMaxCallMemoryBytes ? " (4 GiB - 64 KiB)" : "");
}

}  // namespace faasmjs::gateway::worker

using namespace faasmjs::gateway::worker;

extern "C" {

void wasm_rt_allocate_memory(wasm_rt_memory_t* memory, std::uint32_t initial_pages, std::uint32_t max_pages) {
  count_initial_memory(initial_pages * kPageBytes);
  // Reserved and made accessible, not touched: an over-limit memory costs address space only, and the call
  // is refused before any of its code runs.
  faasmjs_wasm_rt_allocate_memory_unlimited(memory, initial_pages, max_pages);
}

std::uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, std::uint32_t delta) {
  return grow_within_limit(delta * kPageBytes, [&] { return faasmjs_wasm_rt_grow_memory_unlimited(memory, delta); });
}

// Frees count nothing back: begin_call_memory starts every call's count afresh, and an instance freed while a
// call runs (warm_instances.h making room) was not that call's.
void wasm_rt_free_memory(wasm_rt_memory_t* memory) {
  if (memory->data == nullptr) return;  // never allocated: instantiation trapped before it
  munmap(memory->data, kReservation);
}

void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t* table, std::uint32_t elements, std::uint32_t max) {
  allocate_table(table, elements, max);
}

void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t* table, std::uint32_t elements, std::uint32_t max) {
  allocate_table(table, elements, max);
}

void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t* table) { std::free(table->data); }
void wasm_rt_free_externref_table(wasm_rt_externref_table_t* table) { std::free(table->data); }

std::uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t* table, std::uint32_t delta, wasm_rt_funcref_t init) {
  return grow_within_limit(std::uint64_t{delta} * sizeof(*table->data),
                           [&] { return faasmjs_wasm_rt_grow_funcref_table_unlimited(table, delta, init); });
}

std::uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t* table, std::uint32_t delta,
                                           wasm_rt_externref_t init) {
  return grow_within_limit(std::uint64_t{delta} * sizeof(*table->data),
                           [&] { return faasmjs_wasm_rt_grow_externref_table_unlimited(table, delta, init); });
}

}  // extern "C"
