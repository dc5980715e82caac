#include "faasm/redis_state_store.h"

#include <charconv>
#include <set>

namespace faasmjs::gateway::faasm {

namespace {

using Bytes = std::vector<std::uint8_t>;

// Refuses a key of any type but a string (or none), naming the type; `t` is
// then the key's type.
constexpr std::string_view kStringOnly = R"lua(
local t = redis.call('TYPE', KEYS[1]).ok
if t ~= 'string' and t ~= 'none' then return redis.error_reply('FAASMJS_WRONGTYPE ' .. t) end
)lua";

// ARGV: offset, length ('end': to the end). nil: no value; {size}: the offset
// is beyond it; {size, bytes}.
constexpr std::string_view kPull = R"lua(
if t == 'none' then return nil end
local size = redis.call('STRLEN', KEYS[1])
local offset = tonumber(ARGV[1])
if offset > size then return {size} end
local stop = size
if ARGV[2] ~= 'end' then stop = math.min(size, offset + tonumber(ARGV[2])) end
local bytes = ''
if stop > offset then bytes = redis.call('GETRANGE', KEYS[1], offset, stop - 1) end
return {size, bytes}
)lua";

// The end of both pushes, after `size` and `old` (the value's length) are set: grows the value with zeros to `size`,
// makes a value that does not exist yet empty (Redis makes no string of SETRANGE with nothing to write), and writes
// the ranges, ARGV's offset and bytes pairs from ARGV[2] on (checked to fit).
constexpr std::string_view kGrowAndWrite = R"lua(
if old < size then
  redis.call('SETRANGE', KEYS[1], size - 1, '\0')
elseif t == 'none' then
  redis.call('SET', KEYS[1], '')
end
for i = 2, #ARGV, 2 do
  if #ARGV[i + 1] > 0 then redis.call('SETRANGE', KEYS[1], tonumber(ARGV[i]), ARGV[i + 1]) end
end
)lua";

// ARGV: size, then the ranges; the value becomes exactly `size` bytes (cut first if longer).
constexpr std::string_view kPushHead = R"lua(
local size = tonumber(ARGV[1])
local old = redis.call('STRLEN', KEYS[1])
if old > size then
  local kept = ''
  if size > 0 then kept = redis.call('GETRANGE', KEYS[1], 0, size - 1) end
  redis.call('SET', KEYS[1], kept)
  old = size
end
)lua";

// ARGV as for a push; grows only, checks the ranges against the grown size before writing anything, returns the
// whole new value.
constexpr std::string_view kPushPartialHead = R"lua(
local old = redis.call('STRLEN', KEYS[1])
local size = math.max(tonumber(ARGV[1]), old)
for i = 2, #ARGV, 2 do
  if tonumber(ARGV[i]) + #ARGV[i + 1] > size then
    return redis.error_reply('FAASMJS_RANGE ' .. ARGV[i] .. ' ' .. #ARGV[i + 1] .. ' ' .. size)
  end
end
)lua";

const std::string kPush = std::string(kPushHead) + std::string(kGrowAndWrite) + "return size\n";
const std::string kPushPartial =
    std::string(kPushPartialHead) + std::string(kGrowAndWrite) + "return redis.call('GET', KEYS[1])\n";

constexpr std::string_view kSet = R"lua(
return redis.call('SET', KEYS[1], ARGV[1])
)lua";

// Faasm clears appended state with DEL, which would also delete a value: only a
// list goes.
constexpr std::string_view kClearAppended = R"lua(
local t = redis.call('TYPE', KEYS[1]).ok
if t == 'none' then return 0 end
if t ~= 'list' then return redis.error_reply('FAASMJS_WRONGTYPE ' .. t) end
return redis.call('DEL', KEYS[1])
)lua";

// How Faasm's own global locks are named (Redis::acquireLock); see keys().
constexpr std::string_view kLockSuffix = "_lock";

std::string quote_key(std::string_view key) { return "'" + std::string(key) + "'"; }

std::string as_string(std::uint64_t n) { return std::to_string(n); }

std::string_view as_view(const Bytes& bytes) { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }

Bytes as_bytes(const std::string& text) { return Bytes(text.begin(), text.end()); }

std::string describe_type(std::string_view type) {
  if (type == "string") return "a Redis string (a value)";
  if (type == "list") return "a Redis list (an append log)";
  return "a Redis " + std::string(type);
}

