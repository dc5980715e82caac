#include "transport/session.h"

#include "common/byte_io.h"

namespace faasmjs::gateway::transport {

namespace {

using protocol::Type;

constexpr std::size_t kKeptReplies = 4096;
constexpr std::size_t kKeptBytes = 64u << 20;
constexpr std::size_t kForgottenIds = 65536;

std::uint64_t fingerprint(Type type, const Bytes& body) {
  // FNV-1a: enough to tell a re-sent request from a different one reusing its id.
  std::uint64_t hash = 0xcbf29ce484222325ull ^ static_cast<std::uint8_t>(type);
  for (auto byte : body) hash = (hash ^ byte) * 0x100000001b3ull;
  return hash;
}

Reply ack(std::uint8_t value = 0) { return {Type::Ack, {value}}; }

Reply result_reply(const CallResult& result) {
  Reply reply{Type::Result, {}};
  ByteWriter out(reply.body);
  out.i32(result.return_value);
  out.u8(static_cast<std::uint8_t>(result.status));
  out.str(result.error);
  out.u32(result.queued_us);
  out.u32(result.run_us);
  out.str(result.trace_json);
  out.bytes(result.stdout_text);
  out.bytes(result.stderr_text);
  out.bytes(result.output);
  return reply;
}

Reply value_reply(bool exists, std::uint32_t size, std::uint32_t offset, const Bytes& data) {
  Reply reply{Type::StateValue, {}};
  ByteWriter out(reply.body);
  out.u8(exists ? 1 : 0);
  out.u32(size);
  out.u32(offset);
  out.bytes(data);
  return reply;
}

Reply bad_frame(const std::string& what) { return error_reply(ErrorCode::BadFrame, what); }

std::string hex_byte(unsigned value) {
  static constexpr char kHex[] = "0123456789abcdef";
  return {kHex[(value >> 4) & 15], kHex[value & 15]};
}

}  // namespace

Reply error_reply(ErrorCode code, const std::string& message) {
  Reply reply{Type::Error, {}};
  ByteWriter out(reply.body);
  out.u16(static_cast<std::uint16_t>(code));
  out.str(message);
  return reply;
}

Session::Session(std::uint64_t id, std::string user, Services& services, protocol::Limits limits)
    : id_(id), user_(std::move(user)), lock_owner_(new_id()), services_(services), limits_(limits), out_(limits) {}

Session::~Session() {
  for (auto& [id, request] : requests_) {
    if (!request.done && request.call != 0) services_.cluster.cancel(request.call);
  }
  services_.locks.release_all(lock_owner_);
}

void Session::handle(protocol::Message message) {
  const std::uint32_t id = message.id;
  if (message.type == Type::Ping) {
    out_.push(Type::Pong, id, std::move(message.body));
    return;
  }
  const std::uint64_t print = fingerprint(message.type, message.body);
  if (auto found = requests_.find(id); found != requests_.end()) {
    // A request seen before: a resumed client re-sending it. Never run twice.
    if (found->second.fingerprint != print) {
      send(id, error_reply(ErrorCode::DuplicateId, "request id " + std::to_string(id) + " was already used for another request"));
    } else if (found->second.done) {
      send(id, found->second.reply);
    }
    return;
  }
  if (forgotten_.contains(id)) {
    send(id, error_reply(ErrorCode::ReplyLost, "request " + std::to_string(id) +
                                                   " ran, but this session no longer keeps its reply"));
    return;
  }
  Request& request = requests_[id];
  request.fingerprint = print;
  request.type = message.type;
  start(id, message);
}

void Session::start(std::uint32_t id, protocol::Message& message) {
  ByteReader in(message.body);
  switch (message.type) {
    case Type::Invoke: return invoke(id, in);
    case Type::Await: return await(id, in);
    case Type::Cancel: return cancel(id, in);
    case Type::StateLock: return lock(id, in);
    case Type::StateUnlock: return unlock(id, in);
    case Type::StateSize:
    case Type::StatePull:
    case Type::StatePush:
    case Type::StateSet:
    case Type::StateAppend:
    case Type::StateReadAppended:
    case Type::StateClearAppended:
    case Type::StateKeys: return state_request(id, message.type, std::move(message.body));
    case Type::Upload: return upload(id, std::move(message.body));
    case Type::Hello: return complete(id, error_reply(ErrorCode::NotAuthenticated, "HELLO was already said on this socket"));
    default:
      return complete(id, error_reply(ErrorCode::UnknownType, "unknown message type 0x" +
                                                                  hex_byte(static_cast<unsigned>(message.type))));
  }
}

void Session::invoke(std::uint32_t id, ByteReader& in) {
  CallRequest request;
  request.user = user_;
  request.function = in.str();
  request.func_ptr = in.u32();
  request.cmdline = in.str();
  request.timeout = std::chrono::milliseconds(in.u32());
  request.input = in.bytes_copy();
  if (!in.done()) return complete(id, bad_frame("INVOKE body does not decode"));
  const std::string function = request.function;
  auto call = services_.cluster.submit(std::move(request), [post = services_.post, session = id_, id](CallResult result) {
    post(session, id, result_reply(result));
  });
  if (!call) return complete(id, error_reply(call.error().code, call.error().message));
  requests_[id].call = *call;
}

void Session::await(std::uint32_t id, ByteReader& in) {
  const std::uint32_t call = in.u32();
  if (!in.done()) return complete(id, bad_frame("AWAIT body does not decode"));
  auto found = requests_.find(call);
  if (found == requests_.end() || found->second.type != Type::Invoke) {
    return complete(id, error_reply(ErrorCode::UnknownCall, "request " + std::to_string(call) + " is not an INVOKE of this session"));
  }
  if (found->second.done) return complete(id, found->second.reply);
  found->second.awaiting.push_back(id);
}

void Session::cancel(std::uint32_t id, ByteReader& in) {
  const std::uint32_t call = in.u32();
  if (!in.done()) return complete(id, bad_frame("CANCEL body does not decode"));
  auto found = requests_.find(call);
  const bool stopped = found != requests_.end() && found->second.type == Type::Invoke && !found->second.done &&
                       found->second.call != 0 && services_.cluster.cancel(found->second.call);
  complete(id, ack(stopped ? 1 : 0));
}

void Session::lock(std::uint32_t id, ByteReader& in) {
  const std::string key = in.str();
  const bool exclusive = in.u8() != 0;
  if (!in.done()) return complete(id, bad_frame("STATE_LOCK body does not decode"));
  if (key.empty()) return complete(id, error_reply(ErrorCode::BadState, "empty state key"));
  services_.locks.lock(user_ + "_" + key, exclusive, lock_owner_,
                       [post = services_.post, session = id_, id] { post(session, id, ack(1)); });
}

void Session::unlock(std::uint32_t id, ByteReader& in) {
  const std::string key = in.str();
  const bool exclusive = in.u8() != 0;
  if (!in.done()) return complete(id, bad_frame("STATE_UNLOCK body does not decode"));
  complete(id, ack(services_.locks.unlock(user_ + "_" + key, exclusive, lock_owner_) ? 1 : 0));
}

// Every state request runs on the executor, in the session's order: writes sync to disk before they reply.
void Session::state_request(std::uint32_t id, Type type, Bytes body) {
  services_.executor.post(id_, [&store = services_.store, post = services_.post, session = id_, user = user_, id, type,
                                body = std::move(body)]() {
    ByteReader in(body);
    const std::string key = in.str();
    const std::string global = user + "_" + key;
    auto reply = [&]() -> Reply {
      if (type != Type::StateKeys && key.empty()) return error_reply(ErrorCode::BadState, "empty state key");
      switch (type) {
        case Type::StateSize: {
          if (!in.done()) break;
          Reply size{Type::StateSizeIs, {}};
          ByteWriter(size.body).u32(store.size(global));
          return size;
        }
        case Type::StatePull: {
          const std::uint32_t offset = in.u32(), length = in.u32();
          if (!in.done()) break;
          auto stored = store.pull(global, offset, length);
          if (!stored) return error_reply(stored.error().code, stored.error().message);
          if (!*stored) return value_reply(false, 0, offset, {});
          return value_reply(true, (*stored)->size, offset, (*stored)->bytes);
        }
        case Type::StatePush: {
          const std::uint32_t size = in.u32();
          const bool partial = in.u8() != 0;
          const std::uint32_t count = in.u32();
          std::vector<state::Range> ranges;
          for (std::uint32_t i = 0; i < count && in.ok(); ++i) {
            const std::uint32_t offset = in.u32();
            ranges.push_back({offset, in.bytes_copy()});
          }
          if (!in.done()) break;
          if (!partial) {
            auto pushed = store.push(global, size, ranges);
            return pushed ? ack() : error_reply(pushed.error().code, pushed.error().message);
          }
          auto value = store.push_partial(global, size, ranges);
          if (!value) return error_reply(value.error().code, value.error().message);
          return value_reply(true, static_cast<std::uint32_t>(value->size()), 0, *value);
        }
        case Type::StateSet: {
          auto value = in.bytes_copy();
          if (!in.done()) break;
          auto set = store.set(global, std::move(value));
          return set ? ack() : error_reply(set.error().code, set.error().message);
        }
        case Type::StateAppend: {
          auto element = in.bytes_copy();
          if (!in.done()) break;
          auto appended = store.append(global, std::move(element));
          return appended ? ack() : error_reply(appended.error().code, appended.error().message);
        }
        case Type::StateReadAppended: {
          const std::uint32_t count = in.u32();
          if (!in.done()) break;
          const auto elements = store.read_appended(global, count);
          Reply list{Type::StateAppended, {}};
          ByteWriter out(list.body);
          out.u32(static_cast<std::uint32_t>(elements.size()));
          for (const auto& element : elements) out.bytes(element);
          return list;
        }
        case Type::StateClearAppended: {
          if (!in.done()) break;
          auto cleared = store.clear_appended(global);
          return cleared ? ack() : error_reply(cleared.error().code, cleared.error().message);
        }
        case Type::StateKeys: {
          if (!in.done()) break;
          const auto keys = store.keys(global);
          Reply list{Type::StateKeyList, {}};
          ByteWriter out(list.body);
          out.u32(static_cast<std::uint32_t>(keys.size()));
          for (const auto& full : keys) out.str(std::string_view(full).substr(user.size() + 1));
          return list;
        }
        default: break;
      }
      return bad_frame("a state request body does not decode");
    }();
    post(session, id, std::move(reply));
  });
}

void Session::upload(std::uint32_t id, Bytes body) {
  services_.executor.post(id_, [&registry = services_.registry, post = services_.post, session = id_, id,
                                body = std::move(body)]() {
    ByteReader in(body);
    const std::string name = in.str();
    auto wasm = in.bytes();
    if (!in.done()) return post(session, id, bad_frame("UPLOAD body does not decode"));
    auto uploaded = registry.upload(name, wasm);
    if (!uploaded) return post(session, id, error_reply(uploaded.error().code, uploaded.error().message));
    Reply reply{Type::Uploaded, {}};
    ByteWriter out(reply.body);
    out.str(uploaded->name);
    out.str(uploaded->sha256);
    out.u32(uploaded->compile_ms);
    post(session, id, std::move(reply));
  });
}

void Session::complete(std::uint32_t id, Reply reply) {
  auto found = requests_.find(id);
  if (found == requests_.end() || found->second.done) return;
  Request& request = found->second;
  for (std::uint32_t waiting : request.awaiting) complete(waiting, reply);
  request.awaiting.clear();
  send(id, reply);
  request.done = true;
  request.reply = std::move(reply);
  keep(id);
}

void Session::send(std::uint32_t id, const Reply& reply) { out_.push(reply.type, id, reply.body); }

// Replies are kept for a resume, within bounds; the oldest go first and their ids are remembered as answered.
void Session::keep(std::uint32_t id) {
  finished_.push_back(id);
  kept_bytes_ += requests_[id].reply.body.size();
  while (finished_.size() > kKeptReplies || kept_bytes_ > kKeptBytes) {
    const std::uint32_t oldest = finished_.front();
    finished_.pop_front();
    kept_bytes_ -= requests_[oldest].reply.body.size();
    requests_.erase(oldest);
    if (forgotten_.size() >= kForgottenIds) forgotten_.erase(forgotten_.begin());
    forgotten_.insert(oldest);
  }
}

void Session::reattached() {
  // The old socket's unsent frames died with it: the client re-sends its pending requests (docs/protocol.md),
  // and handle() answers those that are done from the kept replies.
  out_ = protocol::OutgoingQueue(limits_);
}

}  // namespace faasmjs::gateway::transport
