// The trace of a call in the cluster, as RESULT carries it (docs/protocol.md): a small JSON text, metadata
// only, with the same shape for every call the function chained.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/calls.h"

namespace faasmjs::gateway::cluster {

struct TraceFields {
  const std::string& function;
  std::uint32_t id;  // the id the caller's guest saw; 0 for a top-level call
  pid_t worker;
  std::uint32_t queued_us;
  std::uint32_t run_us;
  std::int32_t return_value;
  CallStatus status;
  const std::string& error;
};

std::string trace_json(const TraceFields& fields, const std::vector<std::string>& chained);

}  // namespace faasmjs::gateway::cluster
