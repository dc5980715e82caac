#include "transport/gateway_server.h"

#include <libwebsockets.h>

#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <vector>

#include "common/byte_io.h"

namespace faasmjs::gateway::transport {

using protocol::Type;

namespace {

constexpr auto kSweepEvery = std::chrono::seconds(5);

// What one WebSocket carries before and after its HELLO.
struct Connection {
  struct lws* wsi = nullptr;
  std::vector<std::uint8_t> rx;  // the frame being received (lws hands it over in fragments)
  bool oversized = false;        // the frame being received went over max_frame: close once ERROR is out
  bool closing = false;
  protocol::FrameReader reader;
  protocol::OutgoingQueue before_hello;  // errors for a socket that has no session yet
  Session* session = nullptr;
  std::chrono::steady_clock::time_point last_heard = std::chrono::steady_clock::now();

  explicit Connection(protocol::Limits limits) : reader(limits), before_hello(limits) {}
  protocol::OutgoingQueue& out() { return session ? session->out() : before_hello; }
};

struct Delivery {
  std::uint64_t session;
  std::uint32_t id;
  Reply reply;
};

bool valid_user(const std::string& user) {
  static const std::regex pattern("[A-Za-z0-9_-]{1,64}");
  return std::regex_match(user, pattern);
}

}  // namespace

struct GatewayServer::Impl {
  ServerOptions options;
  SerialExecutor executor{2};
  Services services;
  struct lws_context* context = nullptr;
  std::atomic<bool> stopping{false};
  std::mutex inbox_mutex;
  std::vector<Delivery> inbox;
  std::map<std::uint64_t, std::unique_ptr<Session>> sessions;
  std::map<std::uint64_t, Connection*> attached;  // session id → its socket
  std::set<Connection*> connections;
  std::mt19937_64 random{std::random_device{}()};
  lws_sorted_usec_list_t sweep{};

  // Mount tables and MIME types must outlive the context.
  std::vector<lws_protocol_vhost_options> mime;
  lws_http_mount mounts[3]{};
  std::string web_root, sdk_dir, functions_dir;
  lws_protocols protocols[3]{};

  Impl(ServerOptions o, Cluster& cluster, state::GlobalStore& store, state::StateLocks& locks,
       registry::FunctionRegistry& registry)
      : options(std::move(o)),
        services{cluster, store, locks, registry, executor,
                 [this](std::uint64_t session, std::uint32_t id, Reply reply) { post(session, id, std::move(reply)); }} {}

  void post(std::uint64_t session, std::uint32_t id, Reply reply) {
    {
      std::lock_guard lock(inbox_mutex);
      inbox.push_back({session, id, std::move(reply)});
    }
    if (context) lws_cancel_service(context);
  }

  void deliver() {
    std::vector<Delivery> ready;
    {
      std::lock_guard lock(inbox_mutex);
      ready.swap(inbox);
    }
    for (auto& delivery : ready) {
      auto found = sessions.find(delivery.session);
      if (found == sessions.end()) continue;
      found->second->complete(delivery.id, std::move(delivery.reply));
      if (auto socket = attached.find(delivery.session); socket != attached.end()) {
        lws_callback_on_writable(socket->second->wsi);
      }
    }
  }

