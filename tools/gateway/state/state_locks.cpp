#include "state/state_locks.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace faasmjs::gateway::state {

namespace {

using Clock = std::chrono::steady_clock;

struct Hold {
  LockOwner owner;
  bool exclusive;
};

struct Waiter {
  LockOwner owner;
  bool exclusive;
  LockDone done;
  Clock::time_point deadline;
  std::string deadline_error;
};

struct KeyLock {
  std::vector<Hold> holds;
  std::deque<Waiter> waiting;

  bool can_grant(bool exclusive) const {
    if (exclusive) return holds.empty();
    return holds.empty() || !holds.front().exclusive;
  }
  const Hold* held_by(LockOwner owner) const {
    auto hold = std::find_if(holds.begin(), holds.end(), [&](const Hold& h) { return h.owner == owner; });
    return hold == holds.end() ? nullptr : &*hold;
  }
};

// Callbacks to run once the mutex is released.
using Calls = std::vector<std::function<void()>>;

void run(Calls& calls) {
  for (auto& call : calls) call();
}

std::string mode(bool exclusive) { return exclusive ? "write" : "read"; }

class FifoLocks final : public StateLocks {
 public:
  explicit FifoLocks(std::chrono::milliseconds wait_timeout)
      : wait_timeout_(wait_timeout), timer_([this] { expire_loop(); }) {}

  ~FifoLocks() override {
    {
      std::lock_guard guard(mutex_);
      stopping_ = true;
    }
    timer_changed_.notify_all();
    timer_.join();
  }

  void lock(std::string_view key_view, bool exclusive, LockOwner owner, LockDone done,
            std::optional<Clock::time_point> deadline, std::string deadline_error) override {
    const std::string key(key_view);
    std::unique_lock guard(mutex_);
    KeyLock& lock = locks_[key];
    auto refuse = [&](std::string why) {
      if (lock.holds.empty() && lock.waiting.empty()) locks_.erase(key);
      guard.unlock();
      done(fail(ErrorCode::BadState, std::move(why)));
    };
    if (const Hold* held = lock.held_by(owner)) {
      if (!exclusive && !held->exclusive) {
        lock.holds.push_back({owner, false});
        guard.unlock();
        done({});
        return;
      }
      return refuse("'" + key + "' is already locked for " + mode(held->exclusive) + " by this caller: a " +
                    mode(exclusive) + " lock on it would wait for itself (locks are not reentrant)");
    }
    if (waits_on_.contains({owner, key})) {
      return refuse("this caller already waits for a lock on '" + key + "'");
    }
    // Arrival order: nobody overtakes a waiter, so a writer behind readers is not starved.
    if (lock.waiting.empty() && lock.can_grant(exclusive)) {
      lock.holds.push_back({owner, exclusive});
      guard.unlock();
      done({});
      return;
    }
    if (auto cycle = cycle_through(owner, blockers(lock, lock.waiting.size()))) {
      return refuse("deadlock: a " + mode(exclusive) + " lock on '" + key +
                    "' would wait for a caller that waits for '" + *cycle +
                    "', and so on back to this caller; refused");
    }
    const auto timeout_at = Clock::now() + wait_timeout_;
    Waiter waiter{owner, exclusive, std::move(done), timeout_at, {}};
    if (deadline && *deadline < timeout_at) {
      waiter.deadline = *deadline;
      waiter.deadline_error = std::move(deadline_error);
    }
    const bool earliest = deadlines_.empty() || waiter.deadline < deadlines_.begin()->first;
    deadlines_.insert({waiter.deadline, {owner, key}});
    waits_on_.insert({owner, key});
    lock.waiting.push_back(std::move(waiter));
    guard.unlock();
    if (earliest) timer_changed_.notify_all();
  }

  bool unlock(std::string_view key, bool exclusive, LockOwner owner) override {
    Calls calls;
    {
      std::lock_guard guard(mutex_);
      auto found = locks_.find(std::string(key));
      if (found == locks_.end()) return false;
      auto& holds = found->second.holds;
      auto hold = std::find_if(holds.begin(), holds.end(),
                               [&](const Hold& h) { return h.owner == owner && h.exclusive == exclusive; });
      if (hold == holds.end()) return false;
      holds.erase(hold);
      admit(found, calls);
    }
    run(calls);
    return true;
  }

  std::size_t release_all(LockOwner owner) override {
    Calls calls;
    std::size_t released = 0;
    {
      std::lock_guard guard(mutex_);
      for (auto it = locks_.begin(); it != locks_.end();) {
        auto& lock = it->second;
        released += std::erase_if(lock.holds, [&](const Hold& h) { return h.owner == owner; });
        std::erase_if(lock.waiting, [&](const Waiter& w) {
          if (w.owner != owner) return false;
          forget_wait(w, it->first);
          return true;
        });
        it = admit(it, calls);
      }
    }
    run(calls);
    return released;
  }

