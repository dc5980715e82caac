// One call, entered as Faasm enters a function (faasm-interfaces.md 2.5) and as the browser does
// (sdk/js/invocation.js): a fresh instance, `__wasm_call_ctors` and `_faasm_zygote`, then `_start` with argv
// ["function.wasm", ...cmdline] or, chained by pointer, the table entry (its one i32 parsed from the input as
// std::stoi does). proc_exit(n) is return value n; a trap or a host fault is 1, with the error naming it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/cluster.h"

namespace faasmjs::gateway::worker {

struct RunRequest {
  std::string shared_object;
  std::string function;
  std::string user;
  std::uint32_t func_ptr = 0;
  std::string cmdline;
  std::uint64_t memory_limit_bytes = 0;
  std::vector<std::uint8_t> input;
};

struct RunResult {
  std::int32_t return_value = 0;
  CallStatus status = CallStatus::Finished;
  std::string error;
  std::string stdout_text;
  std::string stderr_text;
  std::vector<std::uint8_t> output;
};

RunResult run_call(const RunRequest& request, int channel);

// Instantiates and frees a fresh instance (with ctors and zygote) `count` times: µs per instance after the
// first, for the benchmark of the cost of a fresh instance per call.
double measure_instantiation(const std::string& shared_object, int count);

}  // namespace faasmjs::gateway::worker
