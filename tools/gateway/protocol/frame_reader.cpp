#include "protocol/frame_reader.h"

#include "common/byte_io.h"

namespace faasmjs::gateway::protocol {

namespace {

struct Header {
  Type type;
  std::uint8_t flags;
  std::uint16_t reserved;
  std::uint32_t id;
  std::uint32_t length;
};

Header parse_header(std::span<const std::uint8_t> bytes) {
  ByteReader in(bytes);
  Header header{};
  header.type = static_cast<Type>(in.u8());
  header.flags = in.u8();
  header.reserved = in.u16();
  header.id = in.u32();
  header.length = in.u32();
  return header;
}

std::string request(std::uint32_t id) { return "request " + std::to_string(id); }

}  // namespace

void FrameReader::read(std::span<const std::uint8_t> frame, std::vector<Message>& messages,
                       std::vector<FrameProblem>& problems) {
  // The layout first: a frame that does not exactly hold its messages is dropped before any of it runs.
  for (std::size_t at = 0; at < frame.size();) {
    if (frame.size() - at < kHeaderSize) {
      problems.push_back(
          {0, ErrorCode::BadFrame,
           "the frame ends inside a message header (" + std::to_string(frame.size() - at) + " bytes left)"});
      return;
    }
    const Header header = parse_header(frame.subspan(at, kHeaderSize));
    if ((header.flags & ~kMore) != 0 || header.reserved != 0) {
      problems.push_back({header.id, ErrorCode::BadFrame, "a message header has reserved bits set"});
      return;
    }
    if (frame.size() - at - kHeaderSize < header.length) {
      problems.push_back(
          {header.id, ErrorCode::BadFrame,
           "a message's length (" + std::to_string(header.length) + " bytes) runs past the end of its frame"});
      return;
    }
    at += kHeaderSize + header.length;
  }
  if (frame.empty()) {
    problems.push_back({0, ErrorCode::BadFrame, "an empty frame"});
    return;
  }

  for (std::size_t at = 0; at < frame.size();) {
    const Header header = parse_header(frame.subspan(at, kHeaderSize));
    const auto body = frame.subspan(at + kHeaderSize, header.length);
    at += kHeaderSize + header.length;
    const bool more = (header.flags & kMore) != 0;
    const std::uint32_t id = header.id;

    if (header.type == Type::Continue) {
      auto found = partial_.find(id);
      if (found == partial_.end()) {
        problems.push_back(
            {id, ErrorCode::BadFrame, "CONTINUE for " + request(id) + ", which has no body in progress"});
        continue;
      }
      add_part(found->second, id, body, problems);
      if (!more) {
        pending_bytes_ -= found->second.body.size();
        if (!found->second.refused) messages.push_back({found->second.type, id, std::move(found->second.body)});
        partial_.erase(found);
      }
      continue;
    }
    // Id 0 is "the connection as a whole": the keep-alive PING and the HELLO that opens it, nothing else.
    if (id == 0 && header.type != Type::Ping && header.type != Type::Hello) {
      problems.push_back({0, ErrorCode::BadFrame, type_name(header.type) + " with request id 0"});
      continue;
    }
    if (more) {
      if (partial_.contains(id)) {
        problems.push_back({id, ErrorCode::BadFrame,
                            type_name(header.type) + " starts a second body for " + request(id) +
                                " while its first is still in progress"});
        continue;
      }
      if (partial_.size() >= limits_.max_open_bodies) {
        problems.push_back({id, ErrorCode::LimitExceeded,
                            type_name(header.type) + " for " + request(id) +
                                " would be one chunked body too many in "
                                "progress on this connection (the limit is " +
                                std::to_string(limits_.max_open_bodies) + ")"});
        continue;
      }
      auto [partial, inserted] = partial_.emplace(id, Partial{header.type, {}});
      add_part(partial->second, id, body, problems);
      continue;
    }
    if (body.size() > limits_.max_body) {
      problems.push_back({id, ErrorCode::BodyTooLarge,
                          "the body of " + request(id) + " is over " + std::to_string(limits_.max_body) + " bytes"});
      continue;
    }
    messages.push_back({header.type, id, {body.begin(), body.end()}});
  }
}

void FrameReader::add_part(Partial& partial, std::uint32_t id, std::span<const std::uint8_t> part,
                           std::vector<FrameProblem>& problems) {
  if (partial.refused) return;
  auto refuse = [&](ErrorCode code, std::string why) {
    partial.refused = true;
    pending_bytes_ -= partial.body.size();
    partial.body = Bytes();  // free it now: the rest of this body is discarded as it arrives
    problems.push_back({id, code, std::move(why)});
  };
  if (partial.body.size() + part.size() > limits_.max_body) {
    return refuse(ErrorCode::BodyTooLarge,
                  "the body of " + request(id) + " is over " + std::to_string(limits_.max_body) + " bytes");
  }
  if (pending_bytes_ + part.size() > limits_.max_open_bytes) {
    return refuse(ErrorCode::LimitExceeded, "the body of " + request(id) +
                                                " would bring the chunked bodies in progress on "
                                                "this connection over their limit of " +
                                                std::to_string(limits_.max_open_bytes) + " bytes");
  }
  partial.body.insert(partial.body.end(), part.begin(), part.end());
  pending_bytes_ += part.size();
}

}  // namespace faasmjs::gateway::protocol
