#include "transport/ws_protocol.h"

#include <libwebsockets.h>
#include <openssl/rand.h>

#include <cstring>

#include "protocol/frame_reader.h"

namespace faasmjs::gateway::transport {

using namespace protocol;

struct Endpoint::Connection {
  lws* wsi = nullptr;
  Bytes rx;                  // the frame being received: lws hands it over in fragments
  bool oversized = false;    // it went over max_frame: ERROR FrameTooLarge, then close 1009
  bool closing = false;      // close once what is queued is written
  bool client_done = false;  // the client closed with 1000: its session ends with the socket
  FrameReader reader;
  OutgoingQueue own;  // for a socket without a session: errors before HELLO
  Session* session = nullptr;
  auth::Role role = auth::Role::Invoke;  // what HELLO proved; the session's user is who
  std::chrono::steady_clock::time_point opened = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_heard = opened;
  std::string address;  // the remote address, as counted in per_address_

  explicit Connection(const Limits& limits) : reader(limits), own(limits) {}
  OutgoingQueue& out() { return session ? session->out() : own; }
  void queue_error(std::uint32_t id, ErrorCode code, std::string text) {
    Message error = error_message(code, std::move(text));
    error.id = id;
    out().push(std::move(error));
  }
};

namespace {

constexpr std::chrono::minutes kUploadWindow{1};  // of --uploads-per-minute

struct Identity {
  std::string user;
  auth::Role role;
};

// Session ids are handles, not secrets (resuming also needs the session's user, proved again), but they
// must not be guessable either: from the system's CSPRNG, never 0.
std::optional<std::uint64_t> random_session_id() {
  std::uint64_t id = 0;
  while (id == 0) {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&id), sizeof id) != 1) return std::nullopt;
  }
  return id;
}

}  // namespace

Endpoint::Endpoint(EndpointOptions options, Services& services)
    : options_(std::move(options)), services_(services), kept_total_(options_.endpoint.kept_total) {}

Endpoint::~Endpoint() { end_sessions(); }

void Endpoint::end_sessions() {
  for (Connection* connection : connections_) connection->session = nullptr;
  attached_.clear();
  sessions_.clear();
  per_user_.clear();
}

void Endpoint::end_session(std::uint64_t id) {
  auto found = sessions_.find(id);
  if (found == sessions_.end()) return;
  if (auto user = per_user_.find(found->second->user()); user != per_user_.end() && --user->second == 0) {
    per_user_.erase(user);
  }
  sessions_.erase(found);
}

void Endpoint::bound_queue(Connection& connection) {
  const std::size_t queued = connection.out().pending_bytes();
  if (connection.closing || queued <= options_.limits.max_queued) return;
  // The session stays (its replies are kept for a resume); what was queued for this socket goes.
  detach(connection);
  connection.own = OutgoingQueue(options_.limits);
  connection.queue_error(0, ErrorCode::LimitExceeded,
                         std::to_string(queued) + " bytes of replies wait for this client, over the limit of " +
                             std::to_string(options_.limits.max_queued) + "; closing");
  close_socket(connection);
}

void Endpoint::deliver() {
  for (auto& delivery : services_.mailbox->take()) {
    auto session = sessions_.find(delivery.session);
    if (session == sessions_.end()) continue;  // ended meanwhile: nobody is left to tell
    session->second->complete(delivery.id, std::move(delivery.reply));
    if (auto socket = attached_.find(delivery.session); socket != attached_.end()) {
      Connection& connection = *socket->second;
      bound_queue(connection);
      lws_callback_on_writable(connection.wsi);
    }
  }
}

void Endpoint::sweep() {
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::uint64_t> expired;
  for (const auto& [id, session] : sessions_) {
    if (!attached_.contains(id) && now - session->detached_at >= options_.resume_grace) expired.push_back(id);
  }
  for (const std::uint64_t id : expired) end_session(id);
  std::erase_if(uploads_,
                [&](const auto& entry) { return entry.second.empty() || now - entry.second.back() >= kUploadWindow; });
  for (Connection* connection : connections_) {
    if (connection->closing) continue;
    if (connection->session == nullptr && now - connection->opened >= options_.endpoint.hello_timeout) {
      connection->queue_error(0, ErrorCode::NotAuthenticated,
                              "no successful HELLO within " + std::to_string(options_.endpoint.hello_timeout.count()) +
                                  " s of connecting (the limit); closing");
      close_socket(*connection);
    } else if (now - connection->last_heard >= options_.idle_timeout) {
      close_socket(*connection);
    }
  }
}

