// The planner's answers as the decoders take them: protobuf JSON's habits (defaults left out, int64 as strings),
// and answers that are not what faabric sends, which must become one-line errors, never a throw or a crash.
// The well-formed answers of the real planner are decoded in clients_test.cpp.
#include "faasm/planner_messages.h"

#include <doctest/doctest.h>

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::faasm;

TEST_SUITE("messages") {
  TEST_CASE("defaults left out and int64 as strings decode as protobuf JSON means them") {
    auto status = decodeBatchStatus(R"({"appId":7,"messageResults":[{"id":9,"start_ts":"1796182806431"}]})");
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    CHECK(status->appId == 7);
    CHECK_FALSE(status->finished);
    REQUIRE(status->results.size() == 1);
    CHECK(status->results[0].returnValue == 0);
    CHECK(status->results[0].output.empty());
    CHECK(status->results[0].startMs == 1796182806431);
    auto hosts = decodeAvailableHosts("{}");
    REQUIRE_MESSAGE(hosts.has_value(), hosts.error().message);
    CHECK(hosts->empty());
  }

  TEST_CASE("an answer that is not JSON names the request and quotes its start") {
    auto status = decodeBatchStatus("<html>proxy error</html>");
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().message == "EXECUTE_BATCH_STATUS answer is not a JSON object: \"<html>proxy error</html>\"");
    CHECK_FALSE(decodeExecuteBatchAnswer("[1]").has_value());
  }

  TEST_CASE("fields of the wrong type are errors naming the field") {
    struct Case {
      std::string body;
      std::string error;
    };
    for (const Case& c : {
             Case{R"({"appId":"seven"})", "appId is not an integer"},
             Case{R"({"appId":1,"finished":"yes"})", "finished"},
             Case{R"({"appId":1,"messageResults":{"id":1}})", "messageResults is not an array"},
             Case{R"({"appId":1,"messageResults":[3]})", "messageResults holds something other than objects"},
             Case{R"({"messageResults":[{"returnValue":1.5}]})", "returnValue is not an integer"},
             Case{R"({"messageResults":[{"output_data":7}]})", "output_data is not a string"},
             Case{R"({"messageResults":[{"id":4294967296}]})", "id is out of range"},
             Case{R"({"messageResults":[{"start_ts":18446744073709551615}]})", "start_ts is out of range"},
             Case{R"({"messageResults":[{"finish_ts":"12ab"}]})", "finish_ts is not an integer"},
         }) {
      CAPTURE(c.body);
      auto status = decodeBatchStatus(c.body);
      REQUIRE_FALSE(status.has_value());
      CHECK(status.error().message.starts_with("EXECUTE_BATCH_STATUS answer is malformed: "));
      CHECK_MESSAGE(status.error().message.find(c.error) != std::string::npos, status.error().message);
    }
    auto hosts = decodeAvailableHosts(R"({"hosts":[{"ip":1}]})");
    REQUIRE_FALSE(hosts.has_value());
    CHECK(hosts.error().message == "GET_AVAILABLE_HOSTS answer is malformed: ip is not a string");
  }
}
