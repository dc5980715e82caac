// The gateway ↔ worker process protocol. A worker (faasmjs-worker) runs one call at a time for the cluster's
// worker pool; it talks to its slot in the gateway over a Unix socketpair on its fd 3. Everything a function
// does that reaches beyond its own instance (chaining, awaiting, state, locks) is a host call the slot answers;
// the rest of the host interface (input, output, WASI) is served inside the worker.
//
// A message is a u32 little-endian body length, a u8 op, then the body, whose fields use common/byte_io.h
// (str = u16 length + UTF-8, bytes = u32 length + raw). Conversation:
//
//   worker  → gateway   READY    u32 pid                               once, after start-up
//   gateway → worker    RUN      str shared_object, str function, str user, u32 func_ptr, str cmdline,
//                                u64 memory_limit_bytes, bytes input, u32 count, count × (str path, bytes data)
//   worker  → gateway   HOST_CALL u8 HostCall, fields below            any number, each answered by REPLY
//   gateway → worker    REPLY    u8 ok, then the fields below (ok = 1) or str error (ok = 0)
//   worker  → gateway   CHAIN    u32 id, str function (empty: the caller's own), u32 func_ptr, bytes input
//                                                                      any number, never answered
//   worker  → gateway   RESULT   i32 return_value, u8 CallStatus, u8 reset_instance, str error, bytes stdout,
//                                bytes stderr, bytes output
//
// Chains need no reply, so a fork-join's chains cost no round trip: the gateway leases the call a run of ids
// of its tree (HOST_CALL ChainIds, the lease growing 1, 2, 4, ... while the call keeps chaining, and never
// beyond what the tree's limit leaves), and each CHAIN names the next id of the lease, in order; one outside
// it breaks the protocol. The depth and tree limits are checked when a lease is asked for, so a chain beyond
// them still fails in the calling function. What a call leased and did not use goes back to its tree when
// the call returns. An Await's REPLY also carries the results of the caller's other chained calls that have
// finished since its last Await, so that awaiting them needs no round trip either.
//
// A gateway may send a RUN before the running call's RESULT (pipelining): the worker starts it once it has
// sent that RESULT. Such a RUN is void if the running call makes a host call first: the worker drops every
// RUN it receives while it waits for a REPLY, and the gateway, on reading the HOST_CALL, puts the calls it
// sent behind back in its queue.
//
// RUN's files are INVOKE's seeded files: the worker writes them into its file system (file_system.h) before
// the call starts, as a call on that host could have. A REPLY with ok = 0 ends the call as Faasm ends it when a host
// call throws: the worker traps with that message and reports RESULT status Trapped. State keys travel as the function
// sees them; the slot namespaces them with the call's user. After RESULT the worker waits for the next RUN; EOF on fd 3
// makes it exit. Everything that must not depend on a cooperating worker (time limit, crash) is the slot's job: it
// kills the process and reports TimedOut or Crashed itself.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/byte_io.h"
#include "common/calls.h"

