// The gateway in front of a real Faasm cluster (--faasm planner=URL,upload=URL): a Backend whose calls run on Faasm's
// workers. A call is one planner EXECUTE_BATCH of a one-message batch (user, function, input, cmdline, and for a call
// by function pointer its funcPtr); its result comes from EXECUTE_BATCH_STATUS, which the gateway polls itself, never
// the browser.
//
// Threads. submit() only queues: a pool of submit threads (FaasmOptions::submit_threads) uploads what the user's call
// needs (function_sync.h) and sends EXECUTE_BATCH, so a slow planner or upload server never blocks a session. One
// scheduler thread keeps every call in flight: it polls in rounds, every call whose next poll is due, on a pool of poll
// threads; each call's interval starts at 3 ms and grows by half per poll to 150 ms, so a quick call is seen within
// milliseconds and a long one costs about 7 requests a second (Faasm's own client polls every 2 s). The planner
// answering "No available hosts" (every slot taken; nothing was scheduled) is retried after 10 ms, doubling to 500 ms,
// within the call's timeout; at most as many calls as the cluster has slots are sent at once, the rest wait here.
// A refresh thread asks GET_AVAILABLE_HOSTS for the cluster's slots every
// FaasmOptions::hosts_refresh (workers()).
//
// Results (call_result.h): Faasm's return value, output, executing host and timings, with every call the function
// chained on Faasm in the trace. The planner or upload server down when a call is sent is a Failed result naming which
// (http_client.h's lines); a failed status poll is made again until the call's deadline, since the call runs on Faasm
// anyway and its result waits there. The gateway goes on serving and the next call tries again.
//
// Limits (ClusterLimits): max_user_calls unfinished calls per user (submit refuses beyond), max_output_bytes (Failed
// beyond), the timeout (default_timeout, clipped to max_timeout) counted from the first EXECUTE_BATCH. max_chain_depth,
// max_tree_calls and memory_limit_bytes are Faasm's to enforce (it has its own), not the gateway's.
//
// What cancel() and a timeout can stop. Faasm has no way to stop a call it has scheduled. A call not yet sent (waiting
// for a submit thread, its functions' upload, or a free slot) is never sent. A call already on Faasm runs to its end
// there, with everything it chains and every state write it makes, and holds its slot until then; the gateway stops
// waiting for it, reports Cancelled (or TimedOut), and drops its result when it comes.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/backend.h"
#include "registry/function_registry.h"

namespace faasmjs::gateway::faasm {

struct FaasmOptions {
  std::string planner_url;  // http://HOST:PORT of faabric's planner
  std::string upload_url;   // http://HOST:PORT of faasm's upload server
  ClusterLimits limits;
  registry::FunctionRegistry& registry;
  std::function<void(std::string_view)> log;
  std::size_t submit_threads = 4;
  std::size_t poll_threads = 4;
  std::chrono::milliseconds hosts_refresh{3000};
  // One planner exchange (EXECUTE_BATCH, a status poll): a planner silent this long is down, and the call that waited
  // for it fails saying so.
  std::chrono::milliseconds planner_timeout{5000};
};

std::unique_ptr<Backend> create_faasm_backend(FaasmOptions options);

}  // namespace faasmjs::gateway::faasm
