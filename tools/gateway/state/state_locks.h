// Per-key shared/exclusive locks of the global tier, held by an owner: a browser session (STATE_LOCK) or a
// call running in the cluster (__faasm_lock_state_*). Requests are granted in arrival order: a shared request
// waits behind an earlier exclusive one, so writers are not starved.
//
// Thread-safe. `granted` callbacks run exactly once, either inside lock() (free at once) or inside the
// unlock()/release_all() that frees the lock, on that caller's thread: they must not block and must not call
// back into StateLocks.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace faasmjs::gateway::state {

// Distinct ids: sessions and cluster calls take theirs from one counter (see cluster/cluster.h).
using LockOwner = std::uint64_t;

class StateLocks {
 public:
  static std::unique_ptr<StateLocks> create();
  virtual ~StateLocks() = default;

  virtual void lock(std::string_view key, bool exclusive, LockOwner owner, std::function<void()> granted) = 0;
  // Releases one hold of that kind by that owner; false if it held none (nothing changes).
  virtual bool unlock(std::string_view key, bool exclusive, LockOwner owner) = 0;
  // Releases every hold of the owner and forgets its waiting requests (their callbacks never run). Returns
  // the number of holds released, so that callers can warn about a call that ended holding a lock.
  virtual std::size_t release_all(LockOwner owner) = 0;
};

}  // namespace faasmjs::gateway::state