void Endpoint::close_socket(Connection& connection) {
  connection.closing = true;
  lws_callback_on_writable(connection.wsi);
}

void Endpoint::detach(Connection& connection) {
  if (connection.session == nullptr) return;
  connection.session->detached();
  attached_.erase(connection.session->id());
  connection.session = nullptr;
}

void Endpoint::hello(Connection& connection, const Message& message) {
  auto refuse = [&](ErrorCode code, std::string why) { connection.queue_error(message.id, code, std::move(why)); };
  auto hello = decode_body<Hello>(message.body);
  if (!hello) return refuse(ErrorCode::BadFrame, "the body of HELLO does not decode");
  if (hello->version != kVersion) {
    return refuse(ErrorCode::BadVersion, "this gateway speaks faasmjs.v1 version " + std::to_string(kVersion) +
                                             ", not " + std::to_string(hello->version));
  }
  Identity identity;
  if (!hello->token.empty()) {
    const bool jwt = options_.jwt && (auth::looks_like_jwt(hello->token) || !options_.token_key);
    if (!jwt && !options_.token_key) {
      return refuse(ErrorCode::BadToken,
                    "this gateway takes no tokens (it has no --token-key-file or --jwt-public-key)");
    }
    auto proved = jwt ? options_.jwt->verify(hello->token, auth::unix_now())
                      : options_.token_key->verify(hello->token, auth::unix_now());
    if (!proved) return refuse(proved.error().code, proved.error().message);
    // The token names the user: HELLO may leave it empty, never name another one.
    if (!hello->user.empty() && hello->user != proved->user) {
      return refuse(ErrorCode::BadUser,
                    "HELLO names user '" + hello->user.substr(0, 80) + "' but the token is for '" + proved->user + "'");
    }
    identity = {proved->user, proved->role};
  } else {
    if (!options_.allow_anonymous) {
      return refuse(ErrorCode::BadToken, "this gateway needs a token in HELLO (faasmjs-gateway token mints one)");
    }
    if (!auth::valid_user(hello->user)) {
      return refuse(ErrorCode::BadUser,
                    "a user is 1-64 characters of A-Z, a-z, 0-9 and -; got '" + hello->user.substr(0, 80) + "'");
    }
    identity = {hello->user, auth::Role::Upload};
  }
  if (!options_.users.empty() && !options_.users.contains(identity.user)) {
    return refuse(ErrorCode::BadUser, "user '" + identity.user + "' is not one of this gateway's --users");
  }
  Session* session = nullptr;
  bool resumed = false;
  auto found = sessions_.find(hello->session);
  // Another user's session id is treated as unknown: a new session, and nothing said about the other one.
  if (hello->session != 0 && found != sessions_.end() && found->second->user() == identity.user) {
    session = found->second.get();
    resumed = true;
    // A socket the client gave up on may still be open here: it loses the session and closes.
    if (auto old = attached_.find(session->id()); old != attached_.end()) {
      old->second->session = nullptr;
      close_socket(*old->second);
    }
    session->reattached();
  } else {
    if (sessions_.size() >= options_.endpoint.max_sessions) {
      return refuse(ErrorCode::LimitExceeded,
                    "this gateway has " + std::to_string(sessions_.size()) + " sessions, its limit (--max-sessions)");
    }
    if (auto& of_user = per_user_[identity.user]; of_user >= options_.endpoint.max_sessions_per_user) {
      return refuse(ErrorCode::LimitExceeded, "user '" + identity.user + "' has " + std::to_string(of_user) +
                                                  " sessions, the limit per user (--max-sessions-per-user)");
    }
    std::optional<std::uint64_t> id;
    do {
      id = random_session_id();
      if (!id) return refuse(ErrorCode::Internal, "the system gave no random bytes for a session id");
    } while (sessions_.contains(*id));
    ++per_user_[identity.user];
    auto created =
        std::make_unique<Session>(*id, identity.user, services_, options_.limits, options_.endpoint.kept, &kept_total_);
    session = created.get();
    sessions_.emplace(*id, std::move(created));
  }
  connection.role = identity.role;
  connection.session = session;
  attached_[session->id()] = &connection;
  // First in the session's queue, ahead of the replies to what the client re-sends.
  session->out().push(encode(
      message.id, Welcome{kVersion, session->id(), resumed, static_cast<std::uint32_t>(options_.limits.max_frame),
                          static_cast<std::uint32_t>(options_.limits.chunk_size),
                          static_cast<std::uint32_t>(options_.limits.max_body),
                          static_cast<std::uint32_t>(services_.backend.workers()), options_.server_name}));
}