namespace faasmjs::gateway::worker {

inline constexpr int kChannelFd = 3;
inline constexpr std::uint32_t kMaxMessage = 512u << 20;

enum class Op : std::uint8_t {
  Ready = 1,
  Run = 2,
  HostCall = 3,
  Reply = 4,
  Result = 5,
  Chain = 6,
};

// HOST_CALL kinds: fields sent → REPLY fields when ok.
enum class HostCall : std::uint8_t {
  Await = 2,                  // u32 call id, u8 want_output → i32 return_value, bytes output (want_output),
                              //   u32 n, n × FinishedCall (the caller's chained calls finished since)
  ChainIds = 3,               // u32 wanted → u32 first id, u32 count (at least 1)
  StateSize = 10,             // str key → u32 size
  StateRead = 11,             // str key, u32 length → bytes value
  StateReadRange = 12,        // str key, u32 total, u32 offset, u32 length → bytes chunk
  StateWrite = 13,            // str key, bytes data → (nothing)
  StateWriteRange = 14,       // str key, u32 total, u32 offset, bytes data → (nothing)
  StatePublish = 15,          // str key, u32 total, u32 offset, bytes data → (nothing)
  StateFlagDirty = 16,        // str key, u32 total, u32 offset, u32 length → (nothing)
  StatePush = 17,             // str key → (nothing)
  StatePushPartial = 18,      // str key → (nothing)
  StatePushPartialMask = 19,  // str key, str mask key → (nothing)
  StatePull = 20,             // str key, u32 length → (nothing)
  StateAppend = 21,           // str key, bytes element → (nothing)
  StateReadAppended = 22,     // str key, u32 count → u32 n, n × bytes
  StateClearAppended = 23,    // str key → (nothing)
  StateLock = 24,             // str key, u8 exclusive → (nothing), sent once granted
  StateUnlock = 25,           // str key, u8 exclusive → u8 released
  SharedFileRead = 30,        // str path (no faasm://) → u8 exists, bytes data
  SharedFileWrite = 31,       // str path, bytes data → (nothing)
  SharedFileDelete = 32,      // str path → (nothing)
};

struct Message {
  Op op;
  std::vector<std::uint8_t> body;
};

// A finished chained call as an Await's REPLY passes it on: u32 id, i32 return_value, u8 has_output, then
// bytes output when has_output. Small outputs travel with it; a larger one is fetched by its own Await, so
// that a fan-out of large outputs does not pile up in the worker.
struct FinishedCall {
  std::uint32_t id = 0;
  std::int32_t return_value = 0;
  std::optional<std::vector<std::uint8_t>> output;
};
inline constexpr std::size_t kPassedOutputBytes = 4096;  // the largest output passed on
inline constexpr std::size_t kPassedOutputsPerReply = 256u << 10;
inline constexpr std::uint32_t kMaxChainLease = 1024;

// RUN's body.
struct RunRequest {
  std::string shared_object;
  std::string function;
  std::string user;
  std::uint32_t func_ptr = 0;
  std::string cmdline;
  std::uint64_t memory_limit_bytes = 0;
  std::vector<std::uint8_t> input;
  std::vector<CallFile> files;
};

// RESULT's body.
struct RunResult {
  std::int32_t return_value = 0;
  CallStatus status = CallStatus::Finished;
  bool reset_instance = false;  // it ran on a kept instance reset to its snapshot (warm_instances.h), not a new one
  std::string error;
  std::string stdout_text;
  std::string stderr_text;
  std::vector<std::uint8_t> output;
};

// The two bodies every side of a run writes and reads; decoding is strict (nullopt for a body that does not
// decode exactly, or a status out of range).
std::vector<std::uint8_t> encode_run(const RunRequest& request);
void write_finished(ByteWriter& out, const FinishedCall& call);
std::optional<FinishedCall> read_finished(ByteReader& in);  // nullopt when it does not decode
std::optional<RunRequest> decode_run(std::span<const std::uint8_t> body);
std::vector<std::uint8_t> encode_result(const RunResult& result);
std::optional<RunResult> decode_result(std::span<const std::uint8_t> body);

// Blocking, whole-message write on a stream socket; EINTR is retried; false when the peer is gone.
bool send_message(int fd, Op op, std::span<const std::uint8_t> body);

// One end of the channel. Messages are read in large pieces, so that one read(2) brings every message the
// peer has sent meanwhile (a burst of CHAINs, the RESULTs of calls run back to back), each returned in turn.
// A read never asks for more than it has reason to: a header alone (from a broken or hijacked peer) must not
// make this side allocate kMaxMessage bytes, so a long body is read as its bytes arrive.
class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}
  int fd() const { return fd_; }
  bool send(Op op, std::span<const std::uint8_t> body) { return send_message(fd_, op, body); }
  // The next message, waiting for it; nullopt on EOF, a broken peer or a length over kMaxMessage.
  std::optional<Message> receive();
  // A whole message already read, if there is one: never blocks.
  std::optional<Message> buffered();
  // One read(2) (blocking) into the buffer; false on EOF, an error or a length over kMaxMessage.
  bool read_more();

 private:
  std::size_t pending() const { return end_ - start_; }
  int fd_;
  std::vector<std::uint8_t> buffer_;
  std::size_t start_ = 0;
  std::size_t end_ = 0;
  bool broken_ = false;
};

}  // namespace faasmjs::gateway::worker