  void hello(Connection& conn, const protocol::Message& message) {
    ByteReader in(message.body);
    const std::uint16_t version = in.u16();
    const std::string user = in.str();
    const std::string token = in.str();
    const std::uint64_t resume = in.u64();
    auto refuse = [&](ErrorCode code, const std::string& why) {
      const Reply reply = error_reply(code, why);
      conn.before_hello.push(reply.type, message.id, reply.body);
    };
    if (!in.done()) return refuse(ErrorCode::BadFrame, "HELLO body does not decode");
    if (version != protocol::kVersion) {
      return refuse(ErrorCode::BadVersion, "this gateway speaks version " + std::to_string(protocol::kVersion) +
                                               ", not " + std::to_string(version));
    }
    if (!valid_user(user)) return refuse(ErrorCode::BadUser, "user '" + user.substr(0, 80) + "' is not 1-64 characters of A-Z, a-z, 0-9, _ and -");
    if (!options.users.empty() && !options.users.contains(user)) {
      return refuse(ErrorCode::BadUser, "user '" + user + "' is not allowed on this gateway");
    }
    if (token != options.token) return refuse(ErrorCode::BadToken, "the token does not match this gateway's");
    bool resumed = false;
    Session* session = nullptr;
    if (auto found = sessions.find(resume); resume != 0 && found != sessions.end() && found->second->user() == user) {
      session = found->second.get();
      resumed = true;
      if (auto old = attached.find(resume); old != attached.end()) {
        old->second->session = nullptr;
        old->second->closing = true;
        lws_callback_on_writable(old->second->wsi);
      }
      session->reattached();
    } else {
      std::uint64_t id = 0;
      while (id == 0 || sessions.contains(id)) id = random();
      auto created = std::make_unique<Session>(id, user, services, options.limits);
      session = created.get();
      sessions.emplace(id, std::move(created));
    }
    conn.session = session;
    attached[session->id()] = &conn;
    std::vector<std::uint8_t> body;
    ByteWriter out(body);
    out.u16(protocol::kVersion);
    out.u64(session->id());
    out.u8(resumed ? 1 : 0);
    out.u32(static_cast<std::uint32_t>(options.limits.max_frame));
    out.u32(static_cast<std::uint32_t>(options.limits.chunk_size));
    out.u32(static_cast<std::uint32_t>(options.limits.max_body));
    out.u32(static_cast<std::uint32_t>(services.cluster.workers()));
    out.str("faasmjs-gateway " FAASMJS_VERSION);
    // Queued on the session ahead of what the client re-sends.
    session->out().push(Type::Welcome, message.id, std::move(body));
  }

  void received(Connection& conn) {
    std::vector<protocol::Message> messages;
    std::vector<protocol::FrameProblem> problems;
    conn.reader.read(conn.rx, messages, problems);
    conn.rx.clear();
    for (auto& problem : problems) {
      const Reply reply = error_reply(problem.code, problem.message);
      conn.out().push(reply.type, problem.id, reply.body);
    }
    for (auto& message : messages) {
      if (message.type == Type::Hello && conn.session == nullptr) {
        hello(conn, message);
      } else if (conn.session == nullptr) {
        const Reply reply = error_reply(ErrorCode::NotAuthenticated, "say HELLO first");
        conn.before_hello.push(reply.type, message.id, reply.body);
      } else {
        conn.session->handle(std::move(message));
      }
    }
  }

  void detach(Connection& conn) {
    if (conn.session) {
      conn.session->detached_at = std::chrono::steady_clock::now();
      attached.erase(conn.session->id());
      conn.session = nullptr;
    }
  }

  // Sessions whose grace is over end (their calls are cancelled, their locks released); silent sockets close.
  void sweep_now() {
    const auto now = std::chrono::steady_clock::now();
    for (auto it = sessions.begin(); it != sessions.end();) {
      const bool gone = !attached.contains(it->first) && now - it->second->detached_at > options.resume_grace;
      it = gone ? sessions.erase(it) : std::next(it);
    }
    for (Connection* conn : connections) {
      if (now - conn->last_heard > options.idle_timeout) {
        conn->closing = true;
        lws_callback_on_writable(conn->wsi);
      }
    }
  }

