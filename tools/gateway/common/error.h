// Errors as values across the gateway: every fallible operation returns Expected<T>, whose error carries a
// code (the wire protocol's ERROR codes, docs/protocol.md) and one line for a person.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <utility>

namespace faasmjs::gateway {

// Values are the wire protocol's ERROR codes; keep them in step with docs/protocol.md.
// The last one bounds what protocol/message_codec.h decodes (valid(ErrorCode)).
enum class ErrorCode : std::uint16_t {
  BadFrame = 1,
  FrameTooLarge = 2,
  BodyTooLarge = 3,
  BadVersion = 4,
  BadUser = 5,
  BadToken = 6,
  NotAuthenticated = 7,
  UnknownType = 8,
  UnknownFunction = 9,
  UnknownCall = 10,
  ReplyLost = 11,
  BadWasm = 12,
  BadState = 13,
  DuplicateId = 14,
  Internal = 15,
  Forbidden = 16,
  LimitExceeded = 17,
  VersionMismatch = 18,
};

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
using Expected = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message) {
  return std::unexpected(Error{code, std::move(message)});
}

}  // namespace faasmjs::gateway
