// The embedded cluster: calls run in faasmjs-worker processes, one call per process at a time.
//
// Slots. A slot is a thread that owns one worker process and runs calls in it one after another, serving the
// call's host calls (chaining, awaiting, state, locks) itself. Slots are made when a queued call could start
// and no slot is idle, and kept for the next call; a worker that died is replaced when its slot next runs a
// call. When every token is taken, a slot sends up to 8 of the queue's next calls to its worker behind the
// running one (pipelining), so that the worker goes from one call to the next without waiting for this side:
// they go back to the queue if the one running makes a host call or its worker ends first, and count as
// started (cancelling one stops its worker when its turn comes, as for a running call).
//
// Chains and awaits (worker/worker_protocol.h). A call's chains need no reply: it holds a lease of its
// tree's ids, and the limits are checked when it asks for one. An Await's reply passes on the caller's other
// finished calls, so that its worker awaits those without a round trip; an Await whose call finished gathers
// more for up to 1 ms while the caller's other calls still run.
//
// Run tokens (run_tokens.h). At most `limits.workers` calls execute at once (one per core by default). A call
// takes a token to start, gives it back while it waits (an await, a lock, its function compiling) and takes
// one again to go on, before any new call gets one. Calls start in submission order (FIFO), but for a call whose
// function is still compiling, which lets later calls run meanwhile.
//
// Why nothing deadlocks. A call waits only on calls it chained (an await of itself or an ancestor returns 1
// at once) or on a lock, which some other call or session holds. A waiting call holds no token, so tokens
// are always held by calls that can progress. `max_processes` caps the slots whose call is not waiting: a
// waiting call keeps its process (its instance lives there) without counting, so a chain deeper than the
// cap, or as many fork-joins as the cap, still finds a slot for the calls they wait on. Idle slots above
// the cap retire once waiting calls go on, and idle slots beyond limits.workers after idle_retire. Processes
// therefore number at most max_processes plus the calls waiting at that moment, and those are capped by
// max_waiting: a call that would wait beyond it fails at once (a wait refused, never a deadlock).
//
// Trees. A call tree (a top-level call and everything it chained) holds at most limits.max_tree_calls
// calls, limits.max_chain_depth deep: a chain beyond either fails in the calling function, so a function
// that chains itself twice and awaits (a chain bomb) stops there.
//
// Results. As in the browser, a call is finished once its function has returned and every call it chained has
// finished; its result carries the trace of that subtree. Limits: a call's execution time (its lock waits
// too, not its awaits) over its timeout kills its worker (TimedOut); output over limits.max_output_bytes
// fails it; a worker that dies ends its call (Crashed); cancel() ends a
// call and everything it chained (Cancelled). The gateway goes on serving after each.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

#include "common/backend.h"
#include "registry/function_registry.h"
#include "registry/shared_file_store.h"
#include "state/global_store.h"
#include "state/host_tier.h"
#include "state/state_locks.h"

namespace faasmjs::gateway::cluster {

struct ClusterOptions {
  ClusterLimits limits;
  std::size_t max_processes = 256;  // slots whose call is not waiting (at least limits.workers)
  std::filesystem::path worker_binary;
  registry::FunctionRegistry& registry;
  registry::SharedFileStore& shared_files;  // faasm:// for the calls' file systems (worker/file_system.h)
  state::GlobalStore& global;
  state::HostTier& host_tier;
  state::StateLocks& locks;
  std::function<void(std::string_view)> log;  // a line per worker that died, was killed or did not start
  // Processes kept for waiting calls, beyond max_processes: an await or a lock wait past it fails.
  std::size_t max_waiting = 256;
  // Idle processes beyond limits.workers retire after this long (a burst leaves none behind).
  std::chrono::milliseconds idle_retire{10'000};
};

std::unique_ptr<Backend> create_cluster(ClusterOptions options);

}  // namespace faasmjs::gateway::cluster
