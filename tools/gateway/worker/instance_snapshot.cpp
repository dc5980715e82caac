#include "worker/instance_snapshot.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace faasmjs::gateway::worker {

namespace {

constexpr std::uint32_t kPage = 4096;
// Zero pages between two runs closer than this are copied with them: one memcpy of a few zero pages costs less
// than the madvise that would discard them and the page faults that would bring them back.
constexpr std::uint32_t kMergedGapPages = 8;
// At most this much of the pages the first call touched are cleared with memset at each reset (the rest is
// discarded as if untouched): what a call of a few stack frames and heap blocks touches, not a big buffer.
constexpr std::uint32_t kClearedPages = 64;

bool all_zero(const std::uint8_t* page) {
  const auto* words = reinterpret_cast<const std::uint64_t*>(page);
  for (std::uint32_t i = 0; i < kPage / sizeof(std::uint64_t); ++i) {
    if (words[i] != 0) return false;
  }
  return true;
}

}  // namespace

InstanceSnapshot::InstanceSnapshot(const Instance& instance) {
  const auto* bytes = static_cast<const std::byte*>(instance.get());
  instance_struct_.assign(bytes, bytes + instance.module()->instance_size);
  if (const wasm_rt_funcref_table_t* table = instance.table()) table_.assign(table->data, table->data + table->size);

  const wasm_rt_memory_t* memory = instance.memory();
  memory_size_ = memory->size;  // a whole number of 64 KiB wasm pages, so of 4 KiB ones
  std::uint32_t gap_pages = 0;
  for (std::uint32_t offset = 0; offset < memory_size_; offset += kPage) {
    if (all_zero(memory->data + offset)) {
      ++gap_pages;
      continue;
    }
    if (!runs_.empty() && gap_pages < kMergedGapPages) {
      runs_.back().length = offset + kPage - runs_.back().offset;
    } else {
      runs_.push_back({offset, kPage});
    }
    gap_pages = 0;
  }
  std::uint32_t end = 0;
  for (const Run& run : runs_) {
    if (run.offset > end) gaps_.push_back({end, run.offset - end});
    end = run.offset + run.length;
    data_.insert(data_.end(), reinterpret_cast<const std::byte*>(memory->data + run.offset),
                 reinterpret_cast<const std::byte*>(memory->data + end));
  }
  if (memory_size_ > end) gaps_.push_back({end, memory_size_ - end});
  // The scan above mapped every page it read: discarded, the pages a call touches are the only ones resident
  // when the first restore looks (learn_touched_pages).
  for (const Run& gap : gaps_) madvise(memory->data + gap.offset, gap.length, MADV_DONTNEED);
}

void InstanceSnapshot::learn_touched_pages(const std::uint8_t* base) {
  learned_ = true;
  std::vector<Run> untouched;
  std::uint32_t budget = kClearedPages;
  std::vector<unsigned char> resident;
  for (const Run& gap : gaps_) {
    resident.assign(gap.length / kPage, 0);
    // Residency only chooses how a page is zeroed, never whether: a page reported wrongly (swapped out, say)
    // is discarded or cleared, zero either way.
    if (mincore(const_cast<std::uint8_t*>(base) + gap.offset, gap.length, resident.data()) != 0)
      resident.assign(resident.size(), 0);
    for (std::uint32_t page = 0; page < resident.size(); ++page) {
      const bool clear = (resident[page] & 1) != 0 && budget > 0;
      budget -= clear ? 1 : 0;
      std::vector<Run>& into = clear ? cleared_ : untouched;
      const std::uint32_t offset = gap.offset + page * kPage;
      if (!into.empty() && into.back().offset + into.back().length == offset) {
        into.back().length += kPage;
      } else {
        into.push_back({offset, kPage});
      }
    }
  }
  gaps_ = std::move(untouched);
}

bool InstanceSnapshot::restore(Instance& instance) {
  wasm_rt_memory_t* memory = instance.memory();
  std::uint8_t* const base = memory->data;
  if (!learned_) learn_touched_pages(base);
  const std::uint32_t grown = memory->size - std::min(memory->size, memory_size_);
  // Grown by the call: given back, and out of bounds again (wasm2c's reservation beyond the memory is
  // PROT_NONE).
  if (grown > 0 && (madvise(base + memory_size_, grown, MADV_DONTNEED) != 0 ||
                    mprotect(base + memory_size_, grown, PROT_NONE) != 0)) {
    return false;
  }
  wasm_rt_funcref_table_t* table = instance.table();
  wasm_rt_funcref_t* entries = nullptr;
  if (table != nullptr) {
    // The struct names the table's storage at the snapshot, which a table.grow may have moved since: the
    // current storage, resized to the snapshot's entries, takes its place (memory_limit.cpp allocated it).
    entries = static_cast<wasm_rt_funcref_t*>(
        std::realloc(table->data, std::max<std::size_t>(1, table_.size()) * sizeof(wasm_rt_funcref_t)));
    if (entries == nullptr) return false;
    table->data = entries;
  }
  std::memcpy(instance.get(), instance_struct_.data(), instance_struct_.size());
  if (table != nullptr) {
    table->data = entries;
    std::copy(table_.begin(), table_.end(), entries);
  }
  const std::byte* from = data_.data();
  for (const Run& run : runs_) {
    std::memcpy(base + run.offset, from, run.length);
    from += run.length;
  }
  for (const Run& page : cleared_) std::memset(base + page.offset, 0, page.length);
  for (const Run& gap : gaps_) {
    if (madvise(base + gap.offset, gap.length, MADV_DONTNEED) != 0) return false;
  }
  return true;
}

std::uint64_t InstanceSnapshot::initial_bytes() const {
  return std::uint64_t{memory_size_} + table_.size() * sizeof(wasm_rt_funcref_t);
}

std::uint64_t InstanceSnapshot::kept_bytes() const {
  return instance_struct_.size() + table_.size() * sizeof(wasm_rt_funcref_t) + data_.size();
}

}  // namespace faasmjs::gateway::worker
