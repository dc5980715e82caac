// The instances this worker keeps between calls: one per module, for the few modules it ran last, each with
// the snapshot taken right after its constructors and zygote (instance_snapshot.h). A call of a kept module
// starts on its instance reset to that snapshot instead of a new one: no memory to reserve and map, no data
// segments to write, no constructors to run, and nothing left of the call before (the reset runs before the
// next call takes it, by default as soon as the previous one's result has left).
//
// An instance is kept only when its module qualifies (faasmjs_module::resettable) and its constructors and
// zygote called no import: then its snapshot holds nothing of the call it was made for, and every call sees
// what a fresh instance would have given it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "worker/instance.h"
#include "worker/instance_snapshot.h"

namespace faasmjs::gateway::worker {

// Each kept instance holds wasm2c's 8 GiB reservation of address space (sandbox.cpp allows for them).
inline constexpr std::size_t kWarmInstances = 4;

class WarmInstances {
 public:
  // The kept instance of `module`, reset, its memory counted against the running call's limit
  // (memory_limit.h), or nullptr when none is kept (or its reset failed, and it is gone).
  Instance* take(const faasmjs_module* module);
  // Keeps `instance`, fresh from its constructors and zygote, with a snapshot of it taken now (it is about to
  // run the call it was made for); the least recently used one goes if kWarmInstances are kept already.
  Instance* keep(std::unique_ptr<Instance> instance);
  // Resets every instance a call used since its last reset, ahead of the next call.
  void reset_used();

  std::size_t count() const { return kept_.size(); }
  // What the snapshots keep in this process, beyond the instances' own memory.
  std::uint64_t snapshot_bytes() const;

 private:
  struct Kept {
    std::unique_ptr<Instance> instance;
    InstanceSnapshot snapshot;
    bool used = true;
    std::uint64_t last_taken = 0;
  };
  // False (and the instance gone) when the reset failed.
  bool reset(std::vector<Kept>::iterator kept);

  std::vector<Kept> kept_;
  std::uint64_t takes_ = 0;
};

// This process's (a worker runs one call at a time).
WarmInstances& warm_instances();

}  // namespace faasmjs::gateway::worker
