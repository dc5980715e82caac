#include "transport/server.h"

#include <libwebsockets.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <vector>

#include "transport/http_files.h"
#include "transport/mailbox.h"
#include "transport/serial_executor.h"
#include "transport/ws_protocol.h"

namespace faasmjs::gateway::transport {

namespace {

constexpr auto kSweepEvery = std::chrono::seconds(1);

}  // namespace

// lws timers are found again from their lws_sorted_usec_list_t with lws_container_of, which needs a
// standard-layout struct around it.
struct SweepTimer {
  lws_sorted_usec_list_t sul;
  GatewayServer::Impl* impl;
};

struct GatewayServer::Impl {
  ServerOptions options;
  HttpRoots roots;
  std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
  // Declared before the endpoint: sessions post their last lock releases to it as they end.
  SerialExecutor io;
  Services services;
  Endpoint endpoint;
  std::atomic<lws_context*> context{nullptr};
  std::atomic<bool> stopping{false};
  SweepTimer sweep_timer{{}, this};
  int socket_fd_limit = 0;  // accepted sockets from this descriptor number up are refused (start())
  lws_protocols protocols[3]{};

  Impl(ServerOptions o, Backend& backend, state::GlobalStore& store, state::StateLocks& locks,
       registry::FunctionRegistry& registry)
      : options(std::move(o)),
        roots{options.web_root, options.sdk_dir,
              [&registry](std::string_view name) { return registry.browser_file(name); }},
        io(options.io_threads),
        services{backend, store, locks, registry, io, mailbox},
        endpoint(
            {options.limits, options.token_key, options.jwt, options.allow_anonymous, options.owners, options.users,
             options.resume_grace, options.idle_timeout, "faasmjs-gateway " FAASMJS_VERSION, options.endpoint},
            services) {
    options.origins.tls = options.tls_cert.has_value();
  }
};

namespace {

GatewayServer::Impl& impl_of(lws* wsi) {
  return *static_cast<GatewayServer::Impl*>(lws_context_user(lws_get_context(wsi)));
}

constexpr char kNoCache[] = "cache-control: no-cache\r\n";

std::string header(lws* wsi, lws_token_indexes token) {
  const int length = lws_hdr_total_length(wsi, token);
  if (length <= 0) return {};
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  if (lws_hdr_copy(wsi, value.data(), length + 1, token) < 0) return {};
  value.resize(static_cast<std::size_t>(length));
  return value;
}

// A refusal as an HTTP status with one line of text/plain, so that a client (or a person with curl) learns
// why instead of seeing the connection drop. 0 once written, -1 if it could not be.
int answer_refusal(lws* wsi, unsigned int status, const std::string& reason) {
  const std::string body = reason + "\n";
  std::vector<unsigned char> buffer(LWS_PRE + 1024 + body.size());
  unsigned char* start = buffer.data() + LWS_PRE;
  unsigned char* at = start;
  unsigned char* end = buffer.data() + buffer.size();
  if (lws_add_http_common_headers(wsi, status, "text/plain; charset=utf-8", body.size(), &at, end) ||
      lws_finalize_http_header(wsi, &at, end)) {
    return -1;
  }
  std::memcpy(at, body.data(), body.size());
  at += body.size();
  const int size = static_cast<int>(at - start);
  return lws_write(wsi, start, static_cast<std::size_t>(size), LWS_WRITE_HTTP_HEADERS) == size ? 0 : -1;
}

bool names_subprotocol(std::string_view list, std::string_view wanted) {
  while (!list.empty()) {
    const std::size_t comma = std::min(list.find(','), list.size());
    std::string_view item = list.substr(0, comma);
    while (item.starts_with(' ')) item.remove_prefix(1);
    while (item.ends_with(' ')) item.remove_suffix(1);
    if (item == wanted) return true;
    list.remove_prefix(std::min(comma + 1, list.size()));
  }
  return false;
}

// Why a WebSocket handshake is refused (status and reason), or nullopt to let lws go on with it.
std::optional<std::pair<unsigned int, std::string>> refuse_upgrade(lws* wsi, const auth::OriginPolicy& origins) {
  const std::string host = header(wsi, WSI_TOKEN_HOST);
  if (auto refused = auth::refuse_host(origins, host)) return std::pair{HTTP_STATUS_FORBIDDEN, *refused};
  if (auto refused = auth::refuse_origin(origins, header(wsi, WSI_TOKEN_ORIGIN), host)) {
    return std::pair{HTTP_STATUS_FORBIDDEN, *refused};
  }
  if (header(wsi, WSI_TOKEN_GET_URI) != "/ws") {
    return std::pair{HTTP_STATUS_NOT_FOUND, std::string("the WebSocket endpoint is /ws")};
  }
  if (!names_subprotocol(header(wsi, WSI_TOKEN_PROTOCOL), protocol::kSubprotocol)) {
    return std::pair{HTTP_STATUS_BAD_REQUEST,
                     std::string("the WebSocket subprotocol must be ") + protocol::kSubprotocol};
  }
  return std::nullopt;
}

int serve_http(lws* wsi, const HttpRoots& roots, const char* uri) {
  auto file = resolve_http_file(roots, uri);
  if (!file) {
    if (lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, "not found")) return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
  }
  const std::string path = file->path.string();
  const int served = lws_serve_http_file(wsi, path.c_str(), file->mime.c_str(), kNoCache, sizeof kNoCache - 1);
  if (served < 0 || (served > 0 && lws_http_transaction_completed(wsi))) return -1;
  return 0;
}

// The HTTP protocol: files, and the refusal of any WebSocket upgrade that did not name faasmjs.v1 (lws
// offers those to the first protocol).
int http_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len) {
  switch (reason) {
    case LWS_CALLBACK_HTTP: {
      const GatewayServer::Impl& impl = impl_of(wsi);
      if (auto refused = auth::refuse_host(impl.options.origins, header(wsi, WSI_TOKEN_HOST))) {
        if (answer_refusal(wsi, HTTP_STATUS_FORBIDDEN, *refused) != 0) return -1;
        return lws_http_transaction_completed(wsi) ? -1 : 0;
      }
      return serve_http(wsi, impl.roots, static_cast<const char*>(in));
    }
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: {
      auto refused = refuse_upgrade(wsi, impl_of(wsi).options.origins);
      if (!refused) return 0;
      // > 0: answered here; lws completes the transaction.
      return answer_refusal(wsi, refused->first, refused->second) == 0 ? 1 : -1;
    }
    case LWS_CALLBACK_HTTP_FILE_COMPLETION:
      return lws_http_transaction_completed(wsi) ? -1 : 0;
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
      return -1;
    case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
      // Descriptors are allocated lowest first, so a socket's number tells how many are open: near the limit
      // it is refused, keeping a reserve for state writes and workers (and accept() never fails with EMFILE,
      // on which lws would retry at once, spinning).
      return static_cast<int>(reinterpret_cast<lws_intptr_t>(in)) >= impl_of(wsi).socket_fd_limit ? 1 : 0;
    default:
      return lws_callback_http_dummy(wsi, reason, user, in, len);
  }
}

