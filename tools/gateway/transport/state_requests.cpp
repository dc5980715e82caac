#include "transport/state_requests.h"

#include <algorithm>
#include <optional>

#include "transport/session.h"

namespace faasmjs::gateway::transport {

namespace {

using namespace protocol;

Message reply(const auto& message) { return encode(0, message); }
Message failure(const Error& error) { return error_message(error.code, error.message); }
Message ack() { return reply(Ack{0}); }

Message no_key() { return error_message(ErrorCode::BadState, "a state key may not be empty"); }

std::vector<state::Range> ranges_of(const StatePush& request) {
  std::vector<state::Range> ranges;
  ranges.reserve(request.ranges.size());
  for (const auto& range : request.ranges) ranges.push_back({range.offset, range.data});
  return ranges;
}

// When the user's values would hold more than the quota once `key` is `new_size` bytes, or they cannot be
// counted: the refusal. A store that cannot list keys (Faasm's upload server) keeps its values in a cluster
// whose own limits apply, so there is nothing here to count.
std::optional<Message> over_quota(const state::GlobalStore& store, const std::string& user, const std::string& key,
                                  std::uint64_t new_size, std::uint64_t quota) {
  if (!store.can_list_keys()) return std::nullopt;
  std::uint64_t total = new_size;
  const std::string own = global_key(user, key);
  auto others = store.keys(global_key(user, ""));
  if (!others) return failure(others.error());
  for (const auto& other : *others) {
    if (other == own) continue;
    auto size = store.size(other);
    if (!size) return failure(size.error());
    total += *size;
  }
  if (total <= quota) return std::nullopt;
  return error_message(ErrorCode::LimitExceeded, "'" + key + "' at " + std::to_string(new_size) +
                                                     " bytes would bring user '" + user + "''s state to " +
                                                     std::to_string(total) + " bytes, over the quota of " +
                                                     std::to_string(quota) + " (--state-quota)");
}

// The zero bytes a push may add beyond the bytes it sends: enough for the protocol's zero-extension of a value
// (a full push sends only the bytes the client knows), small enough that a few bytes on the wire never make
// the gateway hold and write hundreds of MiB.
constexpr std::uint64_t kUnsentGrowthLimit = 64 * 1024;

std::optional<Message> grows_without_data(const StatePush& request, std::uint64_t old_size, std::uint64_t new_size) {
  std::uint64_t sent = 0;
  for (const auto& range : request.ranges) sent += range.data.size();
  if (new_size <= old_size + sent + kUnsentGrowthLimit) return std::nullopt;
  return error_message(ErrorCode::BadState, "a push that grows '" + request.key + "' from " + std::to_string(old_size) +
                                                " to " + std::to_string(new_size) +
                                                " bytes must carry the bytes it adds (it sends " +
                                                std::to_string(sent) + "; at most " +
                                                std::to_string(kUnsentGrowthLimit) + " may be left to zero)");
}

}  // namespace

std::string global_key(const std::string& user, const std::string& key) { return user + "_" + key; }

Message execute(state::GlobalStore& store, const std::string& user, const StateSize& request) {
  if (request.key.empty()) return no_key();
  auto size = store.size(global_key(user, request.key));
  return size ? reply(StateSizeIs{*size}) : failure(size.error());
}

Message execute(state::GlobalStore& store, const std::string& user, const StatePull& request, std::size_t max_body) {
  if (request.key.empty()) return no_key();
  auto pulled = store.pull(global_key(user, request.key), request.offset, request.length);
  if (!pulled) return failure(pulled.error());
  if (!*pulled) return reply(StateValue{false, 0, request.offset, {}});
  if ((*pulled)->bytes.size() > max_body) {
    return error_message(ErrorCode::BadState, "'" + request.key + "' is " + std::to_string((*pulled)->size) +
                                                  " bytes, over maxBody (" + std::to_string(max_body) +
                                                  "): pull it in ranges");
  }
  return reply(StateValue{true, (*pulled)->size, request.offset, std::move((*pulled)->bytes)});
}

Message execute(state::GlobalStore& store, const std::string& user, const StatePush& request, const Limits& limits) {
  if (request.key.empty()) return no_key();
  if (request.size > limits.max_body) {
    return error_message(ErrorCode::BadState, "a value of " + std::to_string(request.size) + " bytes for '" +
                                                  request.key + "' is over maxBody (" +
                                                  std::to_string(limits.max_body) + ")");
  }
  const std::string key = global_key(user, request.key);
  // A partial push only grows the value.
  auto stored_size = store.size(key);
  if (!stored_size) return failure(stored_size.error());
  const std::uint64_t old_size = *stored_size;
  const std::uint64_t new_size = request.partial ? std::max<std::uint64_t>(request.size, old_size) : request.size;
  if (auto refused = grows_without_data(request, old_size, new_size)) return *refused;
  if (auto refused = over_quota(store, user, request.key, new_size, limits.state_quota)) return *refused;
  if (!request.partial) {
    auto pushed = store.push(key, request.size, ranges_of(request));
    return pushed ? ack() : failure(pushed.error());
  }
  auto value = store.push_partial(key, request.size, ranges_of(request));
  if (!value) return failure(value.error());
  const auto size = static_cast<std::uint32_t>(value->size());
  return reply(StateValue{true, size, 0, std::move(*value)});
}

Message execute(state::GlobalStore& store, const std::string& user, const StateSet& request, const Limits& limits) {
  if (request.key.empty()) return no_key();
  if (auto refused = over_quota(store, user, request.key, request.value.size(), limits.state_quota)) return *refused;
  auto set = store.set(global_key(user, request.key), request.value);
  return set ? ack() : failure(set.error());
}

Message execute(state::GlobalStore& store, const std::string& user, const StateAppend& request) {
  if (request.key.empty()) return no_key();
  auto appended = store.append(global_key(user, request.key), request.element);
  return appended ? ack() : failure(appended.error());
}

Message execute(state::GlobalStore& store, const std::string& user, const StateReadAppended& request,
                std::size_t max_body) {
  if (request.key.empty()) return no_key();
  auto elements = store.read_appended(global_key(user, request.key), request.count);
  if (!elements) return failure(elements.error());
  StateAppended appended{std::move(*elements)};
  std::size_t total = 4;
  for (const auto& element : appended.elements) total += 4 + element.size();
  if (total > max_body) {
    return error_message(ErrorCode::BadState, "the first " + std::to_string(appended.elements.size()) +
                                                  " elements of '" + request.key + "' are over maxBody (" +
                                                  std::to_string(max_body) + " bytes): read fewer");
  }
  return reply(appended);
}

Message execute(state::GlobalStore& store, const std::string& user, const StateClearAppended& request) {
  if (request.key.empty()) return no_key();
  auto cleared = store.clear_appended(global_key(user, request.key));
  return cleared ? ack() : failure(cleared.error());
}

Message execute(state::GlobalStore& store, const std::string& user, const StateKeys& request) {
  auto keys = store.keys(global_key(user, request.prefix));
  if (!keys) return failure(keys.error());
  StateKeyList list;
  const std::string namespace_prefix = global_key(user, "");
  for (auto& key : *keys) list.keys.push_back(key.substr(namespace_prefix.size()));
  return reply(list);
}

}  // namespace faasmjs::gateway::transport
