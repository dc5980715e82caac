// The global state tier on Faasm's own Redis (a cluster in STATE_MODE=redis),
// in Faasm's layout and encoding, so that what a browser writes is what a Faasm
// function reads and the reverse (faabric src/state/RedisStateKeyValue.cpp,
// src/redis/Redis.cpp, util/state.cpp):
//
//   USER_KEY   a Redis string holding the value's bytes as they are (faabric's
//   keyForUser joins with '_';
//              the store's keys arrive joined so already). Faasm reads it with
//              GET/GETRANGE/STRLEN and writes it with SET (a full push) and
//              pipelined SETRANGEs (a partial push).
//   USER_KEY   a Redis list, one element per append (RPUSH; read with LRANGE 0
//   n-1; cleared with DEL). A
//              value and an append log share one key name in Faasm, so a key is
//              one or the other.
//
// Every change that reads before it writes (a push that cuts or zero-extends, a
// partial push's growth) is one Lua script, so it is atomic against Faasm's
// hosts and other gateways. A key holding another Redis type than the operation
// needs is BadState naming the key and what it holds; nothing is overwritten.
// keys() lists the strings by SCAN, leaving out Faasm's global locks
// (USER_KEY_lock, which always carry an expiry; state values never do). A lost
// or mute Redis is one line naming it and the command (redis_client.h).
#pragma once

#include <memory>

#include "faasm/redis_client.h"
#include "state/global_store.h"

namespace faasmjs::gateway::faasm {

std::unique_ptr<state::GlobalStore> make_redis_state_store(std::shared_ptr<const RedisClient> redis);

}  // namespace faasmjs::gateway::faasm
