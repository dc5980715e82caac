// faasmjs-gateway: the web app, the SDK and the WebSocket endpoint on one port, with the embedded single-node
// cluster behind it (docs/gateway.md). Options are in gateway_options.cpp; this file wires the components
// together in dependency order and takes them down in reverse on SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include "aot/aot_compiler.h"
#include "cluster/worker_pool.h"
#include "gateway_options.h"
#include "registry/function_registry.h"
#include "state/global_store.h"
#include "state/host_tier.h"
#include "state/state_locks.h"
#include "transport/gateway_server.h"

using namespace faasmjs::gateway;

namespace {

transport::GatewayServer* running_server = nullptr;

void on_signal(int) {
  if (running_server) running_server->stop();
}

void log_line(bool quiet, std::string_view line) {
  if (!quiet) std::fprintf(stderr, "faasmjs-gateway: %.*s\n", static_cast<int>(line.size()), line.data());
}

int fail_start(const std::string& what, const Error& error) {
  std::fprintf(stderr, "faasmjs-gateway: %s: %s\n", what.c_str(), error.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parse_options(argc, argv);
  if (!parsed) return parsed.error();
  const GatewayOptions& options = *parsed;
  auto log = [quiet = options.quiet](std::string_view line) { log_line(quiet, line); };

  auto store = state::GlobalStore::open(options.data_dir / "state");
  if (!store) return fail_start("state", store.error());
  auto locks = state::StateLocks::create();
  auto tier = state::HostTier::create(**store);
  auto compiler = aot::Compiler::create({options.cache_dir});
  if (!compiler) return fail_start("compiler", compiler.error());
  auto registry = registry::FunctionRegistry::open(
      {options.data_dir, options.functions_dir, options.asyncify_tool, log}, **compiler);
  if (!registry) return fail_start("functions", registry.error());
  auto cluster = cluster::create_cluster({options.limits, 256, options.worker_binary, **registry, **store, *tier, *locks, log});

  transport::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.web_root = options.web_root;
  server_options.sdk_dir = options.sdk_dir;
  server_options.functions_dir = (*registry)->browser_directory();
  server_options.limits = options.frames;
  server_options.token = options.token;
  server_options.users = options.users;
  server_options.resume_grace = options.resume_grace;
  transport::GatewayServer server(server_options, *cluster, **store, *locks, **registry);
  if (auto started = server.start(); !started) return fail_start("listen", started.error());

  running_server = &server;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);

  const auto names = (*registry)->names();
  log("faasm.js gateway " FAASMJS_VERSION);
  log("serving http://" + options.host + ":" + std::to_string(options.port) + "/ (web root " + options.web_root.string() +
      ", SDK at /sdk/ from " + options.sdk_dir.string() + ")");
  log("WebSocket ws://" + options.host + ":" + std::to_string(options.port) + "/ws, subprotocol faasmjs.v1");
  log(std::to_string(names.size()) + " function(s) registered" +
      (options.functions_dir ? " from " + options.functions_dir->string() : std::string()) + "; compiling in the background");
  log("data in " + options.data_dir.string() + ", compile cache in " + options.cache_dir.string() + "; " +
      std::to_string(cluster->workers()) + " calls at once");
  std::fflush(stderr);

  server.run();
  log("shutting down");
  running_server = nullptr;
  return 0;
}
