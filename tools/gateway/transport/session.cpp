#include "transport/session.h"

#include "common/file_paths.h"
#include "transport/state_requests.h"

namespace faasmjs::gateway::transport {

namespace {

using namespace protocol;

// FNV-1a over type and body: tells a verbatim re-send (same id, same bytes) from a different request that
// reuses its id, without keeping every request's bytes.
std::uint64_t fingerprint(Type type, const Bytes& body) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  auto mix = [&](std::uint8_t byte) { hash = (hash ^ byte) * 0x100000001b3ull; };
  mix(static_cast<std::uint8_t>(type));
  for (auto byte : body) mix(byte);
  return hash;
}

// No reply body exceeds maxBody (the client would refuse it): a larger RESULT becomes a Failed one saying so.
Message result_message(const CallResult& result, std::size_t max_body) {
  Message message = encode(0, Result{result.return_value, result.status, result.error, result.queued_us, result.run_us,
                                     result.trace_json, Bytes(result.stdout_text.begin(), result.stdout_text.end()),
                                     Bytes(result.stderr_text.begin(), result.stderr_text.end()), result.output});
  if (message.body.size() <= max_body) return message;
  return encode(0, Result{1,
                          CallStatus::Failed,
                          "the call's RESULT would be " + std::to_string(message.body.size()) +
                              " bytes, over maxBody (" + std::to_string(max_body) + ")",
                          result.queued_us,
                          result.run_us,
                          result.trace_json,
                          {},
                          {},
                          {}});
}

template <typename M>
constexpr bool is_state_request =
    std::is_same_v<M, StateSize> || std::is_same_v<M, StatePull> || std::is_same_v<M, StatePush> ||
    std::is_same_v<M, StateSet> || std::is_same_v<M, StateAppend> || std::is_same_v<M, StateReadAppended> ||
    std::is_same_v<M, StateClearAppended> || std::is_same_v<M, StateKeys> || std::is_same_v<M, StateLock> ||
    std::is_same_v<M, StateUnlock>;

}  // namespace

Message error_message(ErrorCode code, std::string text) { return encode(0, ErrorReply{code, std::move(text)}); }

Session::Session(std::uint64_t id, std::string user, Services& services, Limits limits, KeptLimits kept,
                 KeptTotal* total)
    : id_(id),
      user_(std::move(user)),
      lock_owner_(new_id()),
      services_(services),
      limits_(limits),
      kept_limits_(kept),
      kept_total_(total),
      out_(limits) {}

Session::~Session() {
  if (kept_total_ != nullptr) {
    kept_total_->replies -= finished_.size();
    kept_total_->bytes -= kept_bytes_;
  }
  for (auto& [id, request] : requests_) {
    if (!request.done && request.call != 0) services_.backend.cancel(request.call);
  }
  // Behind the session's queued lock requests, so that none of them is granted after its holds went.
  services_.io.post(id_, [&locks = services_.locks, owner = lock_owner_] { locks.release_all(owner); });
}

void Session::handle(Message request) {
  const std::uint32_t id = request.id;
  // The keep-alive PING (id 0) is about the socket, not a request of the session: answered, never kept.
  if (request.type == Type::Ping && id == 0) {
    auto ping = decode_body<Ping>(request.body);
    if (!ping) return send(0, error_message(ErrorCode::BadFrame, "the body of PING does not decode"));
    return send(0, encode(0, Pong{std::move(ping->payload)}));
  }
  const std::uint64_t print = fingerprint(request.type, request.body);
  if (auto seen = requests_.find(id); seen != requests_.end()) {
    // Seen before: a resumed client re-sending it (docs/protocol.md's table), or a reused id.
    if (seen->second.fingerprint != print) {
      send(id, error_message(ErrorCode::DuplicateId,
                             "request id " + std::to_string(id) + " is already used in this session by " +
                                 type_name(seen->second.type) + "; ids are unique within a session"));
    } else if (seen->second.done) {
      send(id, seen->second.reply);
    }
    // Still running: the reply goes to whichever socket the session has when it is ready.
    return;
  }
  if (forgotten_.contains(id)) {
    return send(id, error_message(ErrorCode::ReplyLost, "request " + std::to_string(id) +
                                                            " ran, but this session no longer keeps its reply"));
  }
  if (forgotten_.intervals() >= kept_limits_.forgotten_ranges) {
    return send(
        id, error_message(ErrorCode::LimitExceeded,
                          "request ids of this session are too sparse: the ids whose replies it forgot form " +
                              std::to_string(forgotten_.intervals()) + " ranges, the limit; number requests upwards"));
  }
  if (in_flight_ >= limits_.max_in_flight) {
    return send(id, error_message(ErrorCode::LimitExceeded,
                                  "request " + std::to_string(id) +
                                      " would be one too many in flight: " + std::to_string(in_flight_) +
                                      " requests of this session have no reply yet (the limit)"));
  }
  ++in_flight_;
  Request& entry = requests_[id];
  entry.fingerprint = print;
  entry.type = request.type;
  auto decoded = decode_client(request);
  if (!decoded) return complete(id, error_message(decoded.error().code, decoded.error().message));
  start(id, std::move(*decoded));
}

