#include "state/state_locks.h"

#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

namespace faasmjs::gateway::state {

namespace {

struct Hold {
  LockOwner owner;
  bool exclusive;
};

struct Waiter {
  LockOwner owner;
  bool exclusive;
  std::function<void()> granted;
};

struct KeyLock {
  std::vector<Hold> holds;
  std::deque<Waiter> waiting;

  bool can_grant(bool exclusive) const {
    if (exclusive) return holds.empty();
    return holds.empty() || !holds.front().exclusive;
  }
};

class FifoLocks final : public StateLocks {
 public:
  void lock(std::string_view key, bool exclusive, LockOwner owner, std::function<void()> granted) override {
    std::unique_lock guard(mutex_);
    KeyLock& lock = locks_[std::string(key)];
    // Arrival order: nobody overtakes a waiter, so a writer behind readers is not starved.
    if (lock.waiting.empty() && lock.can_grant(exclusive)) {
      lock.holds.push_back({owner, exclusive});
      guard.unlock();
      granted();
      return;
    }
    lock.waiting.push_back({owner, exclusive, std::move(granted)});
  }

  bool unlock(std::string_view key, bool exclusive, LockOwner owner) override {
    std::vector<std::function<void()>> grants;
    {
      std::lock_guard guard(mutex_);
      auto found = locks_.find(std::string(key));
      if (found == locks_.end()) return false;
      auto& holds = found->second.holds;
      auto hold = std::find_if(holds.begin(), holds.end(),
                               [&](const Hold& h) { return h.owner == owner && h.exclusive == exclusive; });
      if (hold == holds.end()) return false;
      holds.erase(hold);
      grants = admit(found->second);
      if (found->second.holds.empty() && found->second.waiting.empty()) locks_.erase(found);
    }
    for (auto& grant : grants) grant();
    return true;
  }

  std::size_t release_all(LockOwner owner) override {
    std::vector<std::function<void()>> grants;
    std::size_t released = 0;
    {
      std::lock_guard guard(mutex_);
      for (auto it = locks_.begin(); it != locks_.end();) {
        auto& lock = it->second;
        released += std::erase_if(lock.holds, [&](const Hold& h) { return h.owner == owner; });
        std::erase_if(lock.waiting, [&](const Waiter& w) { return w.owner == owner; });
        auto admitted = admit(lock);
        for (auto& grant : admitted) grants.push_back(std::move(grant));
        it = lock.holds.empty() && lock.waiting.empty() ? locks_.erase(it) : std::next(it);
      }
    }
    for (auto& grant : grants) grant();
    return released;
  }

 private:
  using Map = std::map<std::string, KeyLock>;

  // Grants waiters from the front while they fit; the callbacks run after the mutex is released.
  static std::vector<std::function<void()>> admit(KeyLock& lock) {
    std::vector<std::function<void()>> grants;
    while (!lock.waiting.empty() && lock.can_grant(lock.waiting.front().exclusive)) {
      Waiter waiter = std::move(lock.waiting.front());
      lock.waiting.pop_front();
      lock.holds.push_back({waiter.owner, waiter.exclusive});
      grants.push_back(std::move(waiter.granted));
    }
    return grants;
  }

  std::mutex mutex_;
  Map locks_;
};

}  // namespace

std::unique_ptr<StateLocks> StateLocks::create() { return std::make_unique<FifoLocks>(); }

}  // namespace faasmjs::gateway::state