std::optional<Error> Endpoint::refuse_upload(const Connection& connection, const Message& message) {
  if (!auth::may_upload(connection.role)) {
    return Error{ErrorCode::Forbidden, "user '" + connection.session->user() + "' has role invoke: " +
                                           type_name(message.type) + " needs a token with role upload or admin"};
  }
  // A shared file: the same role and the same size limit as a function's binary.
  if (message.type == Type::FileUpload) {
    auto file = decode_body<FileUpload>(message.body);
    if (file && file->data.size() > options_.endpoint.max_upload_bytes) {
      return Error{ErrorCode::LimitExceeded, "a shared file of " + std::to_string(file->data.size()) +
                                                 " bytes is over the upload size limit of " +
                                                 std::to_string(options_.endpoint.max_upload_bytes) +
                                                 " (--max-upload-bytes)"};
    }
    return std::nullopt;
  }
  // A body that does not decode is the session's to answer (BadFrame), like any other.
  auto upload = decode_body<Upload>(message.body);
  if (!upload) return std::nullopt;
  const EndpointLimits& limits = options_.endpoint;
  if (upload->wasm.size() > limits.max_upload_bytes) {
    return Error{ErrorCode::LimitExceeded, "a module of " + std::to_string(upload->wasm.size()) +
                                               " bytes is over the upload size limit of " +
                                               std::to_string(limits.max_upload_bytes) + " (--max-upload-bytes)"};
  }
  const std::string& user = connection.session->user();
  const auto now = std::chrono::steady_clock::now();
  auto& recent = uploads_[user];
  while (!recent.empty() && now - recent.front() >= kUploadWindow) recent.pop_front();
  if (recent.size() >= limits.uploads_per_minute) {
    return Error{ErrorCode::LimitExceeded, "user '" + user + "' made " + std::to_string(recent.size()) +
                                               " uploads in the last minute, the limit (--uploads-per-minute " +
                                               std::to_string(limits.uploads_per_minute) + ")"};
  }
  if (options_.owners != nullptr) {
    auto claimed = options_.owners->claim(upload->function, user, connection.role == auth::Role::Admin,
                                          services_.registry.find(upload->function) != nullptr);
    if (!claimed) return claimed.error();
  }
  recent.push_back(now);
  return std::nullopt;
}

void Endpoint::received(Connection& connection) {
  std::vector<Message> messages;
  std::vector<FrameProblem> problems;
  connection.reader.read(connection.rx, messages, problems);
  connection.rx = Bytes();
  for (auto& problem : problems) connection.queue_error(problem.id, problem.code, std::move(problem.message));
  for (auto& message : messages) {
    if (connection.session != nullptr) {
      if (message.type == Type::Upload || message.type == Type::FileUpload) {
        if (auto refused = refuse_upload(connection, message)) {
          connection.queue_error(message.id, refused->code, std::move(refused->message));
          continue;
        }
      }
      connection.session->handle(std::move(message));
    } else if (message.type == Type::Hello) {
      hello(connection, message);
    } else {
      connection.queue_error(message.id, ErrorCode::NotAuthenticated,
                             type_name(message.type) + " before a successful HELLO: say HELLO first");
    }
  }
  bound_queue(connection);
}

