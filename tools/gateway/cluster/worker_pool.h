// The embedded cluster: calls run in faasmjs-worker processes, one call per process at a time.
//
// Slots. A slot is a thread that owns one worker process and runs calls in it one after another, serving the
// call's host calls (chaining, awaiting, state, locks) itself. Slots are made on demand and kept.
//
// Run tokens. At most `limits.workers` calls execute at once (one per core by default). A call takes a token
// to start, gives it back while it waits (an await, a lock) and takes one again to go on, before any new call
// gets one. A call waits only on calls it chained (or on locks others release), and a waiting call holds no
// token, so a nested chain or a fork-join can never take every token and wait on calls that cannot start:
// there is always a slot for a queued call, since a slot is made whenever all slots are busy and a call is
// queued, up to `max_processes` (then calls queue until a slot frees up).
//
// Results. As in the browser, a call is finished once its function has returned and every call it chained has
// finished; its result carries the trace of that subtree. Limits: a call's execution time (not its waits)
// over its timeout kills its worker (TimedOut); a worker that dies ends its call (Crashed); cancel() ends a
// call and everything it chained (Cancelled). The gateway goes on serving after each.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

#include "cluster/cluster.h"
#include "registry/function_registry.h"
#include "state/global_store.h"
#include "state/host_tier.h"
#include "state/state_locks.h"

namespace faasmjs::gateway::cluster {

struct ClusterOptions {
  ClusterLimits limits;
  std::size_t max_processes = 256;
  std::filesystem::path worker_binary;
  registry::FunctionRegistry& registry;
  state::GlobalStore& global;
  state::HostTier& host_tier;
  state::StateLocks& locks;
  std::function<void(std::string_view)> log;
};

std::unique_ptr<Cluster> create_cluster(ClusterOptions options);

}  // namespace faasmjs::gateway::cluster
