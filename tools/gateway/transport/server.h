// faasmjs-gateway's one port (libwebsockets): the web app, the SDK and the function binaries over HTTP
// (http_files.h), and the wire protocol's WebSocket endpoint /ws with subprotocol faasmjs.v1
// (ws_protocol.h). One service thread runs every lws callback; state writes and uploads run on a small
// I/O pool; calls run in the backend; their replies come back through the mailbox.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "auth/function_owners.h"
#include "auth/jwt.h"
#include "auth/origin_policy.h"
#include "auth/token.h"
#include "common/backend.h"
#include "common/error.h"
#include "protocol/frame_header.h"
#include "registry/function_registry.h"
#include "state/global_store.h"
#include "state/state_locks.h"
#include "transport/session.h"

namespace faasmjs::gateway::transport {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::filesystem::path web_root;
  std::filesystem::path sdk_dir;  // served at /sdk/
  protocol::Limits limits;
  std::optional<auth::TokenKey> token_key;  // nullopt: no tokens (then jwt or allow_anonymous)
  std::optional<auth::JwtVerifier> jwt;
  bool allow_anonymous = false;
  auth::FunctionOwners* owners = nullptr;
  auth::OriginPolicy origins;                     // its tls is set from tls_cert
  std::optional<std::filesystem::path> tls_cert;  // with tls_key: https:// and wss:// on the port
  std::optional<std::filesystem::path> tls_key;
  std::set<std::string> users;  // empty: any well-formed user
  std::chrono::seconds resume_grace{30};
  std::chrono::seconds idle_timeout{90};
  std::size_t io_threads = 2;  // state writes (fsync) and uploads
  EndpointLimits endpoint;
};

class GatewayServer {
 public:
  GatewayServer(ServerOptions options, Backend& backend, state::GlobalStore& store, state::StateLocks& locks,
                registry::FunctionRegistry& registry);
  ~GatewayServer();
  GatewayServer(const GatewayServer&) = delete;
  GatewayServer& operator=(const GatewayServer&) = delete;

  // Listens; an error names what failed (a port in use, a missing directory).
  Expected<void> start();
  // The port listened on (the one asked for, or the one the system chose for port 0).
  int port() const;
  // Serves until stop(), then closes every socket and ends every session (their calls are cancelled,
  // their locks released) before returning.
  void run();
  // Safe from a signal handler and from any thread: only an atomic store and lws_cancel_service.
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace faasmjs::gateway::transport
