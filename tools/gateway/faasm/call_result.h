// A call Faasm finished, as a RESULT: its status, return value and output from the planner's message result, and a
// trace (common/call_trace.h) naming the backend, the host that executed it and every call it chained.
//
// What Faasm reports (../shared/faasm/README.md): a function returning 0 has its output; one returning N != 0 has
// returnValue N and its output replaced by "Call failed (return value=N)"; one that traps has returnValue 1 and output
// "Task <id> threw exception. What: <reason>". So a zero return is Finished with the output, a non-zero one Finished
// with that return value and Faasm's text as output (the function's own output is gone), and the exception text is
// Trapped with that reason as the error line.
//
// Calls chained on Faasm (by name or pointer, at any depth) report under the caller's app, with no parent link: the
// trace lists them flat, in the order they started. Times are Faasm's epoch milliseconds (start_ts, finish_ts): run_us
// is the call's run on its host, queued_us the wait from the gateway's submission to that start (0 for chained calls,
// whose submission Faasm does not report).
#pragma once

#include <cstdint>
#include <string>

#include "common/calls.h"
#include "faasm/planner_messages.h"

namespace faasmjs::gateway::faasm {

struct FinishedCall {
  const std::string& function;
  std::int32_t message_id;    // the id the gateway gave the call's message
  std::int64_t submitted_us;  // epoch microseconds of the call's submission to
                              // the gateway
  std::size_t max_output_bytes;
};

CallResult call_result(const FinishedCall& call, const BatchStatus& status);

}  // namespace faasmjs::gateway::faasm
