#include "faasm/planner_messages.h"

#include <openssl/evp.h>

#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>

namespace faasmjs::gateway::faasm {

namespace {

using nlohmann::json;

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string httpMessage(std::string_view type, const json& payload) {
  json message = {{"http_type", type}};
  if (!payload.is_null()) message["payload"] = payload.dump();
  return message.dump();
}

// Protobuf JSON prints int32 as a number and int64 as a string; it accepts both when parsing.
template <typename Int>
Int integer(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end()) return 0;
  long long value = 0;
  if (it->is_number_unsigned()) {
    if (it->get<unsigned long long>() > static_cast<unsigned long long>(std::numeric_limits<Int>::max()))
      throw std::out_of_range(std::string(field) + " is out of range");
    value = it->get<long long>();
  } else if (it->is_number_integer()) {
    value = it->get<long long>();
  } else if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty())
      throw std::invalid_argument(std::string(field) + " is not an integer");
  } else {
    throw std::invalid_argument(std::string(field) + " is not an integer");
  }
  if (value < std::numeric_limits<Int>::min() || value > std::numeric_limits<Int>::max())
    throw std::out_of_range(std::string(field) + " is out of range");
  return static_cast<Int>(value);
}

bool boolean(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end()) return false;
  if (!it->is_boolean()) throw std::invalid_argument(std::string(field) + " is not a boolean");
  return it->get<bool>();
}

std::string text(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end()) return {};
  if (!it->is_string()) throw std::invalid_argument(std::string(field) + " is not a string");
  return it->get<std::string>();
}

// The objects of an array field (absent: none, as protobuf JSON leaves out empty repeated fields).
std::vector<json> objects(const json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end()) return {};
  if (!it->is_array()) throw std::invalid_argument(std::string(field) + " is not an array");
  for (const json& entry : *it) {
    if (!entry.is_object()) throw std::invalid_argument(std::string(field) + " holds something other than objects");
  }
  return it->get<std::vector<json>>();
}

// nlohmann reports type mismatches by throwing; the decoders catch them here and return them as values.
template <typename Decode>
auto decodeAnswer(std::string_view what, std::string_view body, Decode decode) -> Expected<decltype(decode(json()))> {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    std::string start(body.substr(0, 80));
    return fail(ErrorCode::Internal, std::string(what) + " answer is not a JSON object: \"" + start + "\"");
  }
  try {
    return decode(parsed);
  } catch (const std::exception& error) {
    return fail(ErrorCode::Internal, std::string(what) + " answer is malformed: " + error.what());
  }
}

}  // namespace

std::string encodeExecuteBatch(const BatchRequest& request) {
  json messages = json::array();
  for (const CallMessage& call : request.messages) {
    json message = {{"id", call.id},
                    {"appId", request.appId},
                    {"user", request.user},
                    {"function", request.function},
                    {"inputData", base64(call.input)}};
    if (!call.cmdline.empty()) message["cmdline"] = call.cmdline;
    if (call.funcPtr != 0) message["funcPtr"] = call.funcPtr;
    messages.push_back(std::move(message));
  }
  return httpMessage("EXECUTE_BATCH", {{"appId", request.appId},
                                       {"user", request.user},
                                       {"function", request.function},
                                       {"messages", std::move(messages)}});
}

std::string encodeBatchStatusQuery(std::int32_t appId, std::int32_t expectedMessages) {
  return httpMessage("EXECUTE_BATCH_STATUS", {{"appId", appId}, {"expectedNumMessages", expectedMessages}});
}

std::string encodeAvailableHostsQuery() { return httpMessage("GET_AVAILABLE_HOSTS", nullptr); }

Expected<std::int32_t> decodeExecuteBatchAnswer(std::string_view body) {
  return decodeAnswer("EXECUTE_BATCH", body, [](const json& answer) { return integer<std::int32_t>(answer, "appId"); });
}

Expected<BatchStatus> decodeBatchStatus(std::string_view body) {
  return decodeAnswer("EXECUTE_BATCH_STATUS", body, [](const json& answer) {
    BatchStatus status;
    status.appId = integer<std::int32_t>(answer, "appId");
    status.finished = boolean(answer, "finished");
    for (const json& entry : objects(answer, "messageResults")) {
      MessageResult result;
      result.id = integer<std::int32_t>(entry, "id");
      result.appId = integer<std::int32_t>(entry, "appId");
      result.user = text(entry, "user");
      result.function = text(entry, "function");
      result.returnValue = integer<std::int32_t>(entry, "returnValue");
      result.output = text(entry, "output_data");
      result.funcPtr = integer<std::int32_t>(entry, "funcPtr");
      result.cmdline = text(entry, "cmdline");
      result.executedHost = text(entry, "executedHost");
      result.startMs = integer<std::int64_t>(entry, "start_ts");
      result.finishMs = integer<std::int64_t>(entry, "finish_ts");
      status.results.push_back(std::move(result));
    }
    return status;
  });
}

Expected<std::vector<AvailableHost>> decodeAvailableHosts(std::string_view body) {
  return decodeAnswer("GET_AVAILABLE_HOSTS", body, [](const json& answer) {
    std::vector<AvailableHost> hosts;
    for (const json& entry : objects(answer, "hosts")) {
      hosts.push_back(
          {text(entry, "ip"), integer<std::int32_t>(entry, "slots"), integer<std::int32_t>(entry, "usedSlots")});
    }
    return hosts;
  });
}

}  // namespace faasmjs::gateway::faasm
