// One call, entered as Faasm enters a function (faasm-interfaces.md 2.5) and as the browser does
// (sdk/js/invocation.js): a fresh instance, `__wasm_call_ctors` and `_faasm_zygote`, then `_start` with argv
// ["function.wasm", ...cmdline] or, chained by pointer, the table entry (its one i32 parsed from the input as
// std::stoi does). proc_exit(n) is return value n; a trap or a host fault is 1, with the error naming it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "worker/worker_protocol.h"

namespace faasmjs::gateway::worker {

RunResult run_call(const RunRequest& request, Channel& channel);

// The result of a call that did not run (Failed, return value 1), with `message` as its error.
RunResult failed(const std::string& message);

// For the benchmark of what an instance per call costs: µs per fresh instance (instantiate, ctors, zygote,
// free) and, for a module whose instances are kept (warm_instances.h), per reset of one to its snapshot, each
// averaged over `count` after a first; and what a kept instance holds. Nothing when the module does not load
// or its constructors trap.
struct InstantiationCost {
  double scratch_us = 0;
  bool resettable = false;
  double reset_us = 0;
  std::uint64_t snapshot_bytes = 0;  // the snapshot's copies
  std::uint64_t resident_bytes = 0;  // the kept instance's memory pages in RAM after a reset
};
std::optional<InstantiationCost> measure_instantiation(const std::string& shared_object, int count);

}  // namespace faasmjs::gateway::worker
