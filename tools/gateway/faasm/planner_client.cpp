#include "faasm/planner_client.h"

namespace faasmjs::gateway::faasm {

namespace {

// The planner's own words (faabric Planner.cpp, PlannerEndpointHandler.cpp), answered with status 500.
constexpr std::string_view kNoAvailableHosts = "No available hosts";
constexpr std::string_view kAppNotRegistered = "App not registered in results";

}  // namespace

PlannerClient::PlannerClient(std::string url, HttpTimeouts timeouts)
    : http_(Endpoint{"Faasm's planner", std::move(url)}, timeouts) {}

Expected<HttpResponse> PlannerClient::post(std::string_view type, const std::string& body) const {
  return http_.send({"POST", "/", {{"Content-Type", "application/json"}}, body, std::string(type)});
}

Error PlannerClient::refused(std::string_view type, const HttpResponse& response) const {
  return Error{ErrorCode::Internal, endpoint().describe() + " refused " + std::string(type) + ": " +
                                        std::to_string(response.status) + " " + std::string(response.reason())};
}

Error PlannerClient::malformed(const Error& error) const {
  return Error{error.code, endpoint().describe() + ": " + error.message};
}

Expected<Submission> PlannerClient::executeBatch(const BatchRequest& request) const {
  auto response = post("EXECUTE_BATCH", encodeExecuteBatch(request));
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) {
    if (response->body.starts_with(kNoAvailableHosts)) return Submission::NoAvailableHosts;
    return std::unexpected(refused("EXECUTE_BATCH", *response));
  }
  auto appId = decodeExecuteBatchAnswer(response->body);
  if (!appId) return std::unexpected(malformed(appId.error()));
  if (*appId != request.appId)
    return fail(ErrorCode::Internal, endpoint().describe() + " accepted app " + std::to_string(request.appId) +
                                         " as app " + std::to_string(*appId));
  return Submission::Accepted;
}

Expected<std::optional<BatchStatus>> PlannerClient::batchStatus(std::int32_t appId,
                                                                std::int32_t expectedMessages) const {
  auto response = post("EXECUTE_BATCH_STATUS", encodeBatchStatusQuery(appId, expectedMessages));
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) {
    if (response->body.starts_with(kAppNotRegistered)) return std::optional<BatchStatus>();
    return std::unexpected(refused("EXECUTE_BATCH_STATUS", *response));
  }
  auto status = decodeBatchStatus(response->body);
  if (!status) return std::unexpected(malformed(status.error()));
  return std::optional<BatchStatus>(std::move(*status));
}

Expected<std::vector<AvailableHost>> PlannerClient::availableHosts() const {
  auto response = post("GET_AVAILABLE_HOSTS", encodeAvailableHostsQuery());
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) return std::unexpected(refused("GET_AVAILABLE_HOSTS", *response));
  auto hosts = decodeAvailableHosts(response->body);
  if (!hosts) return std::unexpected(malformed(hosts.error()));
  return std::move(*hosts);
}

}  // namespace faasmjs::gateway::faasm
