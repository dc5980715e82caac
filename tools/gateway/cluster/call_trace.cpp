#include "cluster/call_trace.h"

#include "json_string.h"

namespace faasmjs::gateway::cluster {

namespace {

constexpr std::size_t kMaxTraceBytes = 60'000;

const char* status_name(CallStatus status) {
  switch (status) {
    case CallStatus::Finished: return "finished";
    case CallStatus::Trapped: return "trapped";
    case CallStatus::TimedOut: return "timedOut";
    case CallStatus::MemoryExceeded: return "memoryExceeded";
    case CallStatus::Cancelled: return "cancelled";
    case CallStatus::Crashed: return "crashed";
    case CallStatus::Failed: return "failed";
  }
  return "unknown";
}

}  // namespace

std::string trace_json(const TraceFields& f, const std::vector<std::string>& chained) {
  std::string json = "{\"where\":\"cluster\",\"function\":" + json_string(f.function) + ",\"id\":" + std::to_string(f.id) +
                     ",\"worker\":" + std::to_string(f.worker) + ",\"queuedUs\":" + std::to_string(f.queued_us) +
                     ",\"runUs\":" + std::to_string(f.run_us) + ",\"returnValue\":" + std::to_string(f.return_value) +
                     ",\"status\":\"" + status_name(f.status) + "\"";
  if (!f.error.empty()) json += ",\"error\":" + json_string(f.error);
  // RESULT carries the trace as a `str` (at most 65535 bytes): a wide fork-join lists the calls that fit and
  // counts the rest, rather than cut the JSON mid-way.
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

}  // namespace faasmjs::gateway::cluster
