// A whole state value of type T, encoded through its Codec (text and bytes raw, other types cereal).
//
// Section map
//   1. Value<T>              get(), get_or(), set(), pull(), plus Key's size, pushes and locks
//
// Sizes: a key's size is fixed on a host once created (Faasm's rule), so set() refuses a value whose
// encoding has a different size from the stored one (Errc::size_mismatch) rather than let the host cut or
// overrun it. For values whose size varies, use a fresh key per version or an AppendLog.
//
// Blocking (in a browser these suspend the function): get() and get_or() when the key is not yet local,
// pull(), and set()'s size check when the key is not yet local. set() itself only writes the local copy:
// push() publishes it.
#ifndef FAASMJS_STATE_VALUE_HPP
#define FAASMJS_STATE_VALUE_HPP

#include <cstddef>
#include <string>
#include <utility>

#include "faasmjs/bytes.hpp"
#include "faasmjs/codec.hpp"
#include "faasmjs/detail/abi_args.hpp"
#include "faasmjs/detail/host_abi.h"
#include "faasmjs/error.hpp"
#include "faasmjs/state/key.hpp"

namespace faasmjs::state {

template <class T>
class Value : public Key {
 public:
  using Key::Key;

  // Errc::not_found when the key does not exist (Faasm gives it size 0), Errc::decode_failed when the
  // stored bytes are not a T.
  Result<T> get() const {
    FAASMJS_TRY_ASSIGN(Bytes bytes, read_bytes());
    Result<T> value = decode<T>(bytes);
    if (!value) {
      return Error(Errc::decode_failed,
                   "state key " + ::faasmjs::detail::quoted(name()) + ": " + value.error().message());
    }
    return value;
  }

  // As get(), with `fallback` for a missing key (a stored value that fails to decode is still an error).
  Result<T> get_or(T fallback) const {
    Result<T> value = get();
    if (!value && value.error().code() == Errc::not_found) {
      return fallback;
    }
    return value;
  }

  // Writes the local copy and marks it dirty; push() publishes it.
  Status set(const T& value) const {
    const Bytes bytes = encode(value);
    if (bytes.empty()) {
      return Error(Errc::invalid_argument, "state key " + ::faasmjs::detail::quoted(name()) +
                                               ": cannot store an empty value (Faasm sizes keys by value)");
    }
    FAASMJS_TRY_ASSIGN(const long length, ::faasmjs::detail::abi_length(bytes.size(), "state value"));
    FAASMJS_TRY_ASSIGN(const std::size_t stored, size());
    if (stored != 0 && stored != bytes.size()) {
      return Error(Errc::size_mismatch, "state key " + ::faasmjs::detail::quoted(name()) + " holds " +
                                            std::to_string(stored) + " bytes; the new value has " +
                                            std::to_string(bytes.size()));
    }
    __faasm_write_state(c_str(), bytes.data(), length);
    return {};
  }

  // Replaces the local copy with the global value (discarding unpushed local writes).
  Status pull() const {
    FAASMJS_TRY_ASSIGN(const std::size_t stored, existing_size());
    FAASMJS_TRY_ASSIGN(const long length, ::faasmjs::detail::abi_length(stored, "state value"));
    __faasm_pull_state(c_str(), length);
    return {};
  }

 private:
  Result<std::size_t> existing_size() const {
    FAASMJS_TRY_ASSIGN(const std::size_t stored, size());
    if (stored == 0) {
      return Error(Errc::not_found, "state key " + ::faasmjs::detail::quoted(name()) + " does not exist");
    }
    return stored;
  }

  Result<Bytes> read_bytes() const {
    FAASMJS_TRY_ASSIGN(const std::size_t stored, existing_size());
    FAASMJS_TRY_ASSIGN(const long length, ::faasmjs::detail::abi_length(stored, "state value"));
    Bytes bytes(stored);
    const long read = __faasm_read_state(c_str(), bytes.data(), length);
    if (read != length) {
      return Error(Errc::size_mismatch, "state key " + ::faasmjs::detail::quoted(name()) + " changed size from " +
                                            std::to_string(stored) + " to " + std::to_string(read) +
                                            " bytes while being read");
    }
    return bytes;
  }
};

}  // namespace faasmjs::state

#endif  // FAASMJS_STATE_VALUE_HPP
