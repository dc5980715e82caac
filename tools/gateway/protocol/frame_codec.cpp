#include "protocol/frame_codec.h"

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

void FrameReader::read(std::span<const std::uint8_t> frame, std::vector<Message>& messages,
                       std::vector<FrameProblem>& problems) {
  // Check the whole frame's layout first: a frame that does not exactly hold its messages is dropped whole.
  std::size_t at = 0;
  while (at < frame.size()) {
    if (frame.size() - at < kHeaderSize) {
      problems.push_back({0, ErrorCode::BadFrame, "a frame ends inside a message header"});
      return;
    }
    ByteReader header(frame.subspan(at, kHeaderSize));
    header.u8();
    const std::uint8_t flags = header.u8();
    const std::uint16_t reserved = header.u16();
    const std::uint32_t id = header.u32();
    const std::uint32_t length = header.u32();
    if ((flags & ~kMore) != 0 || reserved != 0) {
      problems.push_back({id, ErrorCode::BadFrame, "a message header has reserved bits set"});
      return;
    }
    if (frame.size() - at - kHeaderSize < length) {
      problems.push_back({id, ErrorCode::BadFrame, "a message's length (" + std::to_string(length) +
                                                       ") runs past the end of its frame"});
      return;
    }
    at += kHeaderSize + length;
  }
  for (at = 0; at < frame.size();) {
    ByteReader header(frame.subspan(at, kHeaderSize));
    const auto type = static_cast<Type>(header.u8());
    const bool more = (header.u8() & kMore) != 0;
    header.u16();
    const std::uint32_t id = header.u32();
    const std::uint32_t length = header.u32();
    auto body = frame.subspan(at + kHeaderSize, length);
    at += kHeaderSize + length;
    if (type == Type::Continue) {
      auto found = partial_.find(id);
      if (found == partial_.end()) {
        problems.push_back({id, ErrorCode::BadFrame, "CONTINUE for request " + std::to_string(id) + ", which has no body in progress"});
        continue;
      }
      Partial& partial = found->second;
      if (!partial.too_large && partial.body.size() + body.size() > limits_.max_body) {
        partial.too_large = true;
        partial.body.clear();
        problems.push_back({id, ErrorCode::BodyTooLarge, "the body of request " + std::to_string(id) + " is over " +
                                                             std::to_string(limits_.max_body) + " bytes"});
      }
      if (!partial.too_large) partial.body.insert(partial.body.end(), body.begin(), body.end());
      if (!more) {
        if (!partial.too_large) messages.push_back({partial.type, id, std::move(partial.body)});
        partial_.erase(found);
      }
      continue;
    }
    if (id == 0 && type != Type::Hello && type != Type::Ping) {
      problems.push_back({0, ErrorCode::BadFrame, "a request has id 0"});
      continue;
    }
    if (more) {
      partial_[id] = Partial{type, {body.begin(), body.end()}};
      continue;
    }
    messages.push_back({type, id, {body.begin(), body.end()}});
  }
}

void OutgoingQueue::push(Type type, std::uint32_t id, std::vector<std::uint8_t> body) {
  queue_.push_back({type, id, std::move(body)});
}

std::vector<std::uint8_t> OutgoingQueue::next_frame() {
  std::vector<std::uint8_t> frame;
  std::size_t visited = queue_.size();
  while (!queue_.empty() && visited-- > 0) {
    Pending& next = queue_.front();
    const std::size_t left = next.body.size() - next.sent;
    const std::size_t part = std::min(left, limits_.chunk_size);
    // chunk_size + a header fits an empty frame (the gateway's options ensure it), so this never stalls.
    if (frame.size() + kHeaderSize + part > limits_.max_frame) break;
    const bool more = part < left;
    append_header(frame, next.sent == 0 ? next.type : Type::Continue, more ? kMore : 0, next.id,
                  static_cast<std::uint32_t>(part));
    frame.insert(frame.end(), next.body.begin() + static_cast<std::ptrdiff_t>(next.sent),
                 next.body.begin() + static_cast<std::ptrdiff_t>(next.sent + part));
    next.sent += part;
    Pending taken = std::move(next);
    queue_.pop_front();
    // A body with chunks left goes to the back: the others get their turn before its next chunk.
    if (more) queue_.push_back(std::move(taken));
  }
  return frame;
}

}  // namespace faasmjs::gateway::protocol
