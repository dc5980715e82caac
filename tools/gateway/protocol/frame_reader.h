// Frames from a client to whole messages: one FrameReader per connection splits each frame into its
// messages and joins chunked bodies (a first part with MORE, then CONTINUE parts with the same id, possibly
// interleaved with other messages and spread over many frames), within the connection's limits: max_body
// per body, max_open_bodies in progress at once holding max_open_bytes together.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"
#include "protocol/frame_header.h"
#include "protocol/message_codec.h"

namespace faasmjs::gateway::protocol {

// What was wrong with a frame or a message: the ERROR to send, for request `id` (0 when none could be read).
struct FrameProblem {
  std::uint32_t id = 0;
  ErrorCode code = ErrorCode::BadFrame;
  std::string message;
};

class FrameReader {
 public:
  explicit FrameReader(Limits limits) : limits_(limits) {}

  // Appends the whole messages this frame completes, in order, and its problems. A frame that does not
  // exactly hold its messages (or has reserved bits set) is dropped whole with one problem, so that none of
  // it runs; other problems (a CONTINUE out of place, a body over max_body) cost only their message.
  // The caller checks the frame against max_frame before (it may have had to stop receiving it).
  void read(std::span<const std::uint8_t> frame, std::vector<Message>& messages, std::vector<FrameProblem>& problems);

  // Bytes held in bodies still waiting for their CONTINUE parts.
  std::size_t pending_bytes() const { return pending_bytes_; }

 private:
  struct Partial {
    Type type;
    Bytes body;
    bool refused = false;  // over a limit: the rest of its chunks are read and discarded
  };
  void add_part(Partial& partial, std::uint32_t id, std::span<const std::uint8_t> part,
                std::vector<FrameProblem>& problems);

  Limits limits_;
  std::map<std::uint32_t, Partial> partial_;
  std::size_t pending_bytes_ = 0;
};

}  // namespace faasmjs::gateway::protocol
