// Per-key shared/exclusive locks of the global tier, held by an owner: a browser session (STATE_LOCK) or a
// call running in the cluster (__faasm_lock_state_*). Requests are granted in arrival order: a shared request
// waits behind an earlier exclusive one, so writers are not starved.
//
// A request that could only wait forever is refused at once: an exclusive request by an owner that already
// holds the key, or a shared one while it holds it exclusive (Faasm's locks are a std::shared_mutex, which
// deadlocks there); a second request while one of the owner's waits on the key; and a wait that would close
// a cycle of owners waiting for each other ("deadlock: ..."), refused to the request that closed it. A
// shared request by an owner that holds the key shared is granted at once (one more hold): queued behind a
// writer it would wait for itself. Every other wait ends after the timeout given to create(), or earlier
// at a deadline of the request's own (a call's time limit).
//
// Thread-safe. `done` runs exactly once, with nothing or with the refusal: inside lock() (granted or refused
// at once), inside the unlock()/release_all() that frees the lock, or on the locks' own timer thread when
// the wait times out; it must not block and must not call back into StateLocks.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace faasmjs::gateway::state {

// Distinct ids: sessions and cluster calls take theirs from one counter (see common/calls.h).
using LockOwner = std::uint64_t;
using LockDone = std::function<void(Expected<void>)>;

class StateLocks {
 public:
  static constexpr std::chrono::milliseconds kDefaultWaitTimeout{30'000};
  static std::unique_ptr<StateLocks> create(std::chrono::milliseconds wait_timeout = kDefaultWaitTimeout);
  virtual ~StateLocks() = default;

  // `deadline`: the wait ends then, if earlier than the timeout, with `deadline_error` as its refusal.
  virtual void lock(std::string_view key, bool exclusive, LockOwner owner, LockDone done,
                    std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt,
                    std::string deadline_error = {}) = 0;
  // Releases one hold of that kind by that owner; false if it held none (nothing changes).
  virtual bool unlock(std::string_view key, bool exclusive, LockOwner owner) = 0;
  // Releases every hold of the owner and forgets its waiting requests (their callbacks never run). Returns
  // the number of holds released, so that callers can warn about a call that ended holding a lock.
  virtual std::size_t release_all(LockOwner owner) = 0;
};

}  // namespace faasmjs::gateway::state
