// faasmjs-gateway: the web app, the SDK and the WebSocket endpoint on one port, with the embedded single-node
// cluster behind it, or a Faasm cluster (--faasm). Options are in gateway_options.cpp; this file wires the components
// together in dependency order and takes them down in reverse on SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "aot/aot_compiler.h"
#include "auth/function_owners.h"
#include "auth/token.h"
#include "cluster/worker_pool.h"
#include "faasm/faasm_backend.h"
#include "faasm/faasm_state.h"
#include "gateway_options.h"
#include "registry/function_registry.h"
#include "state/data_lock.h"
#include "state/global_store.h"
#include "state/host_tier.h"
#include "state/state_locks.h"
#include "token_command.h"
#include "transport/server.h"

using namespace faasmjs::gateway;

namespace {

transport::GatewayServer* running_server = nullptr;

void on_signal(int) {
  // One stop is enough; a second signal during shutdown must not reach a context being destroyed.
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGTERM, SIG_IGN);
  if (running_server) running_server->stop();
}

int fail_start(const std::string& what, const Error& error) {
  std::fprintf(stderr, "faasmjs-gateway: %s: %s\n", what.c_str(), error.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "token") == 0) return token_command(argc - 1, argv + 1);
  auto parsed = parse_options(argc, argv);
  if (!parsed) return parsed.error();
  const GatewayOptions& options = *parsed;
  auto log = [quiet = options.quiet](std::string_view line) {
    if (!quiet) std::fprintf(stderr, "faasmjs-gateway: %.*s\n", static_cast<int>(line.size()), line.data());
  };

  // Before anything reads or writes DATA: a second gateway on the same folder would lose the first's writes.
  auto data_lock = state::DataLock::acquire(options.data_dir);
  if (!data_lock) {
    std::fprintf(stderr, "faasmjs-gateway: %s\n", data_lock.error().message.c_str());
    return 2;
  }
  std::optional<auth::TokenKey> token_key;
  if (options.token_key_file) {
    auto loaded = auth::TokenKey::load(*options.token_key_file);
    if (!loaded) return fail_start("--token-key-file", loaded.error());
    token_key = std::move(*loaded);
  }
  std::optional<auth::JwtVerifier> jwt;
  if (options.jwt_public_key) {
    auto loaded = auth::JwtVerifier::load(*options.jwt_public_key);
    if (!loaded) return fail_start("--jwt-public-key", loaded.error());
    jwt = std::move(*loaded);
  }
  auto owners = auth::FunctionOwners::open(options.data_dir / "function-owners");
  if (!owners) return fail_start("function owners", owners.error());
  // Where state lives. The embedded cluster keeps it in DATA/state; in front of Faasm it is Faasm's own (its Redis
  // in STATE_MODE=redis, else the upload server's /s/), so that browser functions and Faasm functions share it.
  std::unique_ptr<state::GlobalStore> store;
  std::unique_ptr<state::StateLocks> locks;
  if (options.faasm) {
    faasm::FaasmStateOptions state_options;
    state_options.locks.wait_timeout = options.lock_timeout;
    auto opened = faasm::open_faasm_state(options.faasm->redis, options.faasm->upload, state_options);
    if (!opened) return fail_start("Faasm's state", opened.error());
    store = std::move(opened->store);
    locks = std::move(opened->locks);
  } else {
    auto opened = state::GlobalStore::open(options.data_dir / "state");
    if (!opened) return fail_start("state", opened.error());
    store = std::move(*opened);
    locks = state::StateLocks::create(options.lock_timeout);
  }
  auto tier = state::HostTier::create(*store);
  auto compiler_options = options.compiler;
  compiler_options.log = log;
  auto compiler = aot::Compiler::create(compiler_options);
  if (!compiler) return fail_start("compiler", compiler.error());
  // In front of Faasm, its upload server compiles; the registry still makes and serves the browser variants.
  auto registry =
      registry::FunctionRegistry::open({options.data_dir, options.functions_dir, options.asyncify_tool, log,
                                        !options.faasm.has_value(), options.compile_tiers, options.watch_functions},
                                       **compiler);
  if (!registry) return fail_start("functions", registry.error());
  auto shared_files = registry::SharedFileStore::open(options.data_dir);
  if (!shared_files) return fail_start("shared files", shared_files.error());
  std::unique_ptr<Backend> cluster;
  if (options.faasm) {
    cluster =
        faasm::create_faasm_backend({options.faasm->planner, options.faasm->upload, options.limits, **registry, log});
  } else {
    cluster = cluster::create_cluster({options.limits, 256, options.worker_binary, **registry, **shared_files, *store,
                                       *tier, *locks, log, options.max_waiting_calls});
  }

  transport::ServerOptions server_options;
  server_options.host = options.host;
  server_options.port = options.port;
  server_options.web_root = options.web_root;
  server_options.sdk_dir = options.sdk_dir;
  server_options.limits = options.frames;
  server_options.token_key = token_key;
  server_options.jwt = jwt;
  server_options.allow_anonymous = options.allow_anonymous;
  server_options.owners = owners->get();
  server_options.origins.origins = options.allow_origins;
  server_options.origins.hosts = options.allow_hosts;
  server_options.tls_cert = options.tls_cert;
  server_options.tls_key = options.tls_key;
  server_options.users = options.users;
  server_options.resume_grace = options.resume_grace;
  server_options.idle_timeout = options.idle_timeout;
  server_options.endpoint = options.endpoint;
  transport::GatewayServer server(server_options, *cluster, *store, *locks, **registry);
  if (auto started = server.start(); !started) return fail_start("listen", started.error());

  running_server = &server;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);

  const std::string origin = options.host + ":" + std::to_string(server.port());
  const auto names = (*registry)->names();
  log("faasmjs-gateway " FAASMJS_VERSION);
  const bool tls = options.tls_cert.has_value();
  log(std::string("listening on ") + (tls ? "https://" : "http://") + origin + "/ (WebSocket " +
      (tls ? "wss://" : "ws://") + origin + "/ws, subprotocol faasmjs.v1)");
  if (options.allow_anonymous) {
    // Stderr even with --quiet: an operator must not miss that anyone may connect as anyone.
    std::fprintf(stderr,
                 "faasmjs-gateway: ANONYMOUS access allowed (--allow-anonymous): a client without a token "
                 "is whichever user it names\n");
  }
  log(std::string("clients: ") +
      (token_key ? "tokens signed with " + options.token_key_file->string() : "no fjs1 tokens") +
      (jwt ? ", " + jwt->algorithm() + " JWTs of " + options.jwt_public_key->string() : std::string()) +
      "; browser pages of this gateway's own origin" +
      (options.allow_origins.empty() ? std::string()
                                     : " and " + std::to_string(options.allow_origins.size()) + " --allow-origin"));
  log("web root " + options.web_root.string() + ", SDK at /sdk/ from " + options.sdk_dir.string());
  log(std::to_string(names.size()) + " function(s) registered" +
      (options.functions_dir ? " from " + options.functions_dir->string() : std::string()) +
      (names.empty() || options.faasm ? "" : ", compiling in the background"));
  if (options.faasm) {
    log("calls run on Faasm: planner " + options.faasm->planner + ", upload server " + options.faasm->upload + "; " +
        std::to_string(cluster->workers()) + " slot(s); state " +
        (options.faasm->redis
             ? "in Faasm's Redis at " + *options.faasm->redis
             : std::string("through the upload server (Faasm's STATE_MODE=inmemory: whole values only)")) +
        "; data in " + options.data_dir.string());
  } else {
    log("data in " + options.data_dir.string() + " (compile cache " + options.cache_dir.string() + "); " +
        std::to_string(cluster->workers()) + " worker(s)");
  }
  std::fflush(stderr);

  server.run();
  running_server = nullptr;
  log("stopped");
  return 0;
}
