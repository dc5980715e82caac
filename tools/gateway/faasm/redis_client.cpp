#include "faasm/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <charconv>
#include <mutex>

namespace faasmjs::gateway::faasm {

namespace {

// Connections kept for reuse; more are made when more commands run at once, and
// closed after them.
constexpr std::size_t kMaxIdle = 8;

timeval to_timeval(std::chrono::milliseconds ms) {
  return {static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>(ms.count() % 1000 * 1000)};
}

struct ContextFree {
  void operator()(redisContext* context) const { redisFree(context); }
};
using Context = std::unique_ptr<redisContext, ContextFree>;

struct ReplyFree {
  void operator()(void* reply) const { freeReplyObject(reply); }
};

RedisReply convert(const redisReply& reply) {
  RedisReply out;
  switch (reply.type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::String;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::Array;
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::Integer;
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::Status;
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::Error;
      break;
    default:
      out.type = RedisReply::Type::Nil;
  }
  out.integer = reply.integer;
  if (reply.str) out.text.assign(reply.str, reply.len);
  for (std::size_t i = 0; i < reply.elements; ++i) out.elements.push_back(convert(*reply.element[i]));
  return out;
}

// What hiredis's error says happened, in the words of the other Faasm clients
// (faasm/http_client.h).
std::string what_happened(const redisContext& context, const RedisTimeouts& timeouts, bool connecting) {
  const std::string text = context.errstr;
  if (context.err == REDIS_ERR_EOF) return "closed the connection";
  if (text.find("refused") != std::string::npos) return "refused the connection";
  if (text.find("timed out") != std::string::npos || text.find("temporarily unavailable") != std::string::npos) {
    return connecting ? "did not accept a connection within " + std::to_string(timeouts.connect.count()) + " ms"
                      : "did not answer within " + std::to_string(timeouts.reply.count()) + " ms";
  }
  return (connecting ? "could not be reached: " : "failed: ") + text;
}

}  // namespace

Expected<RedisAddress> parse_redis_address(std::string_view host_port) {
  const auto colon = host_port.rfind(':');
  RedisAddress address;
  if (colon == std::string_view::npos || colon == 0) {
    return fail(ErrorCode::Internal, "Faasm's Redis must be HOST:PORT, got \"" + std::string(host_port) + "\"");
  }
  address.host = std::string(host_port.substr(0, colon));
  const auto port = host_port.substr(colon + 1);
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (error != std::errc() || end != port.data() + port.size() || address.port <= 0 || address.port > 65535) {
    return fail(ErrorCode::Internal,
                "Faasm's Redis must be HOST:PORT with a port of 1-65535, got \"" + std::string(host_port) + "\"");
  }
  return address;
}

class RedisClient::Pool {
 public:
  Pool(const RedisAddress& address, RedisTimeouts timeouts) : address_(address), timeouts_(timeouts) {}

  Expected<Context> take(std::string_view what) {
    {
      std::lock_guard guard(mutex_);
      if (!idle_.empty()) {
        Context context = std::move(idle_.back());
        idle_.pop_back();
        return context;
      }
    }
    Context context(redisConnectWithTimeout(address_.host.c_str(), address_.port, to_timeval(timeouts_.connect)));
    if (!context) return failure("could not allocate a connection", what);
    if (context->err) return failure(what_happened(*context, timeouts_, true), what);
    if (redisSetTimeout(context.get(), to_timeval(timeouts_.reply)) != REDIS_OK) {
      return failure(what_happened(*context, timeouts_, true), what);
    }
    return context;
  }

  void give_back(Context context) {
    std::lock_guard guard(mutex_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(context));
  }

  std::unexpected<Error> failure(const std::string& happened, std::string_view what) const {
    return fail(ErrorCode::Internal, address_.describe() + " " + happened + " (" + std::string(what) + ")");
  }

  const RedisTimeouts& timeouts() const { return timeouts_; }

 private:
  const RedisAddress& address_;
  const RedisTimeouts timeouts_;
  std::mutex mutex_;
  std::vector<Context> idle_;
};

RedisClient::RedisClient(RedisAddress address, RedisTimeouts timeouts)
    : address_(std::move(address)), pool_(std::make_unique<Pool>(address_, timeouts)) {}

RedisClient::~RedisClient() = default;

Expected<RedisReply> RedisClient::command(std::string_view what, const std::vector<std::string_view>& arguments) const {
  auto replies = pipeline(what, {arguments});
  if (!replies) return std::unexpected(replies.error());
  return std::move(replies->front());
}

Expected<std::vector<RedisReply>> RedisClient::pipeline(
    std::string_view what, const std::vector<std::vector<std::string_view>>& commands) const {
  auto context = pool_->take(what);
  if (!context) return std::unexpected(context.error());
  for (const auto& arguments : commands) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto argument : arguments) {
      argv.push_back(argument.data());
      lengths.push_back(argument.size());
    }
    if (redisAppendCommandArgv(context->get(), static_cast<int>(argv.size()), argv.data(), lengths.data()) !=
        REDIS_OK) {
      return pool_->failure(what_happened(**context, pool_->timeouts(), false), what);
    }
  }
  std::vector<RedisReply> replies;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context->get(), &raw) != REDIS_OK || raw == nullptr) {
      // The connection is in doubt (a reply may still arrive on it): it is
      // closed, not given back.
      return pool_->failure(what_happened(**context, pool_->timeouts(), false), what);
    }
    std::unique_ptr<void, ReplyFree> owned(raw);
    replies.push_back(convert(*static_cast<redisReply*>(raw)));
  }
  pool_->give_back(std::move(*context));
  return replies;
}

}  // namespace faasmjs::gateway::faasm
