#include "protocol/message_codec.h"

namespace faasmjs::gateway::protocol {

namespace {

template <typename Variant, std::size_t I = 0>
Expected<Variant> decode_as(const Message& message, const char* direction) {
  if constexpr (I == std::variant_size_v<Variant>) {
    return fail(ErrorCode::UnknownType, "message type " + type_name(message.type) + " is not a " + direction + " message");
  } else {
    using M = std::variant_alternative_t<I, Variant>;
    if (message.type != M::kType) return decode_as<Variant, I + 1>(message, direction);
    auto decoded = decode_body<M>(message.body);
    if (!decoded) {
      return fail(ErrorCode::BadFrame, "the body of " + type_name(message.type) + " (request " +
                                           std::to_string(message.id) + ", " + std::to_string(message.body.size()) +
                                           " bytes) does not decode");
    }
    return Variant(std::move(*decoded));
  }
}

}  // namespace

std::string type_name(Type type) {
  switch (type) {
    case Type::Hello: return "HELLO";
    case Type::Invoke: return "INVOKE";
    case Type::Await: return "AWAIT";
    case Type::Cancel: return "CANCEL";
    case Type::StateSize: return "STATE_SIZE";
    case Type::StatePull: return "STATE_PULL";
    case Type::StatePush: return "STATE_PUSH";
    case Type::StateSet: return "STATE_SET";
    case Type::StateAppend: return "STATE_APPEND";
    case Type::StateReadAppended: return "STATE_READ_APPENDED";
    case Type::StateClearAppended: return "STATE_CLEAR_APPENDED";
    case Type::StateLock: return "STATE_LOCK";
    case Type::StateUnlock: return "STATE_UNLOCK";
    case Type::StateKeys: return "STATE_KEYS";
    case Type::Upload: return "UPLOAD";
    case Type::Ping: return "PING";
    case Type::Continue: return "CONTINUE";
    case Type::Welcome: return "WELCOME";
    case Type::Result: return "RESULT";
    case Type::Ack: return "ACK";
    case Type::StateSizeIs: return "STATE_SIZE_IS";
    case Type::StateValue: return "STATE_VALUE";
    case Type::StateAppended: return "STATE_APPENDED";
    case Type::StateKeyList: return "STATE_KEY_LIST";
    case Type::Uploaded: return "UPLOADED";
    case Type::Pong: return "PONG";
    case Type::Error: return "ERROR";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  const auto value = static_cast<unsigned>(type);
  return std::string("0x") + kHex[value >> 4] + kHex[value & 15];
}

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      code = lead & 0x07;
    } else {
      return false;
    }
    if (text.size() - i <= extra) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kSmallest[] = {0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

std::string_view clip_str(std::string_view text) {
  if (text.size() <= 0xFFFF) return text;
  std::size_t end = 0xFFFF;
  // Back up over continuation bytes to the start of the sequence that would be cut.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

Expected<ClientMessage> decode_client(const Message& message) { return decode_as<ClientMessage>(message, "client"); }

Expected<ServerMessage> decode_server(const Message& message) { return decode_as<ServerMessage>(message, "server"); }

}  // namespace faasmjs::gateway::protocol