// A SCAN pattern matching exactly the keys that start with `prefix`.
std::string glob_prefix(std::string_view prefix) {
  std::string pattern;
  for (const char c : prefix) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "*";
}

class RedisStateStore final : public state::GlobalStore {
 public:
  explicit RedisStateStore(std::shared_ptr<const RedisClient> redis) : redis_(std::move(redis)) {}

  Expected<std::uint32_t> size(std::string_view key) const override {
    auto reply = checked("STRLEN", key, "a value", {"STRLEN", key});
    if (!reply) return std::unexpected(reply.error());
    return static_cast<std::uint32_t>(reply->integer);
  }

  Expected<std::optional<state::StoredRange>> pull(std::string_view key, std::uint32_t offset,
                                                   std::uint32_t length) const override {
    const std::string from = as_string(offset);
    const std::string count = length == state::kToEnd ? "end" : as_string(length);
    auto reply = script("GETRANGE", key, "a value", std::string(kStringOnly) + std::string(kPull), {from, count});
    if (!reply) return std::unexpected(reply.error());
    if (reply->type == RedisReply::Type::Nil) return std::optional<state::StoredRange>();
    const auto size = static_cast<std::uint32_t>(reply->elements.at(0).integer);
    if (reply->elements.size() == 1) {
      return fail(ErrorCode::BadState,
                  "offset " + from + " is beyond the " + as_string(size) + " bytes of state key " + quote_key(key));
    }
    return std::optional<state::StoredRange>(state::StoredRange{size, as_bytes(reply->elements.at(1).text)});
  }

  Expected<void> push(std::string_view key, std::uint32_t size, const std::vector<state::Range>& ranges) override {
    for (const auto& range : ranges) {
      if (std::uint64_t{range.offset} + range.bytes.size() > size)
        return outside(key, range.offset, range.bytes.size(), size);
    }
    auto reply = script("SETRANGE", key, "a value", std::string(kStringOnly) + kPush, arguments(size, ranges));
    if (!reply) return std::unexpected(reply.error());
    return {};
  }

  Expected<Bytes> push_partial(std::string_view key, std::uint32_t size,
                               const std::vector<state::Range>& ranges) override {
    auto reply = script("SETRANGE", key, "a value", std::string(kStringOnly) + kPushPartial, arguments(size, ranges));
    if (!reply) return std::unexpected(reply.error());
    return as_bytes(reply->text);
  }

  Expected<void> set(std::string_view key, Bytes value) override {
    auto reply =
        script("SET", key, "a value", std::string(kStringOnly) + std::string(kSet), {std::string(as_view(value))});
    if (!reply) return std::unexpected(reply.error());
    return {};
  }

  Expected<void> append(std::string_view key, Bytes element) override {
    auto reply = checked("RPUSH", key, "an append log", {"RPUSH", key, as_view(element)});
    if (!reply) return std::unexpected(reply.error());
    return {};
  }

  Expected<std::vector<Bytes>> read_appended(std::string_view key, std::uint32_t count) const override {
    // LRANGE's end is inclusive, and -1 would mean the whole list.
    if (count == 0) return std::vector<Bytes>{};
    const std::string last = as_string(std::uint64_t{count} - 1);
    auto reply = checked("LRANGE", key, "an append log", {"LRANGE", key, "0", last});
    if (!reply) return std::unexpected(reply.error());
    std::vector<Bytes> elements;
    for (const auto& element : reply->elements) elements.push_back(as_bytes(element.text));
    return elements;
  }

  Expected<void> clear_appended(std::string_view key) override {
    auto reply = script("DEL", key, "an append log", std::string(kClearAppended), {});
    if (!reply) return std::unexpected(reply.error());
    return {};
  }

  Expected<std::vector<std::string>> keys(std::string_view prefix) const override {
    const std::string pattern = glob_prefix(prefix);
    std::set<std::string> found;  // SCAN may return a key more than once
    std::string cursor = "0";
    do {
      auto reply = redis_->command("SCAN", {"SCAN", cursor, "MATCH", pattern, "COUNT", "1000", "TYPE", "string"});
      if (!reply) return std::unexpected(reply.error());
      if (reply->is_error() || reply->elements.size() != 2) return refused("SCAN", prefix, *reply);
      cursor = reply->elements[0].text;
      for (const auto& key : reply->elements[1].elements) found.insert(key.text);
    } while (cursor != "0");
    if (auto dropped = drop_locks(found); !dropped) return std::unexpected(dropped.error());
    return std::vector<std::string>(found.begin(), found.end());
  }

