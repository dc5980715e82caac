// The planner and upload clients against the real Faasm cluster that ctest's fixture started (fixture.sh): the
// project's own clang build of `hello` uploaded, run on one of the cluster's workers and polled to its result;
// a binary Faasm refuses; state and files through the upload server; and endpoints that are down or mute.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "cluster.h"
#include "faasm/planner_client.h"
#include "faasm/upload_client.h"
#include "faasm/utf8.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::faasm;
using namespace faasmjs::gateway::faasm::testing;
using namespace std::chrono_literals;

TEST_SUITE("clients") {
  TEST_CASE("the planner lists exactly the cluster's workers") {
    PlannerClient planner(cluster().planner);
    auto hosts = planner.availableHosts();
    REQUIRE_MESSAGE(hosts.has_value(), hosts.error().message);
    std::vector<std::string> ips;
    for (const AvailableHost& host : *hosts) {
      ips.push_back(host.ip);
      CHECK(host.slots > 0);
    }
    std::vector<std::string> workers = cluster().workers;
    std::ranges::sort(ips);
    std::ranges::sort(workers);
    CHECK(ips == workers);
  }

  TEST_CASE("the project's hello, uploaded, runs on one of the workers and is polled to its result") {
    uploadExample("hello");
    PlannerClient planner(cluster().planner);
    std::string name = freshName("Ada");
    BatchRequest request = batch("hello", {name}, "hello --from faasmjs");
    auto submitted = planner.executeBatch(request);
    REQUIRE_MESSAGE(submitted.has_value(), submitted.error().message);
    REQUIRE(*submitted == Submission::Accepted);

    BatchStatus status = awaitFinished(planner, request.appId, 1);
    CHECK(status.appId == request.appId);
    REQUIRE(status.results.size() == 1);
    const MessageResult& result = status.results[0];
    CHECK(result.id == request.messages[0].id);
    CHECK(result.user == kUser);
    CHECK(result.function == "hello");
    CHECK(result.returnValue == 0);
    CHECK(result.output == "Hello " + name + "!");
    CHECK(result.cmdline == "hello --from faasmjs");
    CHECK(isValidUtf8(result.output));
    CHECK(std::ranges::find(cluster().workers, result.executedHost) != cluster().workers.end());
    CHECK(result.startMs > 0);
    CHECK(result.finishMs >= result.startMs);
  }

  TEST_CASE("a batch of every free slot runs on both workers; one call more is refused whole as no available hosts") {
    uploadExample("hello");
    PlannerClient planner(cluster().planner);
    auto hosts = planner.availableHosts();
    REQUIRE_MESSAGE(hosts.has_value(), hosts.error().message);
    std::size_t free = 0;
    for (const AvailableHost& host : *hosts) free += static_cast<std::size_t>(host.slots - host.usedSlots);
    REQUIRE(free >= cluster().workers.size());

    std::vector<std::string> inputs;
    for (std::size_t i = 0; i <= free; ++i) inputs.push_back(freshName("call"));
    BatchRequest tooMany = batch("hello", inputs);
    auto refused = planner.executeBatch(tooMany);
    REQUIRE_MESSAGE(refused.has_value(), refused.error().message);
    CHECK(*refused == Submission::NoAvailableHosts);
    auto nothing = planner.batchStatus(tooMany.appId, static_cast<std::int32_t>(inputs.size()));
    REQUIRE_MESSAGE(nothing.has_value(), nothing.error().message);
    CHECK_FALSE(nothing->has_value());

    inputs.pop_back();
    BatchRequest fits = batch("hello", inputs);
    auto accepted = planner.executeBatch(fits);
    REQUIRE_MESSAGE(accepted.has_value(), accepted.error().message);
    REQUIRE(*accepted == Submission::Accepted);
    BatchStatus status = awaitFinished(planner, fits.appId, inputs.size());
    REQUIRE(status.results.size() == inputs.size());
    std::map<std::int32_t, std::string> expected;
    for (const CallMessage& call : fits.messages) expected[call.id] = "Hello " + call.input + "!";
    std::vector<std::string> ranOn;
    for (const MessageResult& result : status.results) {
      CHECK(result.returnValue == 0);
      CHECK(result.output == expected[result.id]);
      ranOn.push_back(result.executedHost);
    }
    std::ranges::sort(ranOn);
    ranOn.erase(std::unique(ranOn.begin(), ranOn.end()), ranOn.end());
    std::vector<std::string> workers = cluster().workers;
    std::ranges::sort(workers);
    CHECK(ranOn == workers);
  }

  TEST_CASE("calls chained inside Faasm, by pointer and by name, report in their caller's app") {
    uploadExample("chain");
    uploadExample("chain_worker");
    PlannerClient planner(cluster().planner);
    BatchRequest request = batch("chain", {""});
    auto submitted = planner.executeBatch(request);
    REQUIRE_MESSAGE(submitted.has_value(), submitted.error().message);
    REQUIRE(*submitted == Submission::Accepted);
    BatchStatus status = awaitFinished(planner, request.appId, 1);
    // chain forks square for 1..4 by pointer and chain_worker for 3 sentences by name (examples/functions).
    REQUIRE(status.results.size() == 8);
    std::size_t byPointer = 0, byName = 0;
    for (const MessageResult& result : status.results) {
      CHECK(result.appId == request.appId);
      CHECK(result.returnValue == 0);
      CHECK(isValidUtf8(result.output));
      if (result.id == request.messages[0].id) {
        CHECK(result.output == "sum of squares 1..4 = 30; words in 3 sentences = 9");
      } else if (result.funcPtr != 0) {
        CHECK(result.function == "chain");
        ++byPointer;
      } else {
        CHECK(result.function == "chain_worker");
        ++byName;
      }
    }
    CHECK(byPointer == 4);
    CHECK(byName == 3);
  }

  TEST_CASE("bytes as code points U+0000-U+00FF, the SDK's encoding of typed outputs, survive the planner") {
    uploadExample("echo");
    std::string encoded;
    for (int byte = 0; byte < 256; ++byte) {
      if (byte < 0x80) {
        encoded.push_back(static_cast<char>(byte));
      } else {
        encoded.push_back(static_cast<char>(0xC0 | byte >> 6));
        encoded.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
      }
    }
    REQUIRE(isValidUtf8(encoded));
    PlannerClient planner(cluster().planner);
    BatchRequest request = batch("echo", {encoded});
    auto submitted = planner.executeBatch(request);
    REQUIRE_MESSAGE(submitted.has_value(), submitted.error().message);
    BatchStatus status = awaitFinished(planner, request.appId, 1);
    REQUIRE(status.results.size() == 1);
    CHECK(status.results[0].returnValue == 0);
    CHECK(status.results[0].output == encoded);
    auto hosts = planner.availableHosts();
    CHECK_MESSAGE(hosts.has_value(), "the planner is gone after the call: ", hosts.error().message);
  }

  TEST_CASE("a status query for an app without results yet means: poll again") {
    PlannerClient planner(cluster().planner);
    auto status = planner.batchStatus(freshId(), 1);
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    CHECK_FALSE(status->has_value());
  }

  TEST_CASE("a binary Faasm refuses comes back with Faasm's reason, naming the upload server") {
    UploadClient upload(cluster().upload, {.connect = 2000ms, .total = 60000ms});
    std::string function = freshName("garbage");
    auto uploaded = upload.uploadFunction(kUser, function, "this is not WebAssembly");
    REQUIRE_FALSE(uploaded.has_value());
    CHECK(uploaded.error().code == ErrorCode::BadWasm);
    CHECK(uploaded.error().message == "Faasm's upload server at " + cluster().upload + " refused PUT /f/" + kUser +
                                          "/" + function + ": 500 Upload server error: File is not a wasm binary");
  }

  TEST_CASE("state: a whole value PUT through the upload server is what GET returns, byte for byte") {
    UploadClient upload(cluster().upload);
    std::string key = freshName("clients");
    std::string value("bytes \0\x01\xff\xfe and text", 22);
    auto put = upload.putState(kUser, key, value);
    REQUIRE_MESSAGE(put.has_value(), put.error().message);
    auto got = upload.getState(kUser, key);
    REQUIRE_MESSAGE(got.has_value(), got.error().message);
    CHECK(*got == value);
  }

  TEST_CASE("state: a key that does not exist is an error with Faasm's reason") {
    UploadClient upload(cluster().upload);
    std::string key = freshName("missing");
    auto got = upload.getState(kUser, key);
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == ErrorCode::BadState);
    CHECK(got.error().message.starts_with("Faasm's upload server at " + cluster().upload + " refused GET /s/" + kUser +
                                          "/" + key + ": 500 "));
    CHECK(got.error().message.find("Must specify size") != std::string::npos);
  }

  TEST_CASE("a name that would change the upload server's path is refused before sending") {
    UploadClient upload(cluster().upload);
    auto put = upload.putState(kUser, "a/b", "x");
    REQUIRE_FALSE(put.has_value());
    CHECK(put.error().code == ErrorCode::BadState);
    CHECK(put.error().message.find("state key \"a/b\"") != std::string::npos);
  }

  TEST_CASE("files: PUT /file and GET /file with FilePath round-trip") {
    UploadClient upload(cluster().upload);
    std::string path = "faasmjs-test/" + freshName("file") + ".bin";
    std::string contents("file \0\x80 contents", 16);
    auto put = upload.putFile(path, contents);
    REQUIRE_MESSAGE(put.has_value(), put.error().message);
    auto got = upload.getFile(path);
    REQUIRE_MESSAGE(got.has_value(), got.error().message);
    REQUIRE(got->has_value());
    CHECK(**got == contents);
  }

  TEST_CASE("files: GET /file of a file that is not there, or is empty, is no file") {
    UploadClient upload(cluster().upload);
    const std::string path = "faasmjs-test/" + freshName("missing") + ".bin";
    auto missing = upload.getFile(path);
    REQUIRE_MESSAGE(missing.has_value(), missing.error().message);
    CHECK_FALSE(missing->has_value());
    REQUIRE(upload.putFile(path, "").has_value());
    auto empty = upload.getFile(path);
    REQUIRE_MESSAGE(empty.has_value(), empty.error().message);
    CHECK_FALSE(empty->has_value());
  }

  TEST_CASE("a planner URL with nothing listening is an error naming the planner") {
    LoopbackPort closed(false);
    PlannerClient planner(closed.url());
    auto hosts = planner.availableHosts();
    REQUIRE_FALSE(hosts.has_value());
    CHECK(hosts.error().message ==
          "Faasm's planner at " + closed.url() + " refused the connection (GET_AVAILABLE_HOSTS)");
    BatchRequest request{freshId(), kUser, "hello", {{freshId(), kUser, "hello", "", "", 0}}};
    auto submitted = planner.executeBatch(request);
    REQUIRE_FALSE(submitted.has_value());
    CHECK(submitted.error().message ==
          "Faasm's planner at " + closed.url() + " refused the connection (EXECUTE_BATCH)");
  }

  TEST_CASE("an upload server URL with nothing listening is an error naming the upload server") {
    LoopbackPort closed(false);
    UploadClient upload(closed.url());
    auto uploaded = upload.uploadFunction(kUser, "hello", "\0asm");
    REQUIRE_FALSE(uploaded.has_value());
    CHECK(uploaded.error().message ==
          "Faasm's upload server at " + closed.url() + " refused the connection (PUT /f/" + kUser + "/hello)");
  }

  TEST_CASE("an endpoint that accepts the connection but never answers times out, naming it") {
    LoopbackPort mute(true);
    PlannerClient planner(mute.url(), {.connect = 2000ms, .total = 300ms});
    auto status = planner.batchStatus(1, 1);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().message ==
          "Faasm's planner at " + mute.url() + " did not answer within 300 ms (EXECUTE_BATCH_STATUS)");
  }
}