int websocket_callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len) {
  return impl_of(wsi).endpoint.callback(wsi, reason, user, in, len);
}

void sweep(lws_sorted_usec_list_t* sul) {
  auto* impl = lws_container_of(sul, SweepTimer, sul)->impl;
  impl->endpoint.sweep();
  lws_sul_schedule(impl->context.load(), 0, &impl->sweep_timer.sul, sweep,
                   std::chrono::duration_cast<std::chrono::microseconds>(kSweepEvery).count());
}

}  // namespace

GatewayServer::GatewayServer(ServerOptions options, Backend& backend, state::GlobalStore& store,
                             state::StateLocks& locks, registry::FunctionRegistry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), backend, store, locks, registry)) {}

GatewayServer::~GatewayServer() {
  impl_->mailbox->close();
  if (lws_context* context = impl_->context.exchange(nullptr)) lws_context_destroy(context);
}

Expected<void> GatewayServer::start() {
  Impl& impl = *impl_;
  for (const auto& [what, dir] :
       {std::pair{"--web-root", impl.options.web_root}, std::pair{"--sdk", impl.options.sdk_dir}}) {
    if (!std::filesystem::is_directory(dir)) {
      return fail(ErrorCode::Internal, std::string(what) + " " + dir.string() + " is not a directory");
    }
  }
  for (const auto& [what, file] :
       {std::pair{"--tls-cert", impl.options.tls_cert}, std::pair{"--tls-key", impl.options.tls_key}}) {
    if (file && !std::ifstream(*file))
      return fail(ErrorCode::Internal, std::string(what) + " " + file->string() + " cannot be read");
  }
  // Sockets may use descriptors up to the hard limit, less a reserve for everything else.
  rlimit files{};
  getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  setrlimit(RLIMIT_NOFILE, &files);
  getrlimit(RLIMIT_NOFILE, &files);
  const auto descriptors = static_cast<int>(std::min<rlim_t>(files.rlim_cur, 1 << 30));
  impl.socket_fd_limit = descriptors - std::min(256, descriptors / 4);
  lws_set_log_level(LLL_ERR, nullptr);
  impl.protocols[0] = {"http", http_callback, 0, 0, 0, nullptr, 0};
  // rx_buffer_size: lws hands a frame over in pieces of this size; Endpoint joins them.
  impl.protocols[1] = {protocol::kSubprotocol, websocket_callback, sizeof(void*), 256 * 1024, 0, nullptr, 0};
  impl.protocols[2] = {nullptr, nullptr, 0, 0, 0, nullptr, 0};

  lws_context_creation_info info{};
  info.port = impl.options.port;
  info.iface = impl.options.host.c_str();
  info.protocols = impl.protocols;
  info.user = &impl;
  info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
  const std::string cert = impl.options.tls_cert.value_or("").string();
  const std::string key = impl.options.tls_key.value_or("").string();
  if (impl.options.tls_cert) {
    // https:// and wss:// on the one port, with OpenSSL; lws refuses plain connections to it.
    info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.ssl_cert_filepath = cert.c_str();
    info.ssl_private_key_filepath = key.c_str();
    // HTTP/1.1 only: the files' extra headers and the WebSocket upgrade are HTTP/1.1's (lws would offer h2).
    info.alpn = "http/1.1";
  }
  // ws-level ping/pong is not used (faasmjs.v1 has PING); lws's own timeouts bound handshakes.
  impl.context = lws_create_context(&info);
  if (impl.context.load() == nullptr || port() <= 0) {
    return fail(ErrorCode::Internal,
                "cannot listen on " + impl.options.host + ":" + std::to_string(impl.options.port) +
                    (impl.options.tls_cert
                         ? " (in use, not an address of this machine, or a TLS certificate and key that do not load?)"
                         : " (in use, or not an address of this machine?)"));
  }
  impl.options.origins.own = auth::own_origins(impl.options.host, port(), impl.options.origins.tls);
  impl.mailbox->open([context = impl.context.load()] { lws_cancel_service(context); });
  lws_sul_schedule(impl.context.load(), 0, &impl.sweep_timer.sul, sweep,
                   std::chrono::duration_cast<std::chrono::microseconds>(kSweepEvery).count());
  return {};
}

int GatewayServer::port() const {
  if (impl_->context == nullptr) return -1;
  lws_vhost* vhost = lws_get_vhost_by_name(impl_->context.load(), "default");
  return vhost ? lws_get_vhost_listen_port(vhost) : -1;
}

void GatewayServer::run() {
  while (!impl_->stopping.load()) {
    if (lws_service(impl_->context.load(), 0) < 0) break;
  }
  // Shutdown, bounded: later replies are dropped, every socket closes, every session ends.
  impl_->mailbox->close();
  lws_context_destroy(impl_->context.exchange(nullptr));
  impl_->endpoint.end_sessions();
}

void GatewayServer::stop() {
  impl_->stopping.store(true);
  if (lws_context* context = impl_->context.load()) lws_cancel_service(context);
}

}  // namespace faasmjs::gateway::transport
