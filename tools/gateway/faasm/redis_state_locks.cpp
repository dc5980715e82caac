#include "faasm/redis_state_locks.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace faasmjs::gateway::faasm {

namespace {

using Clock = std::chrono::steady_clock;
using state::LockDone;
using state::LockOwner;

// faabric's delifeq script (Redis.h), and the same test before extending the
// expiry.
constexpr std::string_view kRelease = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end
)lua";
constexpr std::string_view kRenew = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end
)lua";

std::string mode(bool exclusive) { return exclusive ? "write" : "read"; }

struct Request {
  std::string key;
  LockOwner owner;
  bool exclusive;
  LockDone done;
  Clock::time_point deadline;
  std::string deadline_error;  // empty: the wait timeout's own message
  bool cancelled = false;      // its owner was released: a late local grant is ignored
};
using Shared = std::shared_ptr<Request>;

struct Hold {
  LockOwner owner;
  bool exclusive;
};

struct KeyState {
  std::vector<Shared> waiting;  // granted in this gateway, waiting for the Redis lock
  std::vector<Hold> holds;      // granted in both
  std::string id;               // our value in KEY_lock; empty while we do not hold it
  Clock::time_point renew_at;
  Clock::time_point next_try;  // of SET NX, while it is held elsewhere
  bool needed() const { return !waiting.empty() || !holds.empty(); }
};

using Calls = std::vector<std::function<void()>>;

class RedisLocks final : public state::StateLocks {
 public:
  RedisLocks(std::shared_ptr<const RedisClient> redis, RedisLockTimings timings)
      : redis_(std::move(redis)),
        timings_(timings),
        local_(state::StateLocks::create(timings.wait_timeout)),
        ids_(std::random_device{}()),
        thread_([this] { loop(); }) {}

