// Frames (tools/gateway/protocol/frame_reader.h, outgoing_queue.h): splitting a frame into messages, joining
// chunked bodies within the limits, and the server's coalescing and chunking of replies.
#include <doctest/doctest.h>

#include <random>

#include "protocol/frame_reader.h"
#include "protocol/outgoing_queue.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::protocol;

namespace {

struct Part {
  Type type;
  std::uint32_t id;
  Bytes body;
  std::uint8_t flags = 0;
};

Bytes frame_of(const std::vector<Part>& parts) {
  Bytes frame;
  for (const auto& part : parts) {
    append_header(frame, part.type, part.flags, part.id, static_cast<std::uint32_t>(part.body.size()));
    frame.insert(frame.end(), part.body.begin(), part.body.end());
  }
  return frame;
}

Bytes filled(std::size_t size, std::uint8_t seed) {
  Bytes bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(seed + i * 31);
  return bytes;
}

struct ReaderFixture {
  Limits limits{1024, 256, 4096};
  FrameReader reader{limits};
  std::vector<Message> messages;
  std::vector<FrameProblem> problems;

  void read(const Bytes& frame) { reader.read(frame, messages, problems); }
};

// Every frame the queue yields, each checked against max_frame.
std::vector<Bytes> drain(OutgoingQueue& queue, const Limits& limits) {
  std::vector<Bytes> frames;
  for (int guard = 0; guard < 100000 && !queue.empty(); ++guard) {
    Bytes frame = queue.next_frame();
    REQUIRE_FALSE(frame.empty());
    REQUIRE(frame.size() <= limits.max_frame);
    frames.push_back(std::move(frame));
  }
  REQUIRE(queue.empty());
  return frames;
}

}  // namespace

