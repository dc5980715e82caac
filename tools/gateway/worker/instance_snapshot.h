// What an instance is right after its constructors and zygote, kept so that the same instance can be put
// back there before each call: Faasm's reset of a Faaslet to the snapshot it took after binding
// (faasm-interfaces.md 2.5), at the cost of copying the pages that hold data instead of making a memory.
//
// The snapshot holds the instance struct (globals, the memory's and the table's sizes, the import contexts'
// pointers), the table's entries, and linear memory as runs of pages that were not all zero. Restoring copies
// those back, zeroes every other page of the snapshot's memory and takes back what the call grew: no byte of
// one call survives into the next. Zeroing is a memset for the pages the first call touched (calls of a
// function touch much the same stack and heap pages, which so stay in RAM, as Wasmtime keeps the start of a
// pooled memory resident) and a discard for the rest (MADV_DONTNEED: the kernel gives zeros on the next
// touch, and freeing a page that the call touched costs more than clearing it). Only modules whose whole
// state is those three parts qualify (faasmjs_module::resettable).
#pragma once

#include <cstdint>
#include <vector>

#include "worker/instance.h"

namespace faasmjs::gateway::worker {

class InstanceSnapshot {
 public:
  explicit InstanceSnapshot(const Instance& instance);

  // False when the kernel refused to discard or protect pages: the instance may then hold what a call left,
  // and must be freed, not run. The first restore learns which pages to clear rather than discard.
  bool restore(Instance& instance);

  // The memory and table bytes a restored instance starts with, counted against a call's memory limit as a
  // fresh instance's initial sizes are.
  std::uint64_t initial_bytes() const;
  // What the snapshot itself keeps in this process (its copies).
  std::uint64_t kept_bytes() const;

 private:
  struct Run {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };

  std::vector<std::byte> instance_struct_;
  std::vector<wasm_rt_funcref_t> table_;
  std::uint32_t memory_size_ = 0;
  std::vector<Run> runs_;  // in address order; their bytes back to back in data_
  std::vector<std::byte> data_;
  std::vector<Run> gaps_;     // the pages between the runs, zero in the snapshot, discarded
  std::vector<Run> cleared_;  // pages of the gaps the first call touched: cleared instead
  bool learned_ = false;

  void learn_touched_pages(const std::uint8_t* base);
};

}  // namespace faasmjs::gateway::worker
