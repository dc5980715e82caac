// The embedded cluster as the rest of the gateway sees it: submit a call, get its result once, cancel it.
// Sessions (transport/) submit the calls browsers INVOKE; calls running in the cluster submit the calls they
// chain. The implementation (worker_pool.h) runs each call in a worker process, one call per process at a
// time, so a trap, a loop or a memory bomb ends that call and never the gateway.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"

namespace faasmjs::gateway {

// Ids of calls, sessions and lock owners come from one process-wide counter, so they never collide.
std::uint64_t new_id();

struct CallRequest {
  std::string user;      // state namespace
  std::string function;  // registered name
  std::uint32_t func_ptr = 0;  // 0: _start; else a table entry (Faasm's chain by pointer)
  std::vector<std::uint8_t> input;
  std::string cmdline;
  std::chrono::milliseconds timeout{0};  // 0: the cluster's default; clipped to its maximum
};

// Values are the wire protocol's RESULT status (docs/protocol.md).
enum class CallStatus : std::uint8_t {
  Finished = 0,
  Trapped = 1,
  TimedOut = 2,
  MemoryExceeded = 3,
  Cancelled = 4,
  Crashed = 5,
  Failed = 6,
};

struct CallResult {
  std::int32_t return_value = 0;  // 1 for every status but Finished, as Faasm reports a failed call
  CallStatus status = CallStatus::Finished;
  std::string error;  // empty when Finished; else one line naming the function
  std::uint32_t queued_us = 0;
  std::uint32_t run_us = 0;
  std::string trace_json;  // {"where":"cluster","worker":N,"function":...,"chained":[...]}
  std::string stdout_text;
  std::string stderr_text;
  std::vector<std::uint8_t> output;
};

using CallId = std::uint64_t;
using CallDone = std::function<void(CallResult)>;

struct ClusterLimits {
  std::size_t workers = 0;  // calls running at once; 0: one per core
  std::chrono::milliseconds default_timeout{60'000};
  std::chrono::milliseconds max_timeout{600'000};
  std::uint64_t memory_limit_bytes = 1ull << 30;  // per call: linear memory beyond this ends the call
  // Per call: output, stdout and stderr together beyond this fail the call (RESULT must fit maxBody).
  std::size_t max_output_bytes = 64u << 20;
  // Per call tree (a call and everything it chained): a chain beyond these fails, against a chain bomb.
  std::size_t max_chain_depth = 64;
  std::size_t max_tree_calls = 10'000;
  // Per user: calls submitted (INVOKE) and not finished; a submit beyond is refused.
  std::size_t max_user_calls = 10'000;
};

class Cluster {
 public:
  virtual ~Cluster() = default;
  // Starts a call and returns its id at once; `done` runs exactly once, on a cluster thread or inside the
  // cancel() that ends the call (a queued one), and must not block. An unknown function is an UnknownFunction
  // error, and then `done` never runs.
  virtual Expected<CallId> submit(CallRequest request, CallDone done) = 0;
  // Stops a queued or running call (its result says Cancelled); false when it had already finished or is
  // unknown.
  virtual bool cancel(CallId id) = 0;
  // Calls running at once (what WELCOME announces as workers).
  virtual std::size_t workers() const = 0;
};

}  // namespace faasmjs::gateway
