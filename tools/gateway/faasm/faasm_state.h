// The gateway's state tier when it fronts a Faasm cluster: with Faasm's Redis
// (STATE_MODE=redis) every STATE_* request and lock goes there in Faasm's own
// layout (redis_state_store.h, redis_state_locks.h); without it
// (STATE_MODE=inmemory) whole values go through the upload server and the rest
// is refused naming the mode (upload_state_store.h). What main.cpp hands to the
// sessions in place of the embedded cluster's store and locks.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/error.h"
#include "faasm/http_client.h"
#include "faasm/redis_client.h"
#include "faasm/redis_state_locks.h"
#include "state/global_store.h"
#include "state/state_locks.h"

namespace faasmjs::gateway::faasm {

struct FaasmStateOptions {
  RedisTimeouts redis;
  RedisLockTimings locks;
  HttpTimeouts upload;
};

struct FaasmState {
  std::unique_ptr<state::GlobalStore> store;
  std::unique_ptr<state::StateLocks> locks;
};

// `redis_host_port`: Faasm's Redis as HOST:PORT, PINGed here so that a gateway
// pointed at a Redis that is down (or not Redis) does not start; nullopt for a
// cluster in STATE_MODE=inmemory.
Expected<FaasmState> open_faasm_state(std::optional<std::string> redis_host_port, std::string upload_url,
                                      FaasmStateOptions options = {});

}  // namespace faasmjs::gateway::faasm