  ~RedisLocks() override {
    {
      std::lock_guard guard(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
    // Other hosts would otherwise wait out the expiry.
    for (const auto& [key, state] : keys_) {
      if (!state.id.empty()) release(key, state.id);
    }
  }

  void lock(std::string_view key, bool exclusive, LockOwner owner, LockDone done,
            std::optional<Clock::time_point> deadline, std::string deadline_error) override {
    auto request = std::make_shared<Request>();
    request->key = std::string(key);
    request->owner = owner;
    request->exclusive = exclusive;
    request->done = std::move(done);
    request->deadline = Clock::now() + timings_.wait_timeout;
    if (deadline && *deadline < request->deadline) {
      request->deadline = *deadline;
      request->deadline_error = deadline_error;
    }
    {
      std::lock_guard guard(mutex_);
      pending_[owner].push_back(request);
    }
    local_->lock(
        key, exclusive, owner, [this, request](Expected<void> granted) { on_local(request, std::move(granted)); },
        deadline, std::move(deadline_error));
  }

  bool unlock(std::string_view key_view, bool exclusive, LockOwner owner) override {
    const std::string key(key_view);
    {
      std::lock_guard guard(mutex_);
      auto found = keys_.find(key);
      if (found == keys_.end()) return false;
      auto& holds = found->second.holds;
      auto hold = std::find_if(holds.begin(), holds.end(),
                               [&](const Hold& h) { return h.owner == owner && h.exclusive == exclusive; });
      if (hold == holds.end()) return false;
      holds.erase(hold);
    }
    local_->unlock(key, exclusive, owner);
    changed_.notify_all();
    return true;
  }

  std::size_t release_all(LockOwner owner) override {
    std::size_t released = 0;
    {
      std::lock_guard guard(mutex_);
      if (auto found = pending_.find(owner); found != pending_.end()) {
        for (const Shared& request : found->second) {
          request->cancelled = true;
          if (auto key = keys_.find(request->key); key != keys_.end()) std::erase(key->second.waiting, request);
        }
        pending_.erase(found);
      }
      for (auto& [key, state] : keys_) {
        released += std::erase_if(state.holds, [&](const Hold& h) { return h.owner == owner; });
      }
    }
    local_->release_all(owner);
    changed_.notify_all();
    return released;
  }

 private:
  // The in-process lock's answer; may run inside a call of local_, never with
  // mutex_ held.
  void on_local(const Shared& request, Expected<void> granted) {
    std::unique_lock guard(mutex_);
    if (request->cancelled) return;
    if (!granted) {
      forget(request);
      guard.unlock();
      request->done(std::move(granted));
      return;
    }
    KeyState& state = keys_[request->key];
    if (!state.id.empty()) {
      state.holds.push_back({request->owner, request->exclusive});
      forget(request);
      guard.unlock();
      request->done({});
      return;
    }
    state.waiting.push_back(request);
    guard.unlock();
    changed_.notify_all();
  }

  void forget(const Shared& request) {
    auto found = pending_.find(request->owner);
    if (found == pending_.end()) return;
    std::erase(found->second, request);
    if (found->second.empty()) pending_.erase(found);
  }

  std::string new_id() {
    std::uniform_int_distribution<std::uint32_t> distribution(1, 0x7FFFFFFF);
    return std::to_string(distribution(ids_));
  }

  // The Redis side, one key at a time: take the lock for keys that need it,
  // renew what is held, release what nobody here needs any more. Redis is never
  // called with mutex_ held.
  void loop() {
    std::unique_lock guard(mutex_);
    while (!stopping_) {
      const auto now = Clock::now();
      std::optional<Clock::time_point> wake;
      auto at = [&](Clock::time_point t) { wake = wake ? std::min(*wake, t) : t; };
      std::string key;
      enum class Work { None, Acquire, Renew, Release } work = Work::None;
      std::string id;
      for (auto it = keys_.begin(); it != keys_.end() && work == Work::None;) {
        KeyState& state = it->second;
        if (state.id.empty() && !state.needed()) {
          it = keys_.erase(it);
          continue;
        }
        if (!state.id.empty() && !state.needed()) {
          work = Work::Release, key = it->first, id = std::move(state.id);
          keys_.erase(it);
          break;
        }
        if (state.id.empty()) {
          if (now >= state.next_try) work = Work::Acquire, key = it->first, id = new_id();
          at(state.next_try);
        } else {
          if (now >= state.renew_at) work = Work::Renew, key = it->first, id = state.id;
          at(state.renew_at);
        }
        ++it;
      }
      if (work == Work::None) {
        if (wake) {
          changed_.wait_until(guard, *wake);
        } else {
          changed_.wait(guard);
        }
        continue;
      }
      guard.unlock();
      Calls calls;
      if (work == Work::Release) {
        release(key, id);
        guard.lock();
        continue;
      }
      if (work == Work::Acquire) {
        auto taken = acquire(key, id);
        guard.lock();
        acquired(key, id, taken, calls);
      } else {
        auto renewed = renew(key, id);
        guard.lock();
        was_renewed(key, id, renewed);
      }
      guard.unlock();
      for (auto& call : calls) call();
      guard.lock();
    }
  }

  Expected<bool> acquire(const std::string& key, const std::string& id) const {
    const std::string expiry = std::to_string(timings_.expiry.count());
    auto reply = redis_->command("SET NX", {"SET", redis_lock_key(key), id, "PX", expiry, "NX"});
    if (!reply) return std::unexpected(reply.error());
    if (reply->is_error()) return refused("SET NX", key, reply->text);
    return reply->type == RedisReply::Type::Status;
  }

  Expected<bool> renew(const std::string& key, const std::string& id) const {
    const std::string expiry = std::to_string(timings_.expiry.count());
    auto reply = redis_->command("PEXPIRE", {"EVAL", kRenew, "1", redis_lock_key(key), id, expiry});
    if (!reply) return std::unexpected(reply.error());
    if (reply->is_error()) return refused("PEXPIRE", key, reply->text);
    return reply->integer == 1;
  }

  void release(const std::string& key, const std::string& id) const {
    auto reply = redis_->command("DEL", {"EVAL", kRelease, "1", redis_lock_key(key), id});
    if (!reply || reply->is_error()) {
      std::fprintf(stderr,
                   "faasmjs-gateway: could not release Faasm's lock %s (it "
                   "expires by itself within %lld ms): %s\n",
                   redis_lock_key(key).c_str(), static_cast<long long>(timings_.expiry.count()),
                   reply ? reply->text.c_str() : reply.error().message.c_str());
    }
  }

  std::unexpected<Error> refused(std::string_view what, const std::string& key, const std::string& text) const {
    return fail(ErrorCode::Internal, redis_->address().describe() + " refused " + std::string(what) + " on " +
                                         redis_lock_key(key) + ": " + text);
  }

  // Applies an acquisition attempt (mutex_ held): grants the waiters, or
  // refuses those past their deadline or all of them when Redis failed; their
  // local holds go.
  void acquired(const std::string& key, const std::string& id, const Expected<bool>& taken, Calls& calls) {
    auto found = keys_.find(key);
    if (taken && *taken) {
      if (found == keys_.end()) {
        // Everyone who wanted it left while we asked: give it back at once.
        calls.push_back([this, key, id] { release(key, id); });
        return;
      }
      KeyState& state = found->second;
      state.id = id;
      state.renew_at = Clock::now() + timings_.expiry / 3;
      for (const Shared& request : state.waiting) {
        state.holds.push_back({request->owner, request->exclusive});
        forget(request);
        calls.push_back([request] { request->done({}); });
      }
      state.waiting.clear();
      return;
    }
    if (found == keys_.end()) return;
    KeyState& state = found->second;
    const auto now = Clock::now();
    state.next_try = now + timings_.poll;
    std::erase_if(state.waiting, [&](const Shared& request) {
      if (taken && now < request->deadline) return false;
      forget(request);
      Error why = taken ? Error{ErrorCode::BadState, timed_out(*request)} : taken.error();
      calls.push_back([this, request, why = std::move(why)] {
        local_->unlock(request->key, request->exclusive, request->owner);
        request->done(std::unexpected(why));
      });
      return true;
    });
    if (!taken && !state.holds.empty()) {
      std::fprintf(stderr, "faasmjs-gateway: %s\n", taken.error().message.c_str());
    }
  }

  std::string timed_out(const Request& request) const {
    if (!request.deadline_error.empty()) return request.deadline_error;
    return "a " + mode(request.exclusive) + " lock on '" + request.key + "' was not granted within " +
           std::to_string(timings_.wait_timeout.count()) + " ms (the lock wait timeout): Faasm's lock " +
           redis_lock_key(request.key) + " in " + redis_->address().describe() + " stayed held elsewhere";
  }

  void was_renewed(const std::string& key, const std::string& id, const Expected<bool>& renewed) {
    auto found = keys_.find(key);
    if (found == keys_.end() || found->second.id != id) return;
    KeyState& state = found->second;
    if (!renewed) {
      // Try again soon: the lock lasts until its expiry.
      std::fprintf(stderr, "faasmjs-gateway: %s\n", renewed.error().message.c_str());
      state.renew_at = Clock::now() + timings_.poll;
      return;
    }
    if (*renewed) {
      state.renew_at = Clock::now() + timings_.expiry / 3;
      return;
    }
    std::fprintf(stderr,
                 "faasmjs-gateway: Faasm's lock %s in %s was gone when it was "
                 "to be renewed (it expired or was "
                 "removed); taking it again for its holders here\n",
                 redis_lock_key(key).c_str(), redis_->address().describe().c_str());
    state.id.clear();
    state.next_try = Clock::now();
  }

  const std::shared_ptr<const RedisClient> redis_;
  const RedisLockTimings timings_;
  const std::unique_ptr<state::StateLocks> local_;
  std::mt19937 ids_;  // used by the Redis thread only
  std::mutex mutex_;
  std::map<std::string, KeyState> keys_;
  std::map<LockOwner, std::vector<Shared>> pending_;  // requests not yet answered, by owner
  std::condition_variable changed_;
  bool stopping_ = false;
  std::thread thread_;  // last: it starts once everything it uses exists
};

}  // namespace

std::string redis_lock_key(std::string_view key) { return std::string(key) + "_lock"; }

std::unique_ptr<state::StateLocks> make_redis_state_locks(std::shared_ptr<const RedisClient> redis,
                                                          RedisLockTimings timings) {
  return std::make_unique<RedisLocks>(std::move(redis), timings);
}

}  // namespace faasmjs::gateway::faasm
