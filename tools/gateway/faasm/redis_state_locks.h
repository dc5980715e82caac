// State locks that exclude Faasm's hosts and other gateways too: an exclusive
// hold of a key is Faasm's global lock on it in Faasm's Redis, taken the way
// faabric takes one (Redis::acquireLock, releaseLock; used by
// StateKeyValue::lockGlobal in the faabric versions that had global state
// locks):
//
//   USER_KEY_lock = ID    SET USER_KEY_lock ID PX EXPIRY NX, ID a non-zero
//   decimal 31-bit number;
//                         released by a compare-and-delete script (only while
//                         it still holds our ID).
//
// Owners in this gateway first queue in an in-process StateLocks
// (state/state_locks.h: its order, refusals and timeouts, unchanged); a request
// granted there then waits for the Redis lock, tried every `poll` while another
// holder has it (a stale one's expiry ends it), and renewed every expiry/3
// while held, so a hold lasts as long as its owners need it and ends within
// `expiry` of this gateway dying. Faasm has no shared global lock, so a read
// lock takes the same exclusive Redis lock; this gateway's concurrent holders
// of a key (readers together, or one writer after another) share one Redis
// hold, released when the last lets go. The wait for Redis counts against the
// same timeout or deadline as the local wait.
//
// A renewal that finds the lock gone (Redis restarted, or stalled past the
// expiry) logs one line and takes the lock again for the holders it still has.
// Thread-safe, with StateLocks' callback rules; one thread of its own does the
// Redis side.
#pragma once

#include <chrono>
#include <memory>

#include "faasm/redis_client.h"
#include "state/state_locks.h"

namespace faasmjs::gateway::faasm {

struct RedisLockTimings {
  std::chrono::milliseconds expiry{3000};
  std::chrono::milliseconds poll{100};
  std::chrono::milliseconds wait_timeout = state::StateLocks::kDefaultWaitTimeout;
};

std::unique_ptr<state::StateLocks> make_redis_state_locks(std::shared_ptr<const RedisClient> redis,
                                                          RedisLockTimings timings = {});

// Faasm's name for the global lock of a (joined) state key.
std::string redis_lock_key(std::string_view key);

}  // namespace faasmjs::gateway::faasm