  int on_websocket(struct lws* wsi, enum lws_callback_reasons reason, void* user, void* in, std::size_t len) {
    auto** slot = static_cast<Connection**>(user);
    Connection* conn = slot ? *slot : nullptr;
    switch (reason) {
      case LWS_CALLBACK_ESTABLISHED:
        *slot = new Connection(options.limits);
        (*slot)->wsi = wsi;
        connections.insert(*slot);
        return 0;
      case LWS_CALLBACK_RECEIVE: {
        if (!conn) return -1;
        conn->last_heard = std::chrono::steady_clock::now();
        if (!lws_frame_is_binary(wsi)) {
          if (lws_is_final_fragment(wsi)) {
            const Reply reply = error_reply(ErrorCode::BadFrame, "text messages are not part of faasmjs.v1: send binary frames");
            conn->out().push(reply.type, 0, reply.body);
            lws_callback_on_writable(wsi);
          }
          return 0;
        }
        if (!conn->oversized) {
          if (conn->rx.size() + len > options.limits.max_frame) {
            conn->oversized = true;
            conn->rx.clear();
            const Reply reply = error_reply(ErrorCode::FrameTooLarge, "a frame over " + std::to_string(options.limits.max_frame) + " bytes; closing");
            conn->out().push(reply.type, 0, reply.body);
          } else {
            auto* bytes = static_cast<const std::uint8_t*>(in);
            conn->rx.insert(conn->rx.end(), bytes, bytes + len);
          }
        }
        if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
          if (conn->oversized) {
            conn->closing = true;
          } else {
            received(*conn);
          }
        }
        if (!conn->out().empty() || conn->closing) lws_callback_on_writable(wsi);
        return 0;
      }
      case LWS_CALLBACK_SERVER_WRITEABLE: {
        if (!conn) return -1;
        auto frame = conn->out().next_frame();
        if (!frame.empty()) {
          std::vector<std::uint8_t> buffer(LWS_PRE + frame.size());
          std::memcpy(buffer.data() + LWS_PRE, frame.data(), frame.size());
          if (lws_write(wsi, buffer.data() + LWS_PRE, frame.size(), LWS_WRITE_BINARY) < static_cast<int>(frame.size())) {
            return -1;
          }
        }
        if (!conn->out().empty()) {
          lws_callback_on_writable(wsi);
        } else if (conn->closing) {
          lws_close_reason(wsi, conn->oversized ? LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE : LWS_CLOSE_STATUS_NORMAL, nullptr, 0);
          return -1;
        }
        return 0;
      }
      case LWS_CALLBACK_CLOSED:
        if (conn) {
          detach(*conn);
          connections.erase(conn);
          delete conn;
          *slot = nullptr;
        }
        return 0;
      default:
        return 0;
    }
  }
};

namespace {

GatewayServer::Impl& impl_of(struct lws* wsi) {
  return *static_cast<GatewayServer::Impl*>(lws_context_user(lws_get_context(wsi)));
}

int websocket_callback(struct lws* wsi, enum lws_callback_reasons reason, void* user, void* in, std::size_t len) {
  return impl_of(wsi).on_websocket(wsi, reason, user, in, len);
}

// The HTTP protocol also sees every WebSocket handshake: only /ws with the faasmjs.v1 subprotocol upgrades.
int http_callback(struct lws* wsi, enum lws_callback_reasons reason, void* user, void* in, std::size_t len) {
  if (reason == LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION) return -1;
  if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) {
    impl_of(wsi).deliver();
    return 0;
  }
  return lws_callback_http_dummy(wsi, reason, user, in, len);
}

int filter_websocket(struct lws* wsi) {
  char uri[64] = {0};
  if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) < 0) return -1;
  return std::strcmp(uri, "/ws") == 0 ? 0 : -1;
}

int websocket_entry(struct lws* wsi, enum lws_callback_reasons reason, void* user, void* in, std::size_t len) {
  if (reason == LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION) return filter_websocket(wsi);
  return websocket_callback(wsi, reason, user, in, len);
}

GatewayServer::Impl* sweeping = nullptr;  // the one server of this process: its sweep timer's owner

void sweep_callback(lws_sorted_usec_list_t*) {
  auto* impl = sweeping;
  impl->sweep_now();
  lws_sul_schedule(impl->context, 0, &impl->sweep, sweep_callback,
                   std::chrono::duration_cast<std::chrono::microseconds>(kSweepEvery).count());
}

}  // namespace