void Session::start(std::uint32_t id, ClientMessage request) {
  std::visit([&](auto& message) { run(id, message); }, request);
}

void Session::run(std::uint32_t id, Hello&) {
  complete(id, error_message(ErrorCode::NotAuthenticated, "a second HELLO on one socket"));
}

void Session::run(std::uint32_t id, Ping& ping) { complete(id, encode(id, Pong{std::move(ping.payload)})); }

void Session::run(std::uint32_t id, Invoke& invoke) {
  CallRequest call;
  call.user = user_;
  call.function = std::move(invoke.function);
  call.func_ptr = invoke.func_ptr;
  call.cmdline = std::move(invoke.cmdline);
  call.timeout = std::chrono::milliseconds(invoke.timeout_ms);
  call.input = std::move(invoke.input);
  call.sha256 = std::move(invoke.sha256);
  for (auto& file : invoke.files) {
    if (auto bad = seeded_file_path_error(file.path)) return complete(id, error_message(ErrorCode::BadState, *bad));
    call.files.push_back({std::move(file.path), std::move(file.data)});
  }
  auto submitted = services_.backend.submit(
      std::move(call), [mailbox = services_.mailbox, session = id_, id, max_body = limits_.max_body](
                           CallResult result) { mailbox->post(session, id, result_message(result, max_body)); });
  if (!submitted) return complete(id, error_message(submitted.error().code, submitted.error().message));
  requests_[id].call = *submitted;
}

void Session::run(std::uint32_t id, Await& await) {
  auto call = requests_.find(await.call_id);
  if (call == requests_.end()) {
    if (forgotten_.contains(await.call_id)) {
      return complete(id, error_message(ErrorCode::ReplyLost, "call " + std::to_string(await.call_id) +
                                                                  " ran, but this session no longer keeps its result"));
    }
  }
  if (call == requests_.end() || call->second.type != Type::Invoke) {
    return complete(id, error_message(ErrorCode::UnknownCall, "request " + std::to_string(await.call_id) +
                                                                  " is not an INVOKE of this session"));
  }
  if (call->second.done) return complete(id, call->second.reply);
  call->second.awaiting.push_back(id);
}

void Session::run(std::uint32_t id, Cancel& cancel) {
  auto call = requests_.find(cancel.call_id);
  if (call == requests_.end() && !forgotten_.contains(cancel.call_id)) {
    return complete(id, error_message(ErrorCode::UnknownCall, "request " + std::to_string(cancel.call_id) +
                                                                  " is not an INVOKE of this session"));
  }
  if (call != requests_.end() && call->second.type != Type::Invoke) {
    return complete(id, error_message(ErrorCode::UnknownCall, "request " + std::to_string(cancel.call_id) + " is " +
                                                                  type_name(call->second.type) + ", not an INVOKE"));
  }
  // A finished (or forgotten, hence finished) call is not an error: ACK 0.
  const bool stopped = call != requests_.end() && !call->second.done && call->second.call != 0 &&
                       services_.backend.cancel(call->second.call);
  complete(id, encode(id, Ack{static_cast<std::uint8_t>(stopped ? 1 : 0)}));
}

void Session::run(std::uint32_t id, Upload& upload) {
  // Uploads compile for seconds: a queue of their own, so they do not hold up this session's state requests.
  services_.io.post(
      new_id(), [&registry = services_.registry, &backend = services_.backend, mailbox = services_.mailbox,
                 session = id_, user = user_, id, upload = std::move(upload)] {
        if (auto accepted = backend.accept_upload(user, upload.function, upload.wasm); !accepted)
          return mailbox->post(session, id, error_message(accepted.error().code, accepted.error().message));
        auto uploaded = registry.upload(upload.function, upload.wasm);
        if (!uploaded)
          return mailbox->post(session, id, error_message(uploaded.error().code, uploaded.error().message));
        mailbox->post(session, id, Uploaded{uploaded->name, uploaded->sha256, uploaded->compile_ms});
      });
}

// Shared files go to the backend on the uploads' queue: a disk write or an HTTP exchange with Faasm's upload
// server, which must not hold up this session's state requests.
void Session::run(std::uint32_t id, FileUpload& upload) {
  if (auto bad = shared_file_path_error(upload.path)) return complete(id, error_message(ErrorCode::BadState, *bad));
  services_.io.post(new_id(), [&backend = services_.backend, mailbox = services_.mailbox, session = id_, id,
                               upload = std::move(upload)] {
    auto stored = backend.put_shared_file(upload.path, upload.data);
    if (!stored) return mailbox->post(session, id, error_message(stored.error().code, stored.error().message));
    mailbox->post(session, id, Ack{1});
  });
}

