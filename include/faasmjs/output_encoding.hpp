// The output encoding of typed values: how a value that is not text or bytes is written as a call's output,
// and read back from a chained call's output.
//
// Section map
//   1. encode_utf8_safe, decode_utf8_safe    any bytes as valid UTF-8, and strictly back
//   2. encode_output<T>, decode_output<T>    a value as an output (text and bytes raw, others UTF-8-safe)
//
// Why: Faasm's Message.outputData is a proto3 string. A function on Faasm that writes output which is not
// valid UTF-8 makes its worker fail to serialise the result and Faasm's planner abort on it, after which
// the cluster refuses every call. Cereal's portable binary is rarely valid UTF-8, so a typed output is
// re-encoded, always and on every host: a binary cannot tell where it runs, and one encoding everywhere
// keeps a typed output's bytes the same whichever host produced or awaits it.
//
// The encoding: each byte becomes the code point of the same value (ISO-8859-1 read as Unicode, written as
// UTF-8). A byte below 0x80 stays as it is; a byte b >= 0x80 becomes 0xC0 | b >> 6, 0x80 | (b & 0x3F). The
// result is valid UTF-8 by construction and costs one extra byte per byte >= 0x80 (cereal's small
// little-endian integers and its length prefixes are mostly below it; base64 would cost a third of every
// value). Decoding accepts exactly what the encoder writes, anything else is Errc::decode_failed.
//
// Inputs are not re-encoded: Faasm's inputData is bytes, so a typed input stays plain cereal.
#ifndef FAASMJS_OUTPUT_ENCODING_HPP
#define FAASMJS_OUTPUT_ENCODING_HPP

#include <cstddef>
#include <cstdint>
#include <string>

#include "faasmjs/bytes.hpp"
#include "faasmjs/codec.hpp"
#include "faasmjs/error.hpp"

namespace faasmjs {

namespace detail {

inline std::string hex_byte(std::uint8_t byte) {
  constexpr char digits[] = "0123456789abcdef";
  return {'0', 'x', digits[byte >> 4], digits[byte & 0x0F]};
}

inline Error utf8_safe_error(std::uint8_t byte, std::size_t offset, const std::string& why) {
  return Error(Errc::decode_failed,
               "not a UTF-8-safe output: byte " + hex_byte(byte) + " at offset " + std::to_string(offset) + " " + why);
}

}  // namespace detail

// 1.
inline Bytes encode_utf8_safe(ByteView raw) {
  std::size_t high = 0;
  for (const std::uint8_t byte : raw) {
    high += byte >> 7;
  }
  Bytes encoded;
  encoded.reserve(raw.size() + high);
  for (const std::uint8_t byte : raw) {
    if (byte < 0x80) {
      encoded.push_back(byte);
    } else {
      encoded.push_back(static_cast<std::uint8_t>(0xC0 | byte >> 6));
      encoded.push_back(static_cast<std::uint8_t>(0x80 | (byte & 0x3F)));
    }
  }
  return encoded;
}

// Offsets in errors count bytes of the encoded input.
inline Result<Bytes> decode_utf8_safe(ByteView encoded) {
  Bytes raw;
  raw.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); i++) {
    const std::uint8_t lead = encoded[i];
    if (lead < 0x80) {
      raw.push_back(lead);
      continue;
    }
    if (lead != 0xC2 && lead != 0xC3) {
      return detail::utf8_safe_error(lead, i, "is not ASCII, 0xc2 or 0xc3");
    }
    if (i + 1 == encoded.size()) {
      return detail::utf8_safe_error(lead, i, "is a lead byte at the end (truncated)");
    }
    const std::uint8_t next = encoded[i + 1];
    if ((next & 0xC0) != 0x80) {
      return detail::utf8_safe_error(next, i + 1,
                                     "is not a continuation byte (0x80-0xbf) after " + detail::hex_byte(lead));
    }
    raw.push_back(static_cast<std::uint8_t>((lead & 0x03) << 6 | (next & 0x3F)));
    i++;
  }
  return raw;
}

// 2. Text and bytes stay raw (a browser, Faasm's CLI or a C function sees exactly what was written); on Faasm
//    they must therefore be valid UTF-8 themselves.
template <class T>
Bytes encode_output(const T& value) {
  if constexpr (travels_raw<T>) {
    return encode(value);
  } else {
    return encode_utf8_safe(encode(value));
  }
}

template <class T>
Result<T> decode_output(ByteView bytes) {
  if constexpr (travels_raw<T>) {
    return decode<T>(bytes);
  } else {
    FAASMJS_TRY_ASSIGN(const Bytes raw, decode_utf8_safe(bytes));
    return decode<T>(raw);
  }
}

}  // namespace faasmjs

#endif  // FAASMJS_OUTPUT_ENCODING_HPP
