// The WebSocket endpoint of the wire protocol: the libwebsockets protocol "faasmjs.v1" (one callback,
// switch on the reason), the sockets it has open and the sessions behind them. Everything here runs on the
// lws service thread; replies finished elsewhere arrive through the Mailbox and are taken in deliver().
//
// A socket's life: ESTABLISHED (only /ws; lws refuses other subprotocols at the handshake) → RECEIVE
// fragments are joined into a frame (at most max_frame bytes: beyond that ERROR FrameTooLarge and close
// 1009) → FrameReader splits and joins chunked bodies → before HELLO everything is NotAuthenticated; HELLO
// proves who the client is (a token, or a declared user with --allow-anonymous) and attaches a new Session,
// or resumes one of the same user's → the session queues replies → SERVER_WRITEABLE writes one coalesced
// frame per call (never a write in RECEIVE) → CLOSED detaches the session, which waits --resume-grace.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "auth/function_owners.h"
#include "auth/jwt.h"
#include "auth/token.h"
#include "protocol/frame_header.h"
#include "transport/session.h"

struct lws;

namespace faasmjs::gateway::transport {

struct EndpointOptions {
  protocol::Limits limits;
  std::optional<auth::TokenKey> token_key;  // --token-key-file: HELLO may carry a token it signed
  std::optional<auth::JwtVerifier> jwt;     // --jwt-public-key: or a JWT of that key
  bool allow_anonymous = false;             // HELLO without a token is taken at its word (role upload)
  auth::FunctionOwners* owners = nullptr;   // who may replace which uploaded function
  std::set<std::string> users;              // empty: any well-formed user
  std::chrono::seconds resume_grace{30};
  std::chrono::seconds idle_timeout{90};
  std::string server_name;  // WELCOME.server
  EndpointLimits endpoint;
};

class Endpoint {
 public:
  Endpoint(EndpointOptions options, Services& services);
  ~Endpoint();
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // The protocol's lws callback; `user` is the per-socket slot (a Connection*).
  int callback(lws* wsi, int reason, void* user, void* in, std::size_t len);
  // Replies from the mailbox to their sessions, and the sockets that now have something to write.
  void deliver();
  // Ends sessions whose grace is over and closes sockets silent for idle_timeout.
  void sweep();
  // Shutdown: every session ends (calls cancelled, locks released). Sockets are gone by then.
  void end_sessions();

  std::size_t sessions() const { return sessions_.size(); }
  std::size_t connections() const { return connections_.size(); }

  struct Connection;

 private:
  void received(Connection& connection);
  void hello(Connection& connection, const protocol::Message& message);
  // nullopt when the connection's user may make this UPLOAD, else why not.
  std::optional<Error> refuse_upload(const Connection& connection, const protocol::Message& message);
  void detach(Connection& connection);
  void close_socket(Connection& connection);
  // Closes, with an ERROR naming the limit, a socket whose client lets its replies pile up.
  void bound_queue(Connection& connection);
  void end_session(std::uint64_t id);

  EndpointOptions options_;
  Services& services_;
  std::map<std::uint64_t, std::unique_ptr<Session>> sessions_;
  std::map<std::uint64_t, Connection*> attached_;  // session id → its socket
  std::set<Connection*> connections_;
  std::map<std::string, std::size_t> per_address_;  // open connections by remote address
  std::map<std::string, std::size_t> per_user_;     // sessions by user
  // Uploads by user in the last minute, oldest first; users with none are swept away.
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> uploads_;
  KeptTotal kept_total_;
};

}  // namespace faasmjs::gateway::transport
