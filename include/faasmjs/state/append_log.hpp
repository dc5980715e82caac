// An append-only log of trivially copyable T, kept in the global tier.
//
// Section map
//   1. AppendLog<T>          append(), read(n), clear()
//
// Semantics are Faasm's: each append adds one element to the key's list in the global tier (nothing is
// cached locally); read(n) returns the first n elements in append order; clear() empties the list. The
// host reports no element count, so read(n) cannot tell a short log: elements past the log's end read as
// zero-initialised T. Use a Value<std::uint64_t> counter alongside when the count is not known.
//
// Blocking (in a browser these suspend the function): every call.
#ifndef FAASMJS_STATE_APPEND_LOG_HPP
#define FAASMJS_STATE_APPEND_LOG_HPP

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "faasmjs/detail/abi_args.hpp"
#include "faasmjs/detail/host_abi.h"
#include "faasmjs/error.hpp"

namespace faasmjs::state {

template <class T>
class AppendLog {
  static_assert(std::is_trivially_copyable_v<T>, "state::AppendLog<T> stores T's bytes: T must be trivially copyable");

 public:
  explicit AppendLog(std::string_view name) : name_(name) {}

  const std::string& name() const noexcept { return name_; }

  Status append(const T& element) const { return append(std::span<const T>(&element, 1)); }

  // One log element per value, so that read(n) counts them.
  Status append(std::span<const T> elements) const {
    FAASMJS_TRY(::faasmjs::detail::check_key(name_));
    for (const T& element : elements) {
      __faasm_append_state(name_.c_str(), reinterpret_cast<const unsigned char*>(&element),
                           static_cast<long>(sizeof(T)));
    }
    return {};
  }

  Result<std::vector<T>> read(std::size_t n) const {
    FAASMJS_TRY(::faasmjs::detail::check_key(name_));
    std::vector<T> elements(n);
    if (n == 0) {
      return elements;
    }
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) {
      return Error(Errc::invalid_argument, "append log " + ::faasmjs::detail::quoted(name_) + ": " + std::to_string(n) +
                                               " elements is too many");
    }
    FAASMJS_TRY_ASSIGN(const long bytes, ::faasmjs::detail::abi_length(n * sizeof(T), "append log read"));
    FAASMJS_TRY_ASSIGN(const long count, ::faasmjs::detail::abi_length(n, "append log read"));
    __faasm_read_appended_state(name_.c_str(), reinterpret_cast<unsigned char*>(elements.data()), bytes, count);
    return elements;
  }

  Status clear() const {
    FAASMJS_TRY(::faasmjs::detail::check_key(name_));
    __faasm_clear_appended_state(name_.c_str());
    return {};
  }

 private:
  std::string name_;
};

}  // namespace faasmjs::state

#endif  // FAASMJS_STATE_APPEND_LOG_HPP
