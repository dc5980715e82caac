// Typed input and output of the running call.
//
// Section map
//   1. Input      input_size, read_input, input_bytes, input_string, input<T>, input_or<T>
//   2. Output     set_output (bytes, text, or any value through its Codec, UTF-8-safe)
//
// Semantics are Faasm's: the input is fixed for the whole call; the output is whatever was set last (each
// set_output replaces the previous one). None of these calls blocks, in a browser or anywhere else.
//
// Ownership: returned buffers are owned by the caller; set_output copies what it is given.
#ifndef FAASMJS_IO_HPP
#define FAASMJS_IO_HPP

#include <climits>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "faasmjs/bytes.hpp"
#include "faasmjs/codec.hpp"
#include "faasmjs/detail/host_abi.h"
#include "faasmjs/error.hpp"
#include "faasmjs/output_encoding.hpp"

namespace faasmjs {

// 1. The host answers a zero-length read with the input's size, so a real read never asks for 0 bytes.
inline std::size_t input_size() noexcept {
  unsigned char probe = 0;
  const long size = __faasm_read_input(&probe, 0);
  return size > 0 ? static_cast<std::size_t>(size) : 0;
}

// Copies the first buffer.size() bytes of the input (fewer if the input is shorter); returns how many.
inline std::size_t read_input(std::span<std::uint8_t> buffer) noexcept {
  if (buffer.empty()) {
    return 0;
  }
  const std::size_t limit = buffer.size() < static_cast<std::size_t>(LONG_MAX) ? buffer.size() : LONG_MAX;
  const long copied = __faasm_read_input(buffer.data(), static_cast<long>(limit));
  return copied > 0 ? static_cast<std::size_t>(copied) : 0;
}

inline Bytes input_bytes() {
  Bytes bytes(input_size());
  bytes.resize(read_input(bytes));
  return bytes;
}

inline std::string input_string() {
  const Bytes bytes = input_bytes();
  return std::string(as_chars(bytes));
}

// The input decoded as T (text and bytes raw, other types cereal portable binary); malformed input gives
// Errc::decode_failed.
template <class T>
Result<T> input() {
  return decode<T>(input_bytes());
}

// As input<T>(), but an empty input gives `fallback` (Faasm functions commonly run without input).
template <class T>
Result<T> input_or(T fallback) {
  if (input_size() == 0) {
    return fallback;
  }
  return input<T>();
}

// 2.
inline void set_output(ByteView bytes) noexcept {
  FAASMJS_ASSERT(bytes.size() <= static_cast<std::size_t>(LONG_MAX), "output too large for the host ABI");
  __faasm_write_output(reinterpret_cast<const char*>(bytes.data()), static_cast<long>(bytes.size()));
}

// Faasm's WAVM runtime ignores the length and reads a NUL-terminated string, so text goes through a
// NUL-terminated copy to read the same on every host.
inline void set_output(std::string_view text) {
  const std::string terminated(text);
  FAASMJS_ASSERT(terminated.size() <= static_cast<std::size_t>(LONG_MAX), "output too large for the host ABI");
  __faasm_write_output(terminated.c_str(), static_cast<long>(terminated.size()));
}

// A typed value is written UTF-8-safe (faasmjs/output_encoding.hpp), so that Faasm's planner can carry it.
template <class T>
requires(!travels_raw<T>) void set_output(const T& value) {
  const Bytes bytes = encode_output(value);
  set_output(ByteView(bytes));
}

}  // namespace faasmjs

#endif  // FAASMJS_IO_HPP
