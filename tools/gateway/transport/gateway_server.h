// The gateway's one port (libwebsockets): the web app, the SDK and the function binaries over HTTP, and the
// wire protocol's WebSocket endpoint /ws (subprotocol faasmjs.v1). Everything touching sockets and sessions
// runs on the service thread; other threads hand results over with post(), which wakes it with
// lws_cancel_service (the only lws call that is safe from them).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "common/error.h"
#include "protocol/frame_codec.h"
#include "transport/session.h"

namespace faasmjs::gateway::transport {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::filesystem::path web_root;
  std::filesystem::path sdk_dir;        // served at /sdk/
  std::filesystem::path functions_dir;  // served at /functions/ (the registry's browser files)
  protocol::Limits limits;
  std::string token;
  std::set<std::string> users;  // empty: any well-formed user
  std::chrono::seconds resume_grace{30};
  std::chrono::seconds idle_timeout{90};
};

class GatewayServer {
 public:
  GatewayServer(ServerOptions options, Cluster& cluster, state::GlobalStore& store, state::StateLocks& locks,
                registry::FunctionRegistry& registry);
  ~GatewayServer();

  // Listens; an error names what failed (a port in use, a missing directory).
  Expected<void> start();
  // Serves until stop() (safe from a signal handler), then closes every connection.
  void run();
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace faasmjs::gateway::transport