 private:
  using Map = std::map<std::string, KeyLock>;
  using Wait = std::pair<LockOwner, std::string>;

  // The owners the request at `position` in the key's queue waits for: the holders, and the requests ahead
  // of it (in arrival order it goes after them).
  static std::set<LockOwner> blockers(const KeyLock& lock, std::size_t position) {
    std::set<LockOwner> owners;
    for (const auto& hold : lock.holds) owners.insert(hold.owner);
    for (std::size_t i = 0; i < position; ++i) owners.insert(lock.waiting[i].owner);
    return owners;
  }

  // When `owner` would wait for the owners `from`: if a chain of waits leads from one of them back to
  // `owner` (the wait would close a cycle), the key of the first wait on it; else nothing.
  std::optional<std::string> cycle_through(LockOwner owner, const std::set<LockOwner>& from) const {
    std::set<LockOwner> seen;
    std::vector<std::pair<LockOwner, std::string>> stack;  // an owner, and the first wait on the way to it
    for (LockOwner first : from) stack.push_back({first, ""});
    while (!stack.empty()) {
      auto [current, via] = stack.back();
      stack.pop_back();
      if (current == owner) return via;
      if (!seen.insert(current).second) continue;
      for (auto wait = waits_on_.lower_bound({current, ""}); wait != waits_on_.end() && wait->first == current;
           ++wait) {
        const KeyLock& lock = locks_.at(wait->second);
        const auto position = std::find_if(lock.waiting.begin(), lock.waiting.end(),
                                           [&](const Waiter& w) { return w.owner == current; }) -
                              lock.waiting.begin();
        for (LockOwner next : blockers(lock, static_cast<std::size_t>(position))) {
          stack.push_back({next, via.empty() ? wait->second : via});
        }
      }
    }
    return std::nullopt;
  }

  void forget_wait(const Waiter& waiter, const std::string& key) {
    waits_on_.erase({waiter.owner, key});
    for (auto [at, end] = deadlines_.equal_range(waiter.deadline); at != end; ++at) {
      if (at->second == Wait{waiter.owner, key}) {
        deadlines_.erase(at);
        break;
      }
    }
  }

  // Grants waiters from the front while they fit, and forgets the key once nobody holds or wants it.
  Map::iterator admit(Map::iterator it, Calls& calls) {
    KeyLock& lock = it->second;
    while (!lock.waiting.empty() && lock.can_grant(lock.waiting.front().exclusive)) {
      Waiter waiter = std::move(lock.waiting.front());
      lock.waiting.pop_front();
      forget_wait(waiter, it->first);
      lock.holds.push_back({waiter.owner, waiter.exclusive});
      calls.push_back([done = std::move(waiter.done)] { done({}); });
    }
    return lock.holds.empty() && lock.waiting.empty() ? locks_.erase(it) : std::next(it);
  }

  // The timer thread: refuses each wait at its deadline, which may let the requests behind it in.
  void expire_loop() {
    std::unique_lock guard(mutex_);
    while (!stopping_) {
      if (deadlines_.empty()) {
        timer_changed_.wait(guard);
        continue;
      }
      const auto next = deadlines_.begin()->first;
      if (Clock::now() < next) {
        timer_changed_.wait_until(guard, next);
        continue;
      }
      const auto [owner, key] = deadlines_.begin()->second;
      auto it = locks_.find(key);
      auto& waiting = it->second.waiting;
      auto waiter = std::find_if(waiting.begin(), waiting.end(), [&](const Waiter& w) { return w.owner == owner; });
      Waiter expired = std::move(*waiter);
      waiting.erase(waiter);
      forget_wait(expired, key);
      std::string why = !expired.deadline_error.empty()
                            ? std::move(expired.deadline_error)
                            : "a " + mode(expired.exclusive) + " lock on '" + key + "' was not granted within " +
                                  std::to_string(wait_timeout_.count()) + " ms (the lock wait timeout)";
      Calls calls{[done = std::move(expired.done), why = std::move(why)] { done(fail(ErrorCode::BadState, why)); }};
      admit(it, calls);
      guard.unlock();
      run(calls);
      guard.lock();
    }
  }

  const std::chrono::milliseconds wait_timeout_;
  std::mutex mutex_;
  Map locks_;
  std::set<Wait> waits_on_;                           // (owner, key) of every waiting request
  std::multimap<Clock::time_point, Wait> deadlines_;  // when each waiting request is refused
  std::condition_variable timer_changed_;
  bool stopping_ = false;
  std::thread timer_;  // last: it starts once everything it uses exists
};

}  // namespace

std::unique_ptr<StateLocks> StateLocks::create(std::chrono::milliseconds wait_timeout) {
  return std::make_unique<FifoLocks>(wait_timeout);
}

}  // namespace faasmjs::gateway::state