TEST_SUITE("frames") {
  TEST_CASE_FIXTURE(ReaderFixture, "several messages in one frame come out in order") {
    read(frame_of({{Type::Invoke, 7, filled(25, 1)}, {Type::Invoke, 8, filled(25, 2)}, {Type::Ping, 0, {}}}));
    CHECK(problems.empty());
    REQUIRE(messages.size() == 3);
    CHECK(messages[0].id == 7);
    CHECK(messages[0].body == filled(25, 1));
    CHECK(messages[1].id == 8);
    CHECK(messages[2].type == Type::Ping);
  }

  TEST_CASE_FIXTURE(ReaderFixture, "a frame that does not exactly hold its messages is dropped whole") {
    Bytes frame = frame_of({{Type::Invoke, 7, filled(10, 1)}, {Type::Invoke, 8, filled(10, 2)}});
    SUBCASE("cut inside a body") { frame.pop_back(); }
    SUBCASE("cut inside a header") { frame.resize(kHeaderSize + 10 + 5); }
    SUBCASE("bytes after the last message") { frame.push_back(0); }
    read(frame);
    CHECK(messages.empty());
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == ErrorCode::BadFrame);
  }

  TEST_CASE_FIXTURE(ReaderFixture, "reserved bits and unknown flags drop the frame, naming the id") {
    Bytes frame = frame_of({{Type::Ping, 0, {}}, {Type::StateSize, 5, filled(3, 0)}});
    SUBCASE("reserved u16") { frame[kHeaderSize + 2] = 1; }
    SUBCASE("a flag other than MORE") { frame[kHeaderSize + 1] = 0x02; }
    read(frame);
    CHECK(messages.empty());
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == ErrorCode::BadFrame);
    CHECK(problems[0].id == 5);
  }

  TEST_CASE_FIXTURE(ReaderFixture, "an empty frame is a BadFrame") {
    read({});
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == ErrorCode::BadFrame);
  }

  TEST_CASE_FIXTURE(ReaderFixture, "id 0 is for HELLO and PING only") {
    read(frame_of({{Type::Hello, 0, {}}, {Type::Invoke, 0, filled(4, 0)}, {Type::Ping, 0, {}}}));
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].type == Type::Hello);
    CHECK(messages[1].type == Type::Ping);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == ErrorCode::BadFrame);
  }

  TEST_CASE_FIXTURE(ReaderFixture, "chunks join across frames, interleaved with other messages") {
    const Bytes body = filled(600, 9);
    read(
        frame_of({{Type::StateSet, 3, Bytes(body.begin(), body.begin() + 256), kMore}, {Type::Ping, 0, filled(2, 0)}}));
    read(frame_of({{Type::Continue, 3, Bytes(body.begin() + 256, body.begin() + 512), kMore},
                   {Type::StateSize, 4, filled(3, 1)}}));
    CHECK(messages.size() == 2);
    CHECK(reader.pending_bytes() == 512);
    read(frame_of({{Type::Continue, 3, Bytes(body.begin() + 512, body.end())}}));
    CHECK(problems.empty());
    REQUIRE(messages.size() == 3);
    CHECK(messages[2].type == Type::StateSet);
    CHECK(messages[2].id == 3);
    CHECK(messages[2].body == body);
    CHECK(reader.pending_bytes() == 0);
  }

  TEST_CASE_FIXTURE(ReaderFixture, "two bodies in progress at once are kept apart") {
    read(frame_of({{Type::StateSet, 1, filled(5, 1), kMore}, {Type::StateSet, 2, filled(5, 2), kMore}}));
    read(frame_of({{Type::Continue, 2, filled(5, 3)}, {Type::Continue, 1, filled(5, 4)}}));
    REQUIRE(messages.size() == 2);
    auto joined = [](Bytes first, const Bytes& second) {
      first.insert(first.end(), second.begin(), second.end());
      return first;
    };
    CHECK(messages[0].id == 2);
    CHECK(messages[0].body == joined(filled(5, 2), filled(5, 3)));
    CHECK(messages[1].id == 1);
    CHECK(messages[1].body == joined(filled(5, 1), filled(5, 4)));
  }

  TEST_CASE_FIXTURE(ReaderFixture,
                    "a CONTINUE with no body in progress is a BadFrame for its id; the rest of the frame runs") {
    read(frame_of({{Type::Continue, 6, filled(3, 0)}, {Type::StateSize, 7, filled(3, 0)}}));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == ErrorCode::BadFrame);
    CHECK(problems[0].id == 6);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].id == 7);
  }

  TEST_CASE_FIXTURE(ReaderFixture, "a second first part for an id in progress is a BadFrame") {
    read(frame_of({{Type::StateSet, 1, filled(5, 1), kMore}, {Type::StateSet, 1, filled(5, 2), kMore}}));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].id == 1);
    read(frame_of({{Type::Continue, 1, filled(5, 3)}}));
    REQUIRE(messages.size() == 1);
    CHECK(Bytes(messages[0].body.begin(), messages[0].body.begin() + 5) == filled(5, 1));
  }

  TEST_CASE_FIXTURE(ReaderFixture, "a body over max_body is refused once and its remaining chunks discarded") {
    read(frame_of({{Type::StateSet, 5, filled(1000, 0), kMore}}));
    for (int i = 0; i < 4; ++i) read(frame_of({{Type::Continue, 5, filled(1000, 0), kMore}}));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == ErrorCode::BodyTooLarge);
    CHECK(problems[0].id == 5);
    CHECK(reader.pending_bytes() == 0);
    read(frame_of({{Type::Continue, 5, filled(10, 0)}, {Type::StateSize, 6, filled(3, 0)}}));
    CHECK(problems.size() == 1);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].id == 6);
    // The id is free again: a CONTINUE for it now is out of place.
    read(frame_of({{Type::Continue, 5, filled(1, 0)}}));
    CHECK(problems.size() == 2);
  }

  TEST_CASE("chunked bodies in progress are bounded in number per connection") {
    Limits limits{1024, 256, 4096};
    limits.max_open_bodies = 3;
    FrameReader reader(limits);
    std::vector<Message> messages;
    std::vector<FrameProblem> problems;
    // Unfinished bodies under many ids: each beyond the third is refused, naming the limit.
    for (std::uint32_t id = 1; id <= 100; ++id) {
      reader.read(frame_of({{Type::StateSet, id, filled(8, 0), kMore}}), messages, problems);
    }
    REQUIRE(problems.size() == 97);
    CHECK(problems[0].id == 4);
    CHECK(problems[0].code == ErrorCode::LimitExceeded);
    CHECK(problems[0].message.find("(the limit is 3)") != std::string::npos);
    CHECK(reader.pending_bytes() == 3 * 8);
    // Finishing one makes room for another.
    reader.read(frame_of({{Type::Continue, 2, filled(2, 0)}, {Type::StateSet, 200, filled(8, 0), kMore}}), messages,
                problems);
    CHECK(problems.size() == 97);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].id == 2);
  }

  TEST_CASE("chunked bodies in progress are bounded in bytes together, not only each") {
    Limits limits{1024, 256, 1000};
    limits.max_open_bytes = 1500;
    FrameReader reader(limits);
    std::vector<Message> messages;
    std::vector<FrameProblem> problems;
    for (std::uint32_t id = 1; id <= 10; ++id) {
      reader.read(frame_of({{Type::StateSet, id, filled(600, 0), kMore}}), messages, problems);
    }
    // Two fit (1200 bytes); every later one is refused and holds nothing.
    REQUIRE(problems.size() == 8);
    CHECK(problems[0].id == 3);
    CHECK(problems[0].code == ErrorCode::LimitExceeded);
    CHECK(problems[0].message.find("limit of 1500 bytes") != std::string::npos);
    CHECK(reader.pending_bytes() == 1200);
    // A refused body's remaining chunks are discarded, and its end frees its id.
    reader.read(frame_of({{Type::Continue, 3, filled(10, 0)}, {Type::Continue, 1, filled(10, 0)}}), messages, problems);
    CHECK(problems.size() == 8);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].id == 1);
    CHECK(reader.pending_bytes() == 600);
  }

  TEST_CASE("a whole message over max_body is refused") {
    Limits limits{1 << 20, 1 << 10, 100};
    FrameReader reader(limits);
    std::vector<Message> messages;
    std::vector<FrameProblem> problems;
    reader.read(frame_of({{Type::StateSet, 5, filled(101, 0)}, {Type::StateSet, 6, filled(100, 0)}}), messages,
                problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].code == ErrorCode::BodyTooLarge);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].id == 6);
  }

  TEST_CASE("small replies are coalesced into one frame") {
    Limits limits{1024, 256, 1 << 20};
    OutgoingQueue queue(limits);
    for (std::uint32_t id = 1; id <= 5; ++id) queue.push({Type::Ack, id, {1}});
    CHECK(queue.pending_bytes() == 5);
    const auto frames = drain(queue, limits);
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].size() == 5 * (kHeaderSize + 1));
    CHECK(queue.pending_bytes() == 0);
  }

  TEST_CASE("frames fill up to max_frame and no further") {
    Limits limits{110, 50, 1 << 20};
    OutgoingQueue queue(limits);
    for (std::uint32_t id = 1; id <= 3; ++id) queue.push({Type::Ack, id, Bytes(40, 0)});
    const auto frames = drain(queue, limits);
    REQUIRE(frames.size() == 2);
    CHECK(frames[0].size() == 2 * 52);
    CHECK(frames[1].size() == 52);
  }

  TEST_CASE("a large body is chunked: first part with MORE, CONTINUE parts, the last without MORE") {
    Limits limits{1024, 256, 1 << 20};
    OutgoingQueue queue(limits);
    const Bytes body = filled(700, 3);
    queue.push({Type::StateValue, 9, body});
    const auto frames = drain(queue, limits);
    REQUIRE(frames.size() == 3);
    CHECK(frames[0][0] == static_cast<std::uint8_t>(Type::StateValue));
    CHECK(frames[0][1] == kMore);
    CHECK(frames[1][0] == static_cast<std::uint8_t>(Type::Continue));
    CHECK(frames[1][1] == kMore);
    CHECK(frames[2][0] == static_cast<std::uint8_t>(Type::Continue));
    CHECK(frames[2][1] == 0);
    CHECK(frames[2].size() == kHeaderSize + 700 - 512);
    FrameReader reader(limits);
    std::vector<Message> messages;
    std::vector<FrameProblem> problems;
    for (const auto& frame : frames) reader.read(frame, messages, problems);
    CHECK(problems.empty());
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].body == body);
  }

  TEST_CASE("a small reply behind a large body leaves in the first frame") {
    Limits limits{4u << 20, 1u << 20, 256u << 20};
    OutgoingQueue queue(limits);
    queue.push({Type::StateValue, 1, Bytes(64u << 20, 5)});
    queue.push({Type::Result, 2, filled(40, 1)});
    const Bytes first = queue.next_frame();
    REQUIRE(first.size() == kHeaderSize + (1u << 20) + kHeaderSize + 40);
    CHECK(first[kHeaderSize + (1u << 20)] == static_cast<std::uint8_t>(Type::Result));
    // A reply that becomes ready while the big one streams goes in the very next frame.
    queue.push({Type::Ack, 3, {1}});
    const Bytes second = queue.next_frame();
    CHECK(second[0] == static_cast<std::uint8_t>(Type::Ack));
    CHECK(second[kHeaderSize + 1] == static_cast<std::uint8_t>(Type::Continue));
  }

  TEST_CASE("headroom comes before the frame and is not counted in it") {
    Limits limits{110, 50, 1 << 20};
    OutgoingQueue queue(limits);
    queue.push({Type::Ack, 1, Bytes(40, 9)});
    queue.push({Type::Ack, 2, Bytes(40, 9)});
    const Bytes frame = queue.next_frame(16);
    CHECK(frame.size() == 16 + 2 * 52);
    CHECK(frame[16] == static_cast<std::uint8_t>(Type::Ack));
    CHECK(queue.next_frame(16).empty());
  }

  TEST_CASE("random bodies survive the queue and the reader in any mix") {
    std::mt19937 random(12345);
    for (int round = 0; round < 30; ++round) {
      Limits limits{std::size_t(200 + random() % 2000), 0, 1 << 20};
      limits.chunk_size = 1 + random() % (limits.max_frame - kHeaderSize);
      OutgoingQueue queue(limits);
      std::vector<Message> sent;
      for (std::uint32_t id = 1; id <= 20; ++id) {
        sent.push_back({Type::StateValue, id, filled(random() % 3000, static_cast<std::uint8_t>(id))});
        queue.push(sent.back());
      }
      FrameReader reader(limits);
      std::vector<Message> received;
      std::vector<FrameProblem> problems;
      for (const auto& frame : drain(queue, limits)) reader.read(frame, received, problems);
      CHECK(problems.empty());
      REQUIRE(received.size() == sent.size());
      std::sort(received.begin(), received.end(), [](const Message& a, const Message& b) { return a.id < b.id; });
      for (std::size_t i = 0; i < sent.size(); ++i) {
        CHECK(received[i].body == sent[i].body);
        CHECK(received[i].type == sent[i].type);
      }
    }
  }
}
