// One client session of the wire protocol (docs/protocol.md), apart from its socket: the requests it made,
// their replies (kept for a resume), its locks and its calls. It lives on the WebSocket thread; work that
// finishes elsewhere (a call in the cluster, a state write on the executor, a granted lock) comes back
// through Services::post, addressed by session id, so that a session that is gone meanwhile is simply not
// found.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cluster/cluster.h"
#include "common/byte_io.h"
#include "protocol/frame_codec.h"
#include "registry/function_registry.h"
#include "state/global_store.h"
#include "state/state_locks.h"
#include "transport/serial_executor.h"

namespace faasmjs::gateway::transport {

using Bytes = std::vector<std::uint8_t>;

struct Reply {
  protocol::Type type;
  Bytes body;
};

struct Services {
  Cluster& cluster;
  state::GlobalStore& store;
  state::StateLocks& locks;
  registry::FunctionRegistry& registry;
  SerialExecutor& executor;
  // Delivers a reply to request `id` of session `session` on the WebSocket thread, from any thread.
  std::function<void(std::uint64_t session, std::uint32_t id, Reply reply)> post;
};

Reply error_reply(ErrorCode code, const std::string& message);

class Session {
 public:
  Session(std::uint64_t id, std::string user, Services& services, protocol::Limits limits);
  ~Session();  // cancels the session's calls in flight and releases its locks

  std::uint64_t id() const { return id_; }
  const std::string& user() const { return user_; }

  // A request from the client (anything but HELLO); replies go to `out`, now or when they are ready.
  void handle(protocol::Message message);
  // A reply that finished elsewhere (Services::post).
  void complete(std::uint32_t id, Reply reply);

  protocol::OutgoingQueue& out() { return out_; }
  // Called when a socket attaches again (a resume): what was queued for the old socket is sent again.
  void reattached();

  std::chrono::steady_clock::time_point detached_at{};

 private:
  struct Request {
    std::uint64_t fingerprint = 0;
    protocol::Type type{};
    bool done = false;
    Reply reply;
    CallId call = 0;                     // INVOKE: the cluster's id
    std::vector<std::uint32_t> awaiting;  // AWAITs of this INVOKE still waiting
  };

  void start(std::uint32_t id, protocol::Message& message);
  void invoke(std::uint32_t id, ByteReader& in);
  void await(std::uint32_t id, ByteReader& in);
  void cancel(std::uint32_t id, ByteReader& in);
  void state_request(std::uint32_t id, protocol::Type type, Bytes body);
  void lock(std::uint32_t id, ByteReader& in);
  void unlock(std::uint32_t id, ByteReader& in);
  void upload(std::uint32_t id, Bytes body);
  void send(std::uint32_t id, const Reply& reply);
  void keep(std::uint32_t id);

  std::uint64_t id_;
  std::string user_;
  std::uint64_t lock_owner_;
  Services& services_;
  protocol::Limits limits_;
  protocol::OutgoingQueue out_;
  std::map<std::uint32_t, Request> requests_;
  std::deque<std::uint32_t> finished_;  // oldest first: the order replies are forgotten in
  std::size_t kept_bytes_ = 0;
  std::set<std::uint32_t> forgotten_;
};

}  // namespace faasmjs::gateway::transport
