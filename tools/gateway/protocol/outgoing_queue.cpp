#include "protocol/outgoing_queue.h"

#include <algorithm>
#include <cassert>

namespace faasmjs::gateway::protocol {

OutgoingQueue::OutgoingQueue(Limits limits) : limits_(limits) {
  assert(limits_.chunk_size > 0 && limits_.chunk_size + kHeaderSize <= limits_.max_frame);
}

void OutgoingQueue::push(Message message) {
  pending_bytes_ += message.body.size();
  // Ahead of the bodies already on their way: a reply that becomes ready while a 64 MiB value streams
  // leaves in the very next frame, before its next chunk.
  fresh_.push_back(Pending{std::move(message)});
}

std::vector<std::uint8_t> OutgoingQueue::next_frame(std::size_t headroom) {
  std::vector<std::uint8_t> frame(headroom);
  // Each message in the queue gets at most one turn per frame: a large body's next chunk waits for the
  // next frame even when this one has room, so that a frame never carries one body's chunks back to back
  // while a smaller reply is still queued behind them.
  for (std::size_t turns = fresh_.size() + started_.size(); turns > 0 && !empty(); --turns) {
    auto& queue = fresh_.empty() ? started_ : fresh_;
    Pending& next = queue.front();
    const std::size_t left = next.message.body.size() - next.sent;
    const std::size_t part = std::min(left, limits_.chunk_size);
    if (frame.size() - headroom + kHeaderSize + part > limits_.max_frame) break;
    const bool more = part < left;
    append_header(frame, next.sent == 0 ? next.message.type : Type::Continue, more ? kMore : 0, next.message.id,
                  static_cast<std::uint32_t>(part));
    const auto from = next.message.body.begin() + static_cast<std::ptrdiff_t>(next.sent);
    frame.insert(frame.end(), from, from + static_cast<std::ptrdiff_t>(part));
    next.sent += part;
    pending_bytes_ -= part;
    if (more) started_.push_back(std::move(next));
    queue.pop_front();
  }
  if (frame.size() == headroom) frame.clear();
  return frame;
}

}  // namespace faasmjs::gateway::protocol
