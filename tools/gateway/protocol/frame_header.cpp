#include "protocol/frame_header.h"

#include "common/byte_io.h"

namespace faasmjs::gateway::protocol {

void append_header(std::vector<std::uint8_t>& out, Type type, std::uint8_t flags, std::uint32_t id,
                   std::uint32_t length) {
  ByteWriter writer(out);
  writer.u8(static_cast<std::uint8_t>(type));
  writer.u8(flags);
  writer.u16(0);
  writer.u32(id);
  writer.u32(length);
}

}  // namespace faasmjs::gateway::protocol
