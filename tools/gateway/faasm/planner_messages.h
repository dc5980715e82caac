// The JSON of faabric's planner HTTP API (faabric src/planner/planner.proto, faabric.proto; handler
// src/planner/PlannerEndpointHandler.cpp), for the requests the gateway makes. Every request is an HttpMessage
// {"http_type": NAME, "payload": "<the JSON of the body message, as a string>"}. Answers are protobuf JSON, which
// leaves out default values (a missing returnValue is 0, a missing finished is false), prints int64 as strings,
// and uses faabric's json_name spellings for some fields (input_data, output_data, start_ts, finish_ts).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace faasmjs::gateway::faasm {

// One faabric.Message of an EXECUTE_BATCH request.
struct CallMessage {
  std::int32_t id = 0;  // chosen by the caller, any positive int32, unique within the app
  std::string user;
  std::string function;
  std::string input;  // bytes (inputData is a proto `bytes` field: sent base64, so any bytes are safe)
  std::string cmdline;
  std::int32_t funcPtr = 0;  // non-zero: a call by function pointer into the same module
};

// A faabric.BatchExecuteRequest: every message repeats the request's appId, user and function (the planner
// refuses a batch whose messages differ).
struct BatchRequest {
  std::int32_t appId = 0;
  std::string user;
  std::string function;
  std::vector<CallMessage> messages;
};

// One entry of an EXECUTE_BATCH_STATUS answer's messageResults.
struct MessageResult {
  std::int32_t id = 0;
  std::int32_t appId = 0;
  std::string user;
  std::string function;
  std::int32_t returnValue = 0;
  std::string output;  // output_data, a proto3 `string`: always valid UTF-8 (faasm/README.md)
  std::int32_t funcPtr = 0;
  std::string cmdline;
  std::string executedHost;
  std::int64_t startMs = 0;   // start_ts, epoch milliseconds
  std::int64_t finishMs = 0;  // finish_ts
};

struct BatchStatus {
  std::int32_t appId = 0;
  bool finished = false;  // no message of the app is in flight (chained calls share the caller's appId)
  std::vector<MessageResult> results;
};

struct AvailableHost {
  std::string ip;
  std::int32_t slots = 0;
  std::int32_t usedSlots = 0;
};

std::string encodeExecuteBatch(const BatchRequest& request);
std::string encodeBatchStatusQuery(std::int32_t appId, std::int32_t expectedMessages);
std::string encodeAvailableHostsQuery();

// Decoders name the answer that was malformed ("EXECUTE_BATCH_STATUS answer: ...") but not the endpoint; the
// planner client adds that.
Expected<std::int32_t> decodeExecuteBatchAnswer(std::string_view body);
Expected<BatchStatus> decodeBatchStatus(std::string_view body);
Expected<std::vector<AvailableHost>> decodeAvailableHosts(std::string_view body);

}  // namespace faasmjs::gateway::faasm
