// Codecs: how a typed value becomes the bytes of an input, an output or a state value, and back.
//
// Section map
//   1. Codec<T>              the customisation point: encode(const T&) -> Bytes, decode(ByteView) -> Result<T>
//   2. Raw codecs            std::string and Bytes travel as they are
//   3. travels_raw, encode, decode    what the rest of the SDK calls
//
// The rule, everywhere in the SDK: text and bytes travel raw (so a browser, Faasm's CLI or a C API function
// sees exactly the characters), every other type is cereal portable binary (faasmjs/serialization.hpp).
// Specialise Codec<T> for a type that needs another encoding; decoding must report malformed bytes as
// Errc::decode_failed, never trap.
#ifndef FAASMJS_CODEC_HPP
#define FAASMJS_CODEC_HPP

#include "faasmjs/bytes.hpp"
#include "faasmjs/config.hpp"
#include "faasmjs/error.hpp"

#if FAASMJS_WITH_CEREAL
#include "faasmjs/serialization.hpp"
#endif

#include <string>
#include <string_view>
#include <type_traits>

namespace faasmjs {

namespace detail {
template <class>
inline constexpr bool dependent_false = false;
}

// 1.
template <class T>
struct Codec {
#if FAASMJS_WITH_CEREAL
  static Bytes encode(const T& value) { return serialize(value); }
  static Result<T> decode(ByteView bytes) { return deserialize<T>(bytes); }
#else
  static_assert(detail::dependent_false<T>,
                "no Codec for this type: install cereal (FAASMJS_WITH_CEREAL) or specialise faasmjs::Codec<T>");
#endif
};

// 2.
template <>
struct Codec<std::string> {
  static Bytes encode(const std::string& value) { return {value.begin(), value.end()}; }
  static Result<std::string> decode(ByteView bytes) { return std::string(as_chars(bytes)); }
};

template <>
struct Codec<Bytes> {
  static Bytes encode(const Bytes& value) { return value; }
  static Result<Bytes> decode(ByteView bytes) { return Bytes(bytes.begin(), bytes.end()); }
};

// 3. Anything that converts to a string_view (string literals, const char*) or to a ByteView (spans,
//    arrays of bytes) is raw as well, so encode("hi") == encode(std::string("hi")).
template <class T>
inline constexpr bool travels_raw =
    std::is_convertible_v<const T&, std::string_view> || std::is_convertible_v<const T&, ByteView>;

template <class T>
Bytes encode(const T& value) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    const ByteView bytes = as_bytes(std::string_view(value));
    return {bytes.begin(), bytes.end()};
  } else if constexpr (std::is_convertible_v<const T&, ByteView>) {
    const ByteView bytes(value);
    return {bytes.begin(), bytes.end()};
  } else {
    return Codec<T>::encode(value);
  }
}

template <class T>
Result<T> decode(ByteView bytes) {
  return Codec<T>::decode(bytes);
}

}  // namespace faasmjs

#endif  // FAASMJS_CODEC_HPP