  bool can_list_keys() const override { return true; }

 private:
  static std::vector<std::string> arguments(std::uint32_t size, const std::vector<state::Range>& ranges) {
    std::vector<std::string> out{as_string(size)};
    for (const auto& range : ranges) {
      out.push_back(as_string(range.offset));
      out.emplace_back(as_view(range.bytes));
    }
    return out;
  }

  static std::unexpected<Error> outside(std::string_view key, std::uint64_t offset, std::uint64_t length,
                                        std::uint64_t size) {
    return fail(ErrorCode::BadState, "range [" + as_string(offset) + ", +" + as_string(length) + ") is outside the " +
                                         as_string(size) + " bytes of state key " + quote_key(key));
  }

  std::unexpected<Error> wrong_type(std::string_view key, std::string_view type, std::string_view wanted) const {
    return fail(ErrorCode::BadState, "state key " + quote_key(key) + " in " + redis_->address().describe() + " is " +
                                         describe_type(type) + ", not " + std::string(wanted));
  }

  std::unexpected<Error> refused(std::string_view what, std::string_view key, const RedisReply& reply) const {
    return fail(ErrorCode::Internal, redis_->address().describe() + " refused " + std::string(what) + " on " +
                                         quote_key(key) + ": " +
                                         (reply.is_error() ? reply.text : "an unexpected reply"));
  }

  // A plain command on one key; a WRONGTYPE refusal is BadState naming what the
  // key holds.
  Expected<RedisReply> checked(std::string_view what, std::string_view key, std::string_view wanted,
                               const std::vector<std::string_view>& command) const {
    auto reply = redis_->command(what, command);
    if (!reply || !reply->is_error()) return reply;
    if (!reply->text.starts_with("WRONGTYPE")) return refused(what, key, *reply);
    auto type = redis_->command("TYPE", {"TYPE", key});
    if (!type) return std::unexpected(type.error());
    return wrong_type(key, type->text, wanted);
  }

  Expected<RedisReply> script(std::string_view what, std::string_view key, std::string_view wanted,
                              const std::string& body, const std::vector<std::string>& argv) const {
    std::vector<std::string_view> command{"EVAL", body, "1", key};
    command.insert(command.end(), argv.begin(), argv.end());
    auto reply = redis_->command(what, command);
    if (!reply || !reply->is_error()) return reply;
    const std::string& text = reply->text;
    if (text.starts_with("FAASMJS_WRONGTYPE ")) return wrong_type(key, text.substr(18), wanted);
    if (text.starts_with("FAASMJS_RANGE ")) {
      std::uint64_t numbers[3] = {};
      const char* at = text.data() + 14;
      const char* end = text.data() + text.size();
      for (auto& number : numbers) {
        at = std::from_chars(at, end, number).ptr;
        if (at < end) ++at;
      }
      return outside(key, numbers[0], numbers[1], numbers[2]);
    }
    return refused(what, key, *reply);
  }

  // Faasm's global lock of key K is the string K_lock, set with an expiry (SET
  // ... EX N NX); a state value never has one. So a string named *_lock with an
  // expiry is a lock, not a value.
  Expected<void> drop_locks(std::set<std::string>& keys) const {
    std::vector<std::string> candidates;
    for (const auto& key : keys) {
      if (key.ends_with(kLockSuffix)) candidates.push_back(key);
    }
    if (candidates.empty()) return {};
    std::vector<std::vector<std::string_view>> commands;
    for (const auto& key : candidates) commands.push_back({"PTTL", key});
    auto replies = redis_->pipeline("PTTL", commands);
    if (!replies) return std::unexpected(replies.error());
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if ((*replies)[i].integer >= 0) keys.erase(candidates[i]);
    }
    return {};
  }

  std::shared_ptr<const RedisClient> redis_;
};

}  // namespace

std::unique_ptr<state::GlobalStore> make_redis_state_store(std::shared_ptr<const RedisClient> redis) {
  return std::make_unique<RedisStateStore>(std::move(redis));
}

}  // namespace faasmjs::gateway::faasm
