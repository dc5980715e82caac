// Checks shared by every wrapper before it calls the raw ABI: what the host cannot be asked.
//
// Section map
//   1. abi_length      a size_t length as the ABI's `long`, refused when it does not fit
//   2. check_key       a state key as Faasm accepts it (non-empty, no NUL inside)
//   3. check_range     offset + length within a total, without overflow
//
// Why: on wasm32 `long` is 32-bit while buffers are sized with size_t, and Faasm answers a bad key or an
// out-of-range chunk with a host exception, which ends the whole call. The SDK refuses such calls with an
// Error instead, so the function decides what happens.
#ifndef FAASMJS_DETAIL_ABI_ARGS_HPP
#define FAASMJS_DETAIL_ABI_ARGS_HPP

#include <climits>
#include <cstddef>
#include <string>
#include <string_view>

#include "faasmjs/error.hpp"

namespace faasmjs::detail {

inline std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out += text;
  out += '\'';
  return out;
}

// 1.
inline Result<long> abi_length(std::size_t length, std::string_view what) {
  if (length > static_cast<std::size_t>(LONG_MAX)) {
    return Error(Errc::invalid_argument,
                 std::string(what) + " of " + std::to_string(length) + " bytes is too large for the host ABI");
  }
  return static_cast<long>(length);
}

// 2.
inline Status check_key(std::string_view key) {
  if (key.empty()) {
    return Error(Errc::invalid_argument, "state key is empty");
  }
  if (key.find('\0') != std::string_view::npos) {
    return Error(Errc::invalid_argument, "state key " + quoted(key) + " contains a NUL byte");
  }
  return {};
}

// 3.
inline Status check_range(std::string_view key, std::size_t total, std::size_t offset, std::size_t length) {
  if (offset > total || length > total - offset) {
    return Error(Errc::out_of_range, "range [" + std::to_string(offset) + ", " + std::to_string(offset) + "+" +
                                         std::to_string(length) + ") is outside the " + std::to_string(total) +
                                         " bytes of state key " + quoted(key));
  }
  return {};
}

}  // namespace faasmjs::detail

#endif  // FAASMJS_DETAIL_ABI_ARGS_HPP