int Endpoint::callback(lws* wsi, int reason, void* user, void* in, std::size_t len) {
  auto** slot = static_cast<Connection**>(user);
  Connection* connection = slot ? *slot : nullptr;
  switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION: {
      // The HTTP protocol's CONFIRM_UPGRADE has answered wrong paths, origins and hosts with a status; this
      // is the last word, should lws ever reach here otherwise.
      char uri[16] = {0};
      if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0) return -1;
      return std::strcmp(uri, "/ws") == 0 ? 0 : -1;
    }
    case LWS_CALLBACK_ESTABLISHED: {
      char address[64] = {0};
      lws_get_peer_simple(wsi, address, sizeof address);
      const std::size_t from_address = per_address_[address]++;
      const std::size_t open = connections_.size();
      *slot = new Connection(options_.limits);
      (*slot)->wsi = wsi;
      (*slot)->address = address;
      connections_.insert(*slot);
      // Over a limit: told why, then closed (refused sockets count until they are gone).
      if (open >= options_.endpoint.max_connections) {
        (*slot)->queue_error(
            0, ErrorCode::LimitExceeded,
            "this gateway has " + std::to_string(open) + " connections, its limit (--max-connections); closing");
        close_socket(**slot);
      } else if (from_address >= options_.endpoint.max_connections_per_address) {
        (*slot)->queue_error(0, ErrorCode::LimitExceeded,
                             std::to_string(from_address) + " connections are open from " + address +
                                 ", the limit per address (--max-connections-per-address); closing");
        close_socket(**slot);
      }
      return 0;
    }

    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
      deliver();
      return 0;

    case LWS_CALLBACK_RECEIVE: {
      if (connection == nullptr || connection->closing) return 0;
      connection->last_heard = std::chrono::steady_clock::now();
      const bool message_ends = lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0;
      if (!lws_frame_is_binary(wsi)) {
        // A text message: read to its end, answered once, dropped.
        if (message_ends)
          connection->queue_error(0, ErrorCode::BadFrame, "a text message: faasmjs.v1 frames are binary");
      } else if (connection->rx.size() + len > options_.limits.max_frame) {
        // The rest of the frame is not read: the connection closes (docs/protocol.md), since the frame may
        // have been cut and what follows cannot be trusted to start a message.
        connection->oversized = true;
        connection->rx = Bytes();
        connection->queue_error(
            0, ErrorCode::FrameTooLarge,
            "a frame over " + std::to_string(options_.limits.max_frame) + " bytes (WELCOME's maxFrame); closing");
        connection->closing = true;
      } else {
        const auto* bytes = static_cast<const std::uint8_t*>(in);
        connection->rx.insert(connection->rx.end(), bytes, bytes + len);
        if (message_ends) received(*connection);
      }
      if (!connection->out().empty() || connection->closing) lws_callback_on_writable(wsi);
      return 0;
    }

    case LWS_CALLBACK_SERVER_WRITEABLE: {
      if (connection == nullptr) return -1;
      Bytes frame = connection->out().next_frame(LWS_PRE);
      if (!frame.empty()) {
        const std::size_t size = frame.size() - LWS_PRE;
        if (lws_write(wsi, frame.data() + LWS_PRE, size, LWS_WRITE_BINARY) < static_cast<int>(size)) return -1;
      }
      if (!connection->out().empty()) {
        lws_callback_on_writable(wsi);
      } else if (connection->closing) {
        lws_close_reason(wsi, connection->oversized ? LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE : LWS_CLOSE_STATUS_NORMAL,
                         nullptr, 0);
        return -1;
      }
      return 0;
    }

    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      // docs/protocol.md: a close with 1000 says the client is done with its session.
      if (connection != nullptr && len >= 2) {
        const auto* code = static_cast<const std::uint8_t*>(in);
        connection->client_done = ((code[0] << 8) | code[1]) == LWS_CLOSE_STATUS_NORMAL;
      }
      return 0;

    case LWS_CALLBACK_CLOSED:
      if (connection != nullptr) {
        const std::uint64_t ended = connection->client_done && connection->session ? connection->session->id() : 0;
        detach(*connection);
        // Ending it cancels its calls and releases its locks at once, instead of after the grace.
        if (ended != 0) end_session(ended);
        if (auto address = per_address_.find(connection->address);
            address != per_address_.end() && --address->second == 0) {
          per_address_.erase(address);
        }
        connections_.erase(connection);
        delete connection;
        *slot = nullptr;
      }
      return 0;

    default:
      return 0;
  }
}

}  // namespace faasmjs::gateway::transport
