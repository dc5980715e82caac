#include "protocol/message_codec.h"

#include <algorithm>

namespace faasmjs::gateway::protocol {

namespace {

template <typename Variant, std::size_t I = 0>
Expected<Variant> decode_as(const Message& message, const char* direction) {
  if constexpr (I == std::variant_size_v<Variant>) {
    return fail(ErrorCode::UnknownType,
                "message type " + type_name(message.type) + " is not a " + direction + " message");
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
    case Type::Hello:
      return "HELLO";
    case Type::Invoke:
      return "INVOKE";
    case Type::Await:
      return "AWAIT";
    case Type::Cancel:
      return "CANCEL";
    case Type::StateSize:
      return "STATE_SIZE";
    case Type::StatePull:
      return "STATE_PULL";
    case Type::StatePush:
      return "STATE_PUSH";
    case Type::StateSet:
      return "STATE_SET";
    case Type::StateAppend:
      return "STATE_APPEND";
    case Type::StateReadAppended:
      return "STATE_READ_APPENDED";
    case Type::StateClearAppended:
      return "STATE_CLEAR_APPENDED";
    case Type::StateLock:
      return "STATE_LOCK";
    case Type::StateUnlock:
      return "STATE_UNLOCK";
    case Type::StateKeys:
      return "STATE_KEYS";
    case Type::Upload:
      return "UPLOAD";
    case Type::FileUpload:
      return "FILE_UPLOAD";
    case Type::FileGet:
      return "FILE_GET";
    case Type::Functions:
      return "FUNCTIONS";
    case Type::Ping:
      return "PING";
    case Type::Continue:
      return "CONTINUE";
    case Type::Welcome:
      return "WELCOME";
    case Type::Result:
      return "RESULT";
    case Type::Ack:
      return "ACK";
    case Type::StateSizeIs:
      return "STATE_SIZE_IS";
    case Type::StateValue:
      return "STATE_VALUE";
    case Type::StateAppended:
      return "STATE_APPENDED";
    case Type::StateKeyList:
      return "STATE_KEY_LIST";
    case Type::Uploaded:
      return "UPLOADED";
    case Type::FileData:
      return "FILE_DATA";
    case Type::FunctionList:
      return "FUNCTION_LIST";
    case Type::Pong:
      return "PONG";
    case Type::Error:
      return "ERROR";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  const auto value = static_cast<unsigned>(type);
  return std::string("0x") + kHex[value >> 4] + kHex[value & 15];
}

namespace {

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 when it does not start with one.
std::size_t sequence_length(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  std::size_t extra = 0;
  std::uint32_t code = 0;
  if (lead < 0x80) {
    return 1;
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
    return 0;
  }
  if (text.size() <= extra) return 0;
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto next = static_cast<unsigned char>(text[k]);
    if ((next & 0xC0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3F);
  }
  static constexpr std::uint32_t kSmallest[] = {0, 0x80, 0x800, 0x10000};
  if (code < kSmallest[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return extra + 1;
}

}  // namespace

bool valid_utf8(std::string_view text) {
  for (std::size_t i = 0, length = 0; i < text.size(); i += length) {
    length = sequence_length(text.substr(i));
    if (length == 0) return false;
  }
  return true;
}

std::string sanitize_str(std::string_view text) {
  static constexpr std::string_view kReplacement = "\xef\xbf\xbd";  // U+FFFD
  static constexpr std::size_t kMaxStr = 0xFFFF;
  std::string out;
  out.reserve(std::min(text.size(), kMaxStr));
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = sequence_length(text.substr(i));
    const std::string_view piece = length == 0 ? kReplacement : text.substr(i, length);
    if (out.size() + piece.size() > kMaxStr) break;
    out += piece;
    i += length == 0 ? 1 : length;
  }
  return out;
}

Expected<ClientMessage> decode_client(const Message& message) { return decode_as<ClientMessage>(message, "client"); }

Expected<ServerMessage> decode_server(const Message& message) { return decode_as<ServerMessage>(message, "server"); }

}  // namespace faasmjs::gateway::protocol
