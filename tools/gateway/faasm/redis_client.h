// A small pool of connections to Faasm's Redis (hiredis, Debian's
// libhiredis-dev), the one that holds a Faasm cluster's state in
// STATE_MODE=redis. Every wait is bounded (connect 2 s, each reply 5 s), and a
// transport failure comes back as one line that names Redis and the command:
// "Faasm's Redis at 127.0.100.1:6379 refused the connection (GETRANGE)". An
// error reply (WRONGTYPE, a script's error) is a reply, for the caller to read.
//
// Thread-safety: every method may be called from any thread; a command takes an
// idle connection or makes one, and gives it back afterwards unless it broke
// (hiredis contexts are not thread-safe, so none is shared).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace faasmjs::gateway::faasm {

struct RedisAddress {
  std::string host;
  int port = 6379;

  std::string describe() const { return "Faasm's Redis at " + host + ":" + std::to_string(port); }
};

// "HOST:PORT" as `--faasm redis=` and the fixture's FAASM_REDIS give it.
Expected<RedisAddress> parse_redis_address(std::string_view host_port);

struct RedisTimeouts {
  std::chrono::milliseconds connect{2000};
  std::chrono::milliseconds reply{5000};
};

struct RedisReply {
  enum class Type { String, Array, Integer, Nil, Status, Error };
  Type type = Type::Nil;
  long long integer = 0;
  std::string text;  // a string's bytes, a status or an error
  std::vector<RedisReply> elements;

  bool is_error() const { return type == Type::Error; }
};

class RedisClient {
 public:
  explicit RedisClient(RedisAddress address, RedisTimeouts timeouts = {});
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  const RedisAddress& address() const { return address_; }

  // One command; arguments are binary-safe. `what` names it in errors
  // ("GETRANGE").
  Expected<RedisReply> command(std::string_view what, const std::vector<std::string_view>& arguments) const;
  // Commands sent together on one connection (one round trip), their replies in
  // order.
  Expected<std::vector<RedisReply>> pipeline(std::string_view what,
                                             const std::vector<std::vector<std::string_view>>& commands) const;

 private:
  class Pool;
  RedisAddress address_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace faasmjs::gateway::faasm
