// The wire protocol's input path as a connection sees it: frames (each a u16 length and that many bytes of
// this input) through one FrameReader, every whole message through the strict decoders. Checked beyond "no
// crash": a body that decodes encodes back to exactly its bytes (decoding is strict, so nothing is lost or
// invented), and the messages, framed again by an OutgoingQueue and read back, arrive unchanged (the queue
// lets short replies overtake long ones, so under fresh ids, compared by id).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>
#include <vector>

#include "protocol/frame_reader.h"
#include "protocol/message_codec.h"
#include "protocol/outgoing_queue.h"

namespace protocol = faasmjs::gateway::protocol;

namespace {

// Small limits, so that bodies over max_body and chunked replies are within the fuzzer's reach.
constexpr protocol::Limits kLimits{.max_frame = 1 << 12, .chunk_size = 1 << 8, .max_body = 1 << 11};

void require(bool condition) {
  if (!condition) std::abort();
}

template <typename Decoded>
void check_round_trip(const protocol::Message& message, const Decoded& decoded) {
  if (!decoded) return;
  std::visit([&](const auto& body) { require(protocol::encode_body(body) == message.body); }, *decoded);
}

void check_reframed(std::vector<protocol::Message> messages) {
  protocol::OutgoingQueue queue(kLimits);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    messages[i].id = static_cast<std::uint32_t>(i + 1);
    queue.push(messages[i]);
  }
  protocol::FrameReader reader(kLimits);
  std::vector<protocol::Message> again;
  std::vector<protocol::FrameProblem> problems;
  while (!queue.empty()) {
    const auto frame = queue.next_frame();
    require(!frame.empty() && frame.size() <= kLimits.max_frame);
    reader.read(frame, again, problems);
  }
  require(problems.empty() && again.size() == messages.size() && reader.pending_bytes() == 0);
  std::ranges::sort(again, {}, &protocol::Message::id);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    require(again[i].type == messages[i].type && again[i].id == messages[i].id && again[i].body == messages[i].body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> input(data, size);
  protocol::FrameReader reader(kLimits);
  std::vector<protocol::Message> messages;
  std::vector<protocol::FrameProblem> problems;
  while (!input.empty()) {
    std::size_t length = input[0];
    if (input.size() > 1) length |= std::size_t{input[1]} << 8;
    input = input.subspan(std::min<std::size_t>(2, input.size()));
    const auto frame = input.first(std::min(length, input.size()));
    input = input.subspan(frame.size());
    reader.read(frame, messages, problems);
  }
  for (const auto& message : messages) {
    require(message.body.size() <= kLimits.max_body);
    check_round_trip(message, protocol::decode_client(message));
    check_round_trip(message, protocol::decode_server(message));
  }
  check_reframed(std::move(messages));
  return 0;
}
