// One client session of the wire protocol (docs/protocol.md, "Sessions, resuming, exactly-once"), apart
// from its socket: the requests it made and their replies (kept for a resume), its lock owner and its
// calls in the backend. The session, not the socket, owns the requests: a socket that drops leaves the
// session to wait for a resume, and whatever finishes meanwhile is kept for the client.
//
// Threads. A session lives on the service thread. What cannot run there goes elsewhere and comes back
// through the Mailbox, addressed by session id, so a session that is gone meanwhile is simply not found:
//   - INVOKE goes to the backend at once (submit never blocks); its RESULT comes from a backend thread;
//   - STATE_* requests (writes fsync), STATE_LOCK and STATE_UNLOCK run on the I/O pool in one queue per
//     session, in arrival order: an unlock after a push is only seen by others once the push is on disk;
//   - UPLOAD (it compiles, for seconds) runs on the I/O pool in a queue of its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/backend.h"
#include "protocol/message_codec.h"
#include "protocol/outgoing_queue.h"
#include "registry/function_registry.h"
#include "state/global_store.h"
#include "state/state_locks.h"
#include "transport/id_set.h"
#include "transport/mailbox.h"
#include "transport/serial_executor.h"

namespace faasmjs::gateway::transport {

struct Services {
  Backend& backend;
  state::GlobalStore& store;
  state::StateLocks& locks;
  registry::FunctionRegistry& registry;
  SerialExecutor& io;
  std::shared_ptr<Mailbox> mailbox;
};

// Bounds on what a session keeps for a resume (docs/protocol.md): the replies of its last 4096 requests,
// at most 64 MiB of them; and on the ids it remembers as forgotten, which stay few ranges for a client
// that numbers its requests upwards but would be one range each for sparse ids.
struct KeptLimits {
  std::size_t replies = 4096;
  std::size_t bytes = 64u << 20;
  std::size_t forgotten_ranges = 4096;
};

// What all sessions keep together (service thread only): per-session bounds alone would let many
// sessions each keep their fill. A session that keeps a reply beyond these forgets its own oldest.
struct KeptTotal {
  std::size_t max_replies = 1u << 20;
  std::size_t max_bytes = 1u << 30;
  std::size_t replies = 0;
  std::size_t bytes = 0;
  bool over() const { return replies > max_replies || bytes > max_bytes; }
};

// The endpoint's limits on sockets and sessions (ws_protocol.h), with their defaults (docs/protocol.md).
struct EndpointLimits {
  // Sockets that have not said HELLO by then are closed: they hold descriptors and say nothing.
  std::chrono::seconds hello_timeout{10};
  // WebSocket connections at once, in all and from one remote address.
  std::size_t max_connections = 16384;
  std::size_t max_connections_per_address = 4096;
  // Sessions at once (attached or waiting for a resume), in all and of one user; and what they keep.
  std::size_t max_sessions = 16384;
  std::size_t max_sessions_per_user = 4096;
  // UPLOADs of one user: each compiles a module (seconds of CPU, up to --compile-memory) and fills the
  // compile cache. An upload is a body too, so maxBody bounds its size as well.
  std::size_t max_upload_bytes = 64u << 20;
  std::size_t uploads_per_minute = 30;
  KeptLimits kept;
  KeptTotal kept_total;
};

protocol::Message error_message(ErrorCode code, std::string text);

class Session {
 public:
  // `total`, when given, must outlive the session.
  Session(std::uint64_t id, std::string user, Services& services, protocol::Limits limits, KeptLimits kept = {},
          KeptTotal* total = nullptr);
  ~Session();  // cancels its calls still running and releases its locks
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  std::uint64_t id() const { return id_; }
  const std::string& user() const { return user_; }
  protocol::OutgoingQueue& out() { return out_; }

  // A request from the client (anything but HELLO, which the socket handles). Replies go to out(), now or
  // when they are ready.
  void handle(protocol::Message request);
  // A reply that finished elsewhere (through the mailbox).
  void complete(std::uint32_t id, protocol::Message reply);
  // A new socket took the session over: what was queued for the old one is dropped, since the client
  // re-sends every request it has no final reply to and handle() answers finished ones from the kept
  // replies.
  void reattached();
  // Its socket went: nothing is queued for a socket until the next one takes the session over.
  void detached();

  std::chrono::steady_clock::time_point detached_at{};

 private:
  struct Request {
    std::uint64_t fingerprint = 0;
    protocol::Type type{};
    bool done = false;
    protocol::Message reply;
    CallId call = 0;                      // INVOKE: the backend's id for it
    std::vector<std::uint32_t> awaiting;  // AWAITs of this INVOKE waiting for its RESULT
  };

  void start(std::uint32_t id, protocol::ClientMessage request);
  void run(std::uint32_t id, protocol::Invoke& invoke);
  void run(std::uint32_t id, protocol::Await& await);
  void run(std::uint32_t id, protocol::Cancel& cancel);
  void run(std::uint32_t id, protocol::Upload& upload);
  void run(std::uint32_t id, protocol::FileUpload& upload);
  void run(std::uint32_t id, protocol::FileGet& get);
  void run(std::uint32_t id, protocol::Functions& functions);
  void run(std::uint32_t id, protocol::Ping& ping);
  void run(std::uint32_t id, protocol::Hello& hello);
  // Every STATE_* request, on the I/O pool.
  template <typename M>
  void run(std::uint32_t id, M& state_request);
  void send(std::uint32_t id, const protocol::Message& reply);
  void keep(std::uint32_t id);
  void forget_oldest();

  std::uint64_t id_;
  std::string user_;
  state::LockOwner lock_owner_;
  Services& services_;
  protocol::Limits limits_;
  KeptLimits kept_limits_;
  KeptTotal* kept_total_;
  protocol::OutgoingQueue out_;
  bool attached_ = true;
  std::map<std::uint32_t, Request> requests_;
  std::deque<std::uint32_t> finished_;  // kept replies, oldest first: the order they are forgotten in
  std::size_t kept_bytes_ = 0;
  std::size_t in_flight_ = 0;
  IdSet forgotten_;
};

}  // namespace faasmjs::gateway::transport
