// Replies waiting for a client's socket, to frames. Each time the socket is writable the queue yields one
// frame of at most max_frame bytes: the messages that are ready, oldest first, coalesced; a body over
// chunk_size goes one chunk per turn (the first part with MORE, then CONTINUE parts) and then to the back of
// the queue; a message pushed later goes ahead of the bodies already started. So replies that come after a
// 64 MiB STATE_VALUE leave in the next frame, not 64 chunks later.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "protocol/frame_header.h"
#include "protocol/message_codec.h"

namespace faasmjs::gateway::protocol {

class OutgoingQueue {
 public:
  // limits.chunk_size + kHeaderSize must not exceed limits.max_frame (the options make sure of it), so a
  // frame always has room for the next part.
  explicit OutgoingQueue(Limits limits);

  // O(1): a frame of 262,144 PINGs queues 262,144 PONGs without rescanning the queue for each.
  void push(Message message);
  bool empty() const { return fresh_.empty() && started_.empty(); }
  // Bytes of bodies not yet framed.
  std::size_t pending_bytes() const { return pending_bytes_; }
  // The next frame, or an empty vector when nothing waits. `headroom` zero bytes come first (libwebsockets
  // writes its own header into LWS_PRE bytes in front of the payload); they are not part of the frame.
  std::vector<std::uint8_t> next_frame(std::size_t headroom = 0);

 private:
  struct Pending {
    Message message;
    std::size_t sent = 0;
  };
  // Two queues, so that push() needs no search: messages not yet begun (oldest first), then the bodies on
  // their way, each re-queued at the back of started_ after a chunk.
  Limits limits_;
  std::deque<Pending> fresh_;
  std::deque<Pending> started_;
  std::size_t pending_bytes_ = 0;
};

}  // namespace faasmjs::gateway::protocol
