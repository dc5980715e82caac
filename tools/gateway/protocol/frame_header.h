// The 12-byte header in front of every message (docs/protocol.md, "Frames and messages"), little-endian:
// u8 type, u8 flags (bit 0 MORE), u16 reserved (0), u32 request id, u32 body length.
#pragma once

#include <cstdint>
#include <cstddef>
#include <vector>

#include "protocol/messages.h"

namespace faasmjs::gateway::protocol {

inline constexpr std::size_t kHeaderSize = 12;
// flags bit 0: this body continues in a CONTINUE message with the same id.
inline constexpr std::uint8_t kMore = 0x01;

struct Limits {
  std::size_t max_frame = 4u << 20;
  std::size_t chunk_size = 1u << 20;
  std::size_t max_body = 256u << 20;
};

void append_header(std::vector<std::uint8_t>& out, Type type, std::uint8_t flags, std::uint32_t id,
                   std::uint32_t length);

}  // namespace faasmjs::gateway::protocol
