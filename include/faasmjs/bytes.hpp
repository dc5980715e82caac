// Byte buffers: the vocabulary types every input, output and state value passes through.
//
// Section map
//   1. Bytes, ByteView       an owned buffer and a borrowed one
//   2. as_bytes, as_chars    reinterpret text as bytes and back, without copying
//
// Ownership: a ByteView borrows; keep what it points at alive while the view is used.
#ifndef FAASMJS_BYTES_HPP
#define FAASMJS_BYTES_HPP

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace faasmjs {

// 1.
using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// 2. Faasm's ABI mixes `char*` (output, names) and `unsigned char*` (input, state); both are the same bytes.
inline ByteView as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

inline std::string_view as_chars(ByteView bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace faasmjs

#endif  // FAASMJS_BYTES_HPP
