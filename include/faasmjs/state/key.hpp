// A state key and the operations that need no type: size, existence, pushes and locks.
//
// Section map
//   1. Key                   name, size(), exists()
//   2. Pushes                push(), push_partial(), push_partial_mask()
//   3. Locks                 lock_read(), lock_write()
//
// Faasm's state model, which every faasm.js host follows: a key has a value in the global tier (shared by
// every host) and a copy in each host's local tier (here: this instance's host; in a browser, the page).
// Writes go to the local copy and are marked dirty; push sends the dirty copy to the global tier (and does
// nothing when nothing is dirty); pull fetches the global value; the first read of a key on a host pulls it.
// A key's size is fixed on a host once created there. Keys are namespaced by the calling user.
//
// Blocking (in a browser these suspend the function): size() and exists() when the key is not yet local,
// every push and the locks.
#ifndef FAASMJS_STATE_KEY_HPP
#define FAASMJS_STATE_KEY_HPP

#include <cstddef>
#include <string>
#include <string_view>

#include "faasmjs/detail/abi_args.hpp"
#include "faasmjs/detail/host_abi.h"
#include "faasmjs/error.hpp"
#include "faasmjs/state/lock.hpp"

namespace faasmjs::state {

class Key {
 public:
  // An invalid name (empty, or with a NUL inside) is reported by every operation as Errc::invalid_argument.
  explicit Key(std::string_view name) : name_(name) {}

  const std::string& name() const noexcept { return name_; }

  // 1. The value's size in bytes: the local copy's if there is one, else the global value's; 0 when the
  //    key does not exist anywhere (Faasm's answer for a missing key).
  Result<std::size_t> size() const {
    FAASMJS_TRY(valid());
    const long size = __faasm_read_state(c_str(), nullptr, 0);
    return size > 0 ? static_cast<std::size_t>(size) : std::size_t{0};
  }

  Result<bool> exists() const {
    FAASMJS_TRY_ASSIGN(const std::size_t bytes, size());
    return bytes > 0;
  }

  // 2. The key must have a value on this host (Faasm fails the call otherwise).
  Status push() const {
    FAASMJS_TRY(valid());
    __faasm_push_state(c_str());
    return {};
  }

  // Sends only the byte ranges marked dirty (offset writes, flag_dirty), then refreshes the local copy.
  Status push_partial() const {
    FAASMJS_TRY(valid());
    __faasm_push_state_partial(c_str());
    return {};
  }

  // As push_partial, with the dirty ranges taken from `mask`: a key of the same size whose non-zero bytes
  // mark what to send (Faasm clears the mask's local copy afterwards).
  Status push_partial_mask(const Key& mask) const {
    FAASMJS_TRY(valid());
    FAASMJS_TRY(mask.valid());
    __faasm_push_state_partial_mask(c_str(), mask.c_str());
    return {};
  }

  // 3.
  Result<ReadLock> lock_read() const { return ReadLock::acquire(name_); }
  Result<WriteLock> lock_write() const { return WriteLock::acquire(name_); }

 protected:
  Status valid() const { return detail::check_key(name_); }
  const char* c_str() const noexcept { return name_.c_str(); }

 private:
  std::string name_;
};

}  // namespace faasmjs::state

#endif  // FAASMJS_STATE_KEY_HPP