void Session::run(std::uint32_t id, FileGet& get) {
  if (auto bad = shared_file_path_error(get.path)) return complete(id, error_message(ErrorCode::BadState, *bad));
  services_.io.post(new_id(), [&backend = services_.backend, mailbox = services_.mailbox, session = id_, id,
                               max_body = limits_.max_body, path = std::move(get.path)] {
    auto file = backend.get_shared_file(path);
    if (!file) return mailbox->post(session, id, error_message(file.error().code, file.error().message));
    if (*file && (*file)->size() + 16 > max_body) {
      return mailbox->post(
          session, id,
          error_message(ErrorCode::LimitExceeded, "shared file " + path + " of " + std::to_string((*file)->size()) +
                                                      " bytes is over the reply limit (maxBody " +
                                                      std::to_string(max_body) + ")"));
    }
    mailbox->post(session, id, FileData{file->has_value(), file->value_or(Bytes{})});
  });
}

// The registry answers from memory (it holds every registered function, whichever backend runs them).
void Session::run(std::uint32_t id, Functions&) {
  FunctionList list;
  for (const std::string& name : services_.registry.names()) {
    if (auto function = services_.registry.find(name)) {
      list.functions.push_back({name, function->sha256(), static_cast<std::uint8_t>(function->compile_state())});
    }
  }
  complete(id, encode(id, list));
}

template <typename M>
void Session::run(std::uint32_t id, M& request) {
  static_assert(is_state_request<M>);
  auto task = [&services = services_, mailbox = services_.mailbox, session = id_, owner = lock_owner_, user = user_, id,
               limits = limits_, request = std::move(request)]() mutable {
    if constexpr (std::is_same_v<M, StateLock>) {
      if (request.key.empty())
        return mailbox->post(session, id, error_message(ErrorCode::BadState, "a state key may not be empty"));
      // Granted (or refused) now or later, on another thread: the reply goes through the mailbox.
      services.locks.lock(global_key(user, request.key), request.exclusive, owner,
                          [mailbox, session, id](Expected<void> granted) {
                            if (granted) return mailbox->post(session, id, Ack{1});
                            mailbox->post(session, id, error_message(granted.error().code, granted.error().message));
                          });
    } else if constexpr (std::is_same_v<M, StateUnlock>) {
      const bool released = services.locks.unlock(global_key(user, request.key), request.exclusive, owner);
      mailbox->post(session, id, Ack{static_cast<std::uint8_t>(released ? 1 : 0)});
    } else if constexpr (std::is_same_v<M, StatePush> || std::is_same_v<M, StateSet>) {
      mailbox->post(session, id, execute(services.store, user, request, limits));
    } else if constexpr (std::is_same_v<M, StatePull> || std::is_same_v<M, StateReadAppended>) {
      mailbox->post(session, id, execute(services.store, user, request, limits.max_body));
    } else {
      mailbox->post(session, id, execute(services.store, user, request));
    }
  };
  services_.io.post(id_, std::move(task));
}

void Session::complete(std::uint32_t id, Message reply) {
  auto found = requests_.find(id);
  if (found == requests_.end() || found->second.done) return;
  Request& request = found->second;
  for (std::uint32_t waiting : request.awaiting) complete(waiting, reply);
  request.awaiting.clear();
  send(id, reply);
  request.done = true;
  --in_flight_;
  request.reply = std::move(reply);
  keep(id);
}

void Session::send(std::uint32_t id, const Message& reply) {
  if (attached_) out_.push({reply.type, id, reply.body});
}

void Session::keep(std::uint32_t id) {
  const std::size_t size = requests_[id].reply.body.size();
  finished_.push_back(id);
  kept_bytes_ += size;
  if (kept_total_ != nullptr) {
    ++kept_total_->replies;
    kept_total_->bytes += size;
  }
  while (!finished_.empty() && (finished_.size() > kept_limits_.replies || kept_bytes_ > kept_limits_.bytes ||
                                (kept_total_ != nullptr && kept_total_->over()))) {
    forget_oldest();
  }
}

void Session::forget_oldest() {
  const std::uint32_t oldest = finished_.front();
  finished_.pop_front();
  auto request = requests_.find(oldest);
  const std::size_t size = request->second.reply.body.size();
  kept_bytes_ -= size;
  if (kept_total_ != nullptr) {
    --kept_total_->replies;
    kept_total_->bytes -= size;
  }
  requests_.erase(request);
  forgotten_.insert(oldest);
}

void Session::reattached() {
  out_ = OutgoingQueue(limits_);
  attached_ = true;
}

void Session::detached() {
  out_ = OutgoingQueue(limits_);
  attached_ = false;
  detached_at = std::chrono::steady_clock::now();
}

}  // namespace faasmjs::gateway::transport
