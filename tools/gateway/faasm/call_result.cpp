#include "faasm/call_result.h"

#include <algorithm>

#include "common/call_trace.h"

namespace faasmjs::gateway::faasm {

namespace {

// faasm src/faaslet/Faaslet.cpp (executeTask's catch): the output of a call whose execution threw.
constexpr std::string_view kThrewPrefix = "Task ";
constexpr std::string_view kThrewWhat = " threw exception. What: ";

std::string trap_reason(const std::string& output) {
  if (!output.starts_with(kThrewPrefix)) return {};
  const std::size_t what = output.find(kThrewWhat);
  if (what == std::string::npos || what == kThrewPrefix.size()) return {};
  const bool digits = std::all_of(output.begin() + kThrewPrefix.size(), output.begin() + what,
                                  [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return {};
  return output.substr(what + kThrewWhat.size());
}

std::uint32_t micros(std::int64_t us) {
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(us, 0, 0xffffffffll));
}

struct Outcome {
  CallStatus status;
  std::int32_t return_value;
  std::string error;
};

Outcome outcome_of(const MessageResult& message, const std::string& function) {
  if (message.returnValue == 0) return {CallStatus::Finished, 0, {}};
  std::string reason = trap_reason(message.output);
  if (!reason.empty() && message.returnValue == 1) {
    std::string where = message.executedHost.empty() ? "" : " (host " + message.executedHost + ")";
    return {CallStatus::Trapped, 1, function + " failed on Faasm" + where + ": " + reason};
  }
  return {CallStatus::Finished, message.returnValue, {}};
}

std::uint32_t run_us(const MessageResult& message) {
  if (message.startMs == 0 || message.finishMs == 0) return 0;
  return micros((message.finishMs - message.startMs) * 1000);
}

// Faasm's epoch milliseconds as microseconds from the call's submission to the gateway (0 when it has none).
std::uint32_t since_submitted(std::int64_t ms, const FinishedCall& call) {
  return ms == 0 ? 0 : micros(ms * 1000 - call.submitted_us);
}

}  // namespace

CallResult call_result(const FinishedCall& call, const BatchStatus& status) {
  CallResult result;
  const MessageResult* main = nullptr;
  std::vector<const MessageResult*> chained;
  for (const auto& message : status.results) {
    if (message.id == call.message_id && !main)
      main = &message;
    else
      chained.push_back(&message);
  }
  std::sort(chained.begin(), chained.end(), [](const MessageResult* a, const MessageResult* b) {
    return a->startMs != b->startMs ? a->startMs < b->startMs : a->id < b->id;
  });
  std::vector<std::string> children;
  for (const MessageResult* child : chained) {
    const Outcome outcome = outcome_of(*child, child->function);
    children.push_back(trace_json({child->function, static_cast<std::uint32_t>(child->id), 0, 0, run_us(*child),
                                   since_submitted(child->startMs, call), since_submitted(child->finishMs, call),
                                   outcome.return_value, outcome.status, outcome.error, "faasm", child->executedHost,
                                   false, static_cast<std::uint32_t>(child->funcPtr)},
                                  {}));
  }
  if (!main) {
    result.status = CallStatus::Failed;
    result.return_value = 1;
    result.error = call.function + ": Faasm's planner reported app " + std::to_string(status.appId) +
                   " finished without the call's own result (message " + std::to_string(call.message_id) + ")";
  } else {
    const Outcome outcome = outcome_of(*main, call.function);
    result.status = outcome.status;
    result.return_value = outcome.return_value;
    result.error = outcome.error;
    result.run_us = run_us(*main);
    if (main->startMs != 0) result.queued_us = micros(main->startMs * 1000 - call.submitted_us);
    if (outcome.status != CallStatus::Trapped) result.output.assign(main->output.begin(), main->output.end());
    if (result.output.size() > call.max_output_bytes) {
      result.status = CallStatus::Failed;
      result.return_value = 1;
      result.error = call.function + ": its output is " + std::to_string(result.output.size()) +
                     " bytes, over the limit of " + std::to_string(call.max_output_bytes) + " (--max-output)";
      result.output.clear();
    }
  }
  const std::string host = main ? main->executedHost : std::string();
  const std::uint32_t end_us = main ? since_submitted(main->finishMs, call) : 0;
  result.trace_json = trace_json({call.function, 0, 0, result.queued_us, result.run_us, 0, end_us, result.return_value,
                                  result.status, result.error, "faasm", host},
                                 children);
  return result;
}

}  // namespace faasmjs::gateway::faasm
