// Faasm's planner (faabric's planner_server), the cluster's scheduler: the gateway submits calls to it and polls
// it for their results. Every request is a POST of an HttpMessage to the planner's URL (planner_messages.h).
//
// Thread-safety: as HttpClient; the client keeps no state between requests.
#pragma once

#include <optional>

#include "faasm/http_client.h"
#include "faasm/planner_messages.h"

namespace faasmjs::gateway::faasm {

enum class Submission {
  Accepted,
  // "No available hosts": every worker's slots are taken. Nothing of the batch was scheduled; submit it again
  // later (within the call's timeout) with the same ids.
  NoAvailableHosts,
};

class PlannerClient {
 public:
  explicit PlannerClient(std::string url, HttpTimeouts timeouts = {});

  const Endpoint& endpoint() const { return http_.endpoint(); }

  Expected<Submission> executeBatch(const BatchRequest& request) const;
  // Every result of the app so far (chained calls included); nullopt while the planner has none for the app yet
  // ("App not registered in results"), which right after a submission means: poll again.
  Expected<std::optional<BatchStatus>> batchStatus(std::int32_t appId, std::int32_t expectedMessages) const;
  Expected<std::vector<AvailableHost>> availableHosts() const;

 private:
  Expected<HttpResponse> post(std::string_view type, const std::string& body) const;
  Error refused(std::string_view type, const HttpResponse& response) const;
  Error malformed(const Error& error) const;

  HttpClient http_;
};

}  // namespace faasmjs::gateway::faasm
