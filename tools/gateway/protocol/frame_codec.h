// The wire protocol's framing (docs/protocol.md): a WebSocket binary message holds messages with 12-byte
// headers; a body larger than the chunk size travels as a first part with MORE set and CONTINUE parts. This
// codec is pure (no I/O): FrameReader turns received frames into whole messages, OutgoingQueue turns replies
// into frames that interleave the chunks of large bodies with small messages.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "common/error.h"

namespace faasmjs::gateway::protocol {

inline constexpr std::uint16_t kVersion = 1;
inline constexpr char kSubprotocol[] = "faasmjs.v1";
inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::uint8_t kMore = 0x01;

enum class Type : std::uint8_t {
  Hello = 0x01,
  Invoke = 0x02,
  Await = 0x03,
  Cancel = 0x04,
  StateSize = 0x10,
  StatePull = 0x11,
  StatePush = 0x12,
  StateSet = 0x13,
  StateAppend = 0x14,
  StateReadAppended = 0x15,
  StateClearAppended = 0x16,
  StateLock = 0x17,
  StateUnlock = 0x18,
  StateKeys = 0x19,
  Upload = 0x20,
  Ping = 0x30,
  Continue = 0x7F,
  Welcome = 0x81,
  Result = 0x82,
  Ack = 0x83,
  StateSizeIs = 0x84,
  StateValue = 0x85,
  StateAppended = 0x86,
  StateKeyList = 0x87,
  Uploaded = 0x88,
  Pong = 0x8F,
  Error = 0xEE,
};

struct Message {
  Type type;
  std::uint32_t id;
  std::vector<std::uint8_t> body;
};

struct Limits {
  std::size_t max_frame = 4u << 20;
  std::size_t chunk_size = 1u << 20;
  std::size_t max_body = 256u << 20;
};

// A problem with one frame or message: the ERROR to send (id 0 when none could be read).
struct FrameProblem {
  std::uint32_t id;
  ErrorCode code;
  std::string message;
};

class FrameReader {
 public:
  explicit FrameReader(Limits limits) : limits_(limits) {}
  // Whole messages the frame completes, in order, and the problems it had. A frame that does not parse is
  // dropped whole (one problem); a body over max_body drops that body and reports it once.
  void read(std::span<const std::uint8_t> frame, std::vector<Message>& messages, std::vector<FrameProblem>& problems);

 private:
  struct Partial {
    Type type;
    std::vector<std::uint8_t> body;
    bool too_large = false;
  };
  Limits limits_;
  std::map<std::uint32_t, Partial> partial_;
};

// Replies waiting for the socket. Each writable turn takes one frame: whole small messages first come first
// served, and at most one chunk of each large body in turn, so a 64 MiB value never holds a RESULT back.
class OutgoingQueue {
 public:
  explicit OutgoingQueue(Limits limits) : limits_(limits) {}
  void push(Type type, std::uint32_t id, std::vector<std::uint8_t> body);
  bool empty() const { return queue_.empty(); }
  // The next frame (at most max_frame bytes), or empty when nothing waits.
  std::vector<std::uint8_t> next_frame();

 private:
  struct Pending {
    Type type;
    std::uint32_t id;
    std::vector<std::uint8_t> body;
    std::size_t sent = 0;
  };
  Limits limits_;
  std::deque<Pending> queue_;
};

void append_header(std::vector<std::uint8_t>& out, Type type, std::uint8_t flags, std::uint32_t id, std::uint32_t length);

}  // namespace faasmjs::gateway::protocol