GatewayServer::GatewayServer(ServerOptions options, Cluster& cluster, state::GlobalStore& store,
                             state::StateLocks& locks, registry::FunctionRegistry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), cluster, store, locks, registry)) {}

GatewayServer::~GatewayServer() {
  if (impl_->context) lws_context_destroy(impl_->context);
  impl_->sessions.clear();
}

Expected<void> GatewayServer::start() {
  Impl& impl = *impl_;
  for (const auto& [what, dir] : {std::pair{"--web-root", impl.options.web_root}, std::pair{"--sdk", impl.options.sdk_dir}}) {
    if (!std::filesystem::is_directory(dir)) {
      return fail(ErrorCode::Internal, std::string(what) + " " + dir.string() + " is not a directory");
    }
  }
  lws_set_log_level(LLL_ERR, nullptr);
  static const char* const kTypes[][2] = {
      {".wasm", "application/wasm"}, {".mjs", "text/javascript"}, {".js", "text/javascript"},
      {".json", "application/json"}, {".ts", "text/plain"},       {".md", "text/markdown"},
  };
  impl.mime.resize(std::size(kTypes));
  for (std::size_t i = 0; i < std::size(kTypes); ++i) {
    impl.mime[i] = {i + 1 < std::size(kTypes) ? &impl.mime[i + 1] : nullptr, nullptr, kTypes[i][0], kTypes[i][1]};
  }
  impl.web_root = impl.options.web_root.string();
  impl.sdk_dir = impl.options.sdk_dir.string();
  impl.functions_dir = impl.options.functions_dir.string();
  const std::pair<const char*, const std::string*> mounts[] = {
      {"/sdk", &impl.sdk_dir}, {"/functions", &impl.functions_dir}, {"/", &impl.web_root}};
  for (std::size_t i = 0; i < 3; ++i) {
    lws_http_mount& mount = impl.mounts[i];
    mount.mount_next = i + 1 < 3 ? &impl.mounts[i + 1] : nullptr;
    mount.mountpoint = mounts[i].first;
    mount.mountpoint_len = static_cast<unsigned char>(std::strlen(mounts[i].first));
    mount.origin = mounts[i].second->c_str();
    mount.def = "index.html";
    mount.origin_protocol = LWSMPRO_FILE;
    mount.extra_mimetypes = impl.mime.data();
    mount.cache_max_age = 0;
    mount.cache_revalidate = 1;
  }
  impl.protocols[0] = {"http", http_callback, 0, 0, 0, nullptr, 0};
  impl.protocols[1] = {protocol::kSubprotocol, websocket_entry, sizeof(Connection*), 64 * 1024, 0, nullptr, 0};
  impl.protocols[2] = {nullptr, nullptr, 0, 0, 0, nullptr, 0};

  lws_context_creation_info info{};
  info.port = impl.options.port;
  info.iface = impl.options.host.c_str();
  info.protocols = impl.protocols;
  info.mounts = impl.mounts;
  info.user = &impl;
  info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
  info.pt_serv_buf_size = 256 * 1024;
  impl.context = lws_create_context(&info);
  if (impl.context == nullptr) {
    return fail(ErrorCode::Internal, "cannot listen on " + impl.options.host + ":" + std::to_string(impl.options.port) +
                                         " (in use, or not an address of this machine?)");
  }
  sweeping = &impl;
  lws_sul_schedule(impl.context, 0, &impl.sweep, sweep_callback,
                   std::chrono::duration_cast<std::chrono::microseconds>(kSweepEvery).count());
  return {};
}

void GatewayServer::run() {
  while (!impl_->stopping.load()) {
    if (lws_service(impl_->context, 0) < 0) break;
  }
}

void GatewayServer::stop() {
  impl_->stopping.store(true);
  if (impl_->context) lws_cancel_service(impl_->context);
}

}  // namespace faasmjs::gateway::transport
