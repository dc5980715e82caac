#include "worker/warm_instances.h"

#include <algorithm>

#include "worker/memory_limit.h"

namespace faasmjs::gateway::worker {

Instance* WarmInstances::take(const faasmjs_module* module) {
  auto kept = std::find_if(kept_.begin(), kept_.end(), [&](const Kept& k) { return k.instance->module() == module; });
  if (kept == kept_.end() || (kept->used && !reset(kept))) return nullptr;
  kept->used = true;
  kept->last_taken = ++takes_;
  count_initial_memory(kept->snapshot.initial_bytes());
  return kept->instance.get();
}

Instance* WarmInstances::keep(std::unique_ptr<Instance> instance) {
  if (kept_.size() >= kWarmInstances) {
    kept_.erase(std::min_element(kept_.begin(), kept_.end(),
                                 [](const Kept& a, const Kept& b) { return a.last_taken < b.last_taken; }));
  }
  InstanceSnapshot snapshot(*instance);
  Instance* kept = instance.get();
  kept_.push_back({std::move(instance), std::move(snapshot), true, ++takes_});
  return kept;
}

void WarmInstances::reset_used() {
  for (auto kept = kept_.begin(); kept != kept_.end();) {
    if (!kept->used || reset(kept)) {
      ++kept;
    } else {
      kept = kept_.begin();  // erased: start over, the list is a few entries long
    }
  }
}

bool WarmInstances::reset(std::vector<Kept>::iterator kept) {
  if (kept->snapshot.restore(*kept->instance)) {
    kept->used = false;
    return true;
  }
  kept_.erase(kept);
  return false;
}

std::uint64_t WarmInstances::snapshot_bytes() const {
  std::uint64_t bytes = 0;
  for (const Kept& kept : kept_) bytes += kept.snapshot.kept_bytes();
  return bytes;
}

WarmInstances& warm_instances() {
  static WarmInstances instances;
  return instances;
}

}  // namespace faasmjs::gateway::worker
