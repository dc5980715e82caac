#include "faasm/faasm_state.h"

#include "faasm/redis_state_store.h"
#include "faasm/upload_state_store.h"

namespace faasmjs::gateway::faasm {

Expected<FaasmState> open_faasm_state(std::optional<std::string> redis_host_port, std::string upload_url,
                                      FaasmStateOptions options) {
  if (!redis_host_port) {
    return FaasmState{make_upload_state_store(std::make_shared<UploadClient>(std::move(upload_url), options.upload)),
                      make_inmemory_mode_locks()};
  }
  auto address = parse_redis_address(*redis_host_port);
  if (!address) return std::unexpected(address.error());
  auto redis = std::make_shared<const RedisClient>(std::move(*address), options.redis);
  auto pong = redis->command("PING", {"PING"});
  if (!pong) return std::unexpected(pong.error());
  if (pong->type != RedisReply::Type::Status || pong->text != "PONG") {
    return fail(ErrorCode::Internal,
                redis->address().describe() + " answered PING with \"" + pong->text.substr(0, 100) + "\", not PONG");
  }
  return FaasmState{make_redis_state_store(redis), make_redis_state_locks(redis, options.locks)};
}

}  // namespace faasmjs::gateway::faasm
