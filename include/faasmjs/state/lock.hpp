// RAII locks on a state key: shared (readers) or exclusive (a writer).
//
// Section map
//   1. Lock<Mode>, ReadLock, WriteLock
//
// Semantics are Faasm's: the locks guard the key's value on this host only (Faasm offers functions no
// cluster-wide lock), and taking one blocks while a conflicting lock is held (in a browser it suspends the
// function). On Faasm lock a key only once its value exists on this host (after a read or write): Faasm
// creates a size-less entry for a lock on an unknown key, which later sized calls then trip over.
//
// Ownership: a lock is released by its destructor or by unlock(), whichever comes first; moving transfers it.
#ifndef FAASMJS_STATE_LOCK_HPP
#define FAASMJS_STATE_LOCK_HPP

#include <string>
#include <string_view>
#include <utility>

#include "faasmjs/detail/abi_args.hpp"
#include "faasmjs/detail/host_abi.h"
#include "faasmjs/error.hpp"

namespace faasmjs::state {

enum class LockMode { shared, exclusive };

template <LockMode Mode>
class [[nodiscard]] Lock {
 public:
  // Blocks until the lock is held; fails only for an invalid key.
  static Result<Lock> acquire(std::string_view key) {
    FAASMJS_TRY(detail::check_key(key));
    Lock lock{std::string(key)};
    if constexpr (Mode == LockMode::shared) {
      __faasm_lock_state_read(lock.key_.c_str());
    } else {
      __faasm_lock_state_write(lock.key_.c_str());
    }
    lock.held_ = true;
    return lock;
  }

  Lock(Lock&& other) noexcept : key_(std::move(other.key_)), held_(std::exchange(other.held_, false)) {}
  Lock& operator=(Lock&& other) noexcept {
    if (this != &other) {
      unlock();
      key_ = std::move(other.key_);
      held_ = std::exchange(other.held_, false);
    }
    return *this;
  }
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;
  ~Lock() { unlock(); }

  void unlock() noexcept {
    if (!held_) {
      return;
    }
    held_ = false;
    if constexpr (Mode == LockMode::shared) {
      __faasm_unlock_state_read(key_.c_str());
    } else {
      __faasm_unlock_state_write(key_.c_str());
    }
  }

  bool held() const noexcept { return held_; }
  const std::string& key() const noexcept { return key_; }

 private:
  explicit Lock(std::string key) : key_(std::move(key)) {}

  std::string key_;
  bool held_ = false;
};

using ReadLock = Lock<LockMode::shared>;
using WriteLock = Lock<LockMode::exclusive>;

}  // namespace faasmjs::state

#endif  // FAASMJS_STATE_LOCK_HPP
