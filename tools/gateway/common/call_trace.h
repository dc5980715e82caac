// The trace of a call in a backend, as RESULT carries it (docs/protocol.md): a small JSON text, metadata only, with the
// same shape for every call the function chained. Both backends write it: the embedded cluster names the worker process
// (its pid), Faasm the host that executed the call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/calls.h"
#include "json_string.h"

namespace faasmjs::gateway {

struct TraceFields {
  const std::string& function;
  std::uint32_t id;     // the id the caller's guest saw; 0 for a top-level call
  std::int64_t worker;  // the embedded cluster's worker pid, 0 for a call that never ran (only that backend has it)
  std::uint32_t queued_us;
  std::uint32_t run_us;
  // When the call started and ended, in microseconds from the top-level call's submission: what a timeline of
  // the tree draws (queued_us + run_us leaves out the time a call waits on what it chained).
  std::uint32_t start_us;
  std::uint32_t end_us;
  std::int32_t return_value;
  CallStatus status;
  const std::string& error;
  std::string_view backend = {};  // "faasm"; empty: the embedded cluster, which writes no such field
  std::string_view host = {};     // the Faasm host that executed the call
  bool reset_instance = false;    // the embedded cluster's: it ran on a kept instance reset to its snapshot
  std::uint32_t func_ptr = 0;     // the table entry a call chained by pointer runs (0: a call by name)
};

inline const char* status_name(CallStatus status) {
  switch (status) {
    case CallStatus::Finished:
      return "finished";
    case CallStatus::Trapped:
      return "trapped";
    case CallStatus::TimedOut:
      return "timedOut";
    case CallStatus::MemoryExceeded:
      return "memoryExceeded";
    case CallStatus::Cancelled:
      return "cancelled";
    case CallStatus::Crashed:
      return "crashed";
    case CallStatus::Failed:
      return "failed";
  }
  return "unknown";
}

inline std::string trace_json(const TraceFields& f, const std::vector<std::string>& chained) {
  // RESULT carries the trace as a `str` (at most 65535 bytes): a wide fork-join lists the calls that fit and counts the
  // rest, rather than cut the JSON mid-way.
  constexpr std::size_t kMaxTraceBytes = 60'000;
  std::string json = "{\"where\":\"cluster\"";
  if (!f.backend.empty()) json += ",\"backend\":" + json_string(f.backend);
  if (!f.host.empty()) json += ",\"host\":" + json_string(f.host);
  json += ",\"function\":" + json_string(f.function) + ",\"id\":" + std::to_string(f.id);
  if (f.func_ptr != 0) json += ",\"funcPtr\":" + std::to_string(f.func_ptr);
  if (f.backend.empty()) json += ",\"worker\":" + std::to_string(f.worker);
  if (f.backend.empty() && f.worker != 0)
    json += std::string(",\"instance\":\"") + (f.reset_instance ? "reset" : "new") + "\"";
  json += ",\"queuedUs\":" + std::to_string(f.queued_us) + ",\"runUs\":" + std::to_string(f.run_us) +
          ",\"startUs\":" + std::to_string(f.start_us) + ",\"endUs\":" + std::to_string(f.end_us) +
          ",\"returnValue\":" + std::to_string(f.return_value) + ",\"status\":\"" + status_name(f.status) + "\"";
  if (!f.error.empty()) json += ",\"error\":" + json_string(f.error);
  std::string list;
  std::size_t listed = 0;
  for (const auto& child : chained) {
    if (json.size() + list.size() + child.size() + 64 > kMaxTraceBytes) break;
    list += (listed++ ? "," : "") + child;
  }
  json += ",\"chained\":[" + list + "]";
  if (listed < chained.size()) json += ",\"omitted\":" + std::to_string(chained.size() - listed);
  return json + "}";
}

}  // namespace faasmjs::gateway
