// Bodies of the wire protocol's messages (messages.h) to bytes and back. Encoding cannot fail; decoding is
// strict: a body decodes only when every field is whole, every bool is 0 or 1, every enum is in its table,
// every str is UTF-8, and no byte is left over. Anything else is a BadFrame error naming the message.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/byte_io.h"
#include "common/error.h"
#include "protocol/messages.h"

namespace faasmjs::gateway::protocol {

// One whole message: its type, request id and joined body (what frame_reader.h yields and
// outgoing_queue.h takes).
struct Message {
  Type type;
  std::uint32_t id = 0;
  Bytes body;
};

// "STATE_PUSH", or "0x42" for a type that has no name.
std::string type_name(Type type);
bool valid_utf8(std::string_view text);
// `text` as a `str` can carry it: each ill-formed UTF-8 sequence replaced by U+FFFD (output and inputs
// reach error messages as raw bytes, and a client rejects a reply with a str that is not UTF-8), then cut
// to at most 65535 bytes on a character boundary. Every str the gateway encodes goes through this.
std::string sanitize_str(std::string_view text);

namespace detail {

template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

// The smallest encoding of one list element: a count that promises more elements than the bytes left
// could hold is refused before anything is allocated for them.
template <typename T>
constexpr std::size_t min_size();

template <typename Tuple, std::size_t... I>
constexpr std::size_t min_size_of_fields(std::index_sequence<I...>) {
  return (min_size<std::remove_cvref_t<std::tuple_element_t<I, Tuple>>>() + ... + 0);
}

template <typename T>
constexpr std::size_t min_size() {
  if constexpr (std::is_same_v<T, std::string>)
    return 2;
  else if constexpr (std::is_same_v<T, Bytes>)
    return 4;
  else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>)
    return sizeof(T);
  else {
    using Fields = decltype(T::fields(std::declval<T&>()));
    return min_size_of_fields<Fields>(std::make_index_sequence<std::tuple_size_v<Fields>>());
  }
}
inline bool valid(CallStatus status) {
  return static_cast<std::uint8_t>(status) <= static_cast<std::uint8_t>(CallStatus::Failed);
}
inline bool valid(ErrorCode code) {
  const auto value = static_cast<std::uint16_t>(code);
  return value >= static_cast<std::uint16_t>(ErrorCode::BadFrame) &&
         value <= static_cast<std::uint16_t>(ErrorCode::LimitExceeded);
}

template <typename T>
void write(ByteWriter& out, const T& value) {
  if constexpr (std::is_same_v<T, bool>)
    out.u8(value ? 1 : 0);
  else if constexpr (std::is_enum_v<T>)
    write(out, static_cast<std::underlying_type_t<T>>(value));
  else if constexpr (std::is_same_v<T, std::uint8_t>)
    out.u8(value);
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    out.u16(value);
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    out.u32(value);
  else if constexpr (std::is_same_v<T, std::int32_t>)
    out.i32(value);
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    out.u64(value);
  else if constexpr (std::is_same_v<T, std::string>)
    out.str(sanitize_str(value));
  else if constexpr (std::is_same_v<T, Bytes>)
    out.bytes(value);
  else if constexpr (is_vector<T>::value) {
    out.u32(static_cast<std::uint32_t>(value.size()));
    for (const auto& element : value) write(out, element);
  } else {
    std::apply([&](const auto&... field) { (write(out, field), ...); }, T::fields(value));
  }
}

// False at the first field that does not decode; `in` is then failed too.
template <typename T>
bool read(ByteReader& in, T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    const std::uint8_t byte = in.u8();
    value = byte != 0;
    return in.ok() && byte <= 1;
  } else if constexpr (std::is_enum_v<T>) {
    std::underlying_type_t<T> raw{};
    if (!read(in, raw)) return false;
    value = static_cast<T>(raw);
    return valid(value);
  } else if constexpr (std::is_same_v<T, std::uint8_t>)
    value = in.u8();
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    value = in.u16();
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    value = in.u32();
  else if constexpr (std::is_same_v<T, std::int32_t>)
    value = in.i32();
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    value = in.u64();
  else if constexpr (std::is_same_v<T, std::string>) {
    value = in.str();
    return in.ok() && valid_utf8(value);
  } else if constexpr (std::is_same_v<T, Bytes>)
    value = in.bytes_copy();
  else if constexpr (is_vector<T>::value) {
    const std::uint32_t count = in.u32();
    using Element = typename T::value_type;
    if (!in.ok() || count > in.remaining() / min_size<Element>()) return false;
    value.resize(count);
    for (auto& element : value) {
      if (!read(in, element)) return false;
    }
  } else {
    return std::apply([&](auto&... field) { return (read(in, field) && ...); }, T::fields(value));
  }
  return in.ok();
}

}  // namespace detail

template <typename M>
Bytes encode_body(const M& message) {
  Bytes body;
  ByteWriter out(body);
  detail::write(out, message);
  return body;
}

template <typename M>
Message encode(std::uint32_t id, const M& message) {
  return {M::kType, id, encode_body(message)};
}

// The body as an M, or nullopt when it is not exactly one.
template <typename M>
std::optional<M> decode_body(std::span<const std::uint8_t> body) {
  M message;
  ByteReader in(body);
  if (!detail::read(in, message) || !in.done()) return std::nullopt;
  return message;
}

// A request from a client: UnknownType for a type that is not a client → server message (CONTINUE never
// gets here: frame_reader.h joins it), BadFrame for a body that does not decode.
Expected<ClientMessage> decode_client(const Message& message);
// A reply from a server (for clients and tests), likewise.
Expected<ServerMessage> decode_server(const Message& message);

}  // namespace faasmjs::gateway::protocol
