// One call, entered as Faasm enters a function (faasm-interfaces.md 2.5) and as the browser does
// (sdk/js/invocation.js): a fresh instance, `__wasm_call_ctors` and `_faasm_zygote`, then `_start` with argv
// ["function.wasm", ...cmdline] or, chained by pointer, the table entry (its one i32 parsed from the input as
// std::stoi does). proc_exit(n) is return value n; a trap or a host fault is 1, with the error naming it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "worker/worker_protocol.h"

namespace faasmjs::gateway::worker {

RunResult run_call(const RunRequest& request, int channel);

// The result of a call that did not run (Failed, return value 1), with `message` as its error.
RunResult failed(const std::string& message);

// Instantiates and frees a fresh instance (with ctors and zygote) `count` times: µs per instance after the
// first, for the benchmark of the cost of a fresh instance per call.
double measure_instantiation(const std::string& shared_object, int count);

}  // namespace faasmjs::gateway::worker
