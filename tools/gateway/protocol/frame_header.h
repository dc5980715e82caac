// The 12-byte header in front of every message (docs/protocol.md, "Frames and messages"), little-endian:
// u8 type, u8 flags (bit 0 MORE), u16 reserved (0), u32 request id, u32 body length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/messages.h"

namespace faasmjs::gateway::protocol {

inline constexpr std::size_t kHeaderSize = 12;
// flags bit 0: this body continues in a CONTINUE message with the same id.
inline constexpr std::uint8_t kMore = 0x01;

// Every per-connection limit of the wire protocol, with its default (docs/protocol.md, "Limits").
struct Limits {
  std::size_t max_frame = 4u << 20;
  std::size_t chunk_size = 1u << 20;
  std::size_t max_body = 256u << 20;
  // Chunked bodies in progress at once, and the bytes they hold together: without a total, unfinished
  // bodies under many ids would each hold up to max_body.
  std::size_t max_open_bodies = 64;
  std::size_t max_open_bytes = 256u << 20;
  // Reply bytes waiting for a client that does not read them: beyond this its socket is closed (its
  // session stays, for a resume), so the queue never grows without bound.
  std::size_t max_queued = 320u << 20;
  // Requests of one session that have no reply yet (calls running, state requests queued): a browser
  // fork-join of 2000 has 4000 (its INVOKEs and AWAITs).
  std::size_t max_in_flight = 16384;
  // Bytes of state values one user may hold in the global tier through STATE_* (a 15-byte STATE_PUSH
  // may declare a value of maxBody bytes).
  std::uint64_t state_quota = 1ull << 30;
};

void append_header(std::vector<std::uint8_t>& out, Type type, std::uint8_t flags, std::uint32_t id,
                   std::uint32_t length);

}  // namespace faasmjs::gateway::protocol
