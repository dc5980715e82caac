// Typed outputs on real Faasm. faabric's Message.outputData is a proto3 string, and a call whose output is not
// valid UTF-8 kills Faasm's planner; the SDK therefore writes every typed (cereal) output UTF-8-safe
// (include/faasmjs/output_encoding.hpp). The project's own clang builds of the typed fork-join examples run
// here on the fixture: `pi` with real inputs (whose workers' counts, as raw cereal, killed the planner) twice,
// and `chain`; their outputs are the README's, their workers' outputs decode to what the caller joined, and
// the planner still lists both workers afterwards.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <faasmjs/bytes.hpp>
#include <faasmjs/output_encoding.hpp>
#include <faasmjs/serialization.hpp>
#include <string>
#include <vector>

#include "cluster.h"
#include "faasm/planner_client.h"
#include "faasm/utf8.h"
#include "text_stats.hpp"

using namespace faasmjs::gateway::faasm;
using namespace faasmjs::gateway::faasm::testing;

namespace {

// The output examples/functions/README.md's expected-output table gives for `function` with the input cell
// `inputCell` (a literal in backticks, or `none`): the table the browser and Node suites check too.
std::string readmeOutput(const std::string& function, const std::string& inputCell) {
  const std::string readme = readFile(FAASMJS_EXAMPLES_README);
  const std::string row = "| `" + function + "` | " + inputCell + " | `";
  const auto at = readme.find(row);
  REQUIRE_MESSAGE(at != std::string::npos, FAASMJS_EXAMPLES_README << " has no row starting " << row);
  const auto start = at + row.size();
  return readme.substr(start, readme.find('`', start) - start);
}

template <class T>
T decodedOutput(const MessageResult& result) {
  auto value = faasmjs::decode_output<T>(faasmjs::as_bytes(result.output));
  REQUIRE_MESSAGE(value.ok(), "output of call " << result.id << ": " << value.error().message());
  return *value;
}

// What a typed value's output would be without the encoding: not UTF-8 is what the planner died of.
template <class T>
bool rawCerealIsUtf8(const T& value) {
  return isValidUtf8(faasmjs::as_chars(faasmjs::serialize(value)));
}

void checkPlannerAlive(const PlannerClient& planner) {
  auto hosts = planner.availableHosts();
  REQUIRE_MESSAGE(hosts.has_value(), "the planner is gone: " << hosts.error().message);
  std::vector<std::string> ips;
  for (const AvailableHost& host : *hosts) ips.push_back(host.ip);
  std::vector<std::string> workers = cluster().workers;
  std::ranges::sort(ips);
  std::ranges::sort(workers);
  CHECK(ips == workers);
}

BatchStatus runToEnd(const PlannerClient& planner, const BatchRequest& request) {
  auto submitted = planner.executeBatch(request);
  REQUIRE_MESSAGE(submitted.has_value(), submitted.error().message);
  REQUIRE(*submitted == Submission::Accepted);
  return awaitFinished(planner, request.appId, request.messages.size());
}

}  // namespace

TEST_SUITE("typed_outputs") {
  TEST_CASE("pi 4 2000000 runs twice: the README's estimate from its workers' UTF-8-safe counts, planner alive") {
    uploadExample("pi");
    PlannerClient planner(cluster().planner);
    const std::string expected = readmeOutput("pi", "`4 2000000`");
    for (int run = 1; run <= 2; ++run) {
      CAPTURE(run);
      const BatchRequest request = batch("pi", {"4 2000000"});
      const BatchStatus status = runToEnd(planner, request);
      REQUIRE(status.results.size() == 5);
      std::string estimate;
      std::uint64_t inside = 0;
      std::size_t workers = 0;
      bool wouldHaveKilled = false;
      for (const MessageResult& result : status.results) {
        CHECK(result.returnValue == 0);
        CHECK(isValidUtf8(result.output));
        if (result.id == request.messages[0].id) {
          estimate = result.output;
          continue;
        }
        CHECK(result.function == "pi");
        CHECK(result.funcPtr != 0);
        const auto hits = decodedOutput<std::uint64_t>(result);
        CHECK(hits <= 2000000);
        wouldHaveKilled = wouldHaveKilled || !rawCerealIsUtf8(hits);
        inside += hits;
        ++workers;
      }
      MESSAGE("pi on Faasm, run " << run << ": " << estimate);
      CHECK(workers == 4);
      CHECK(wouldHaveKilled);
      CHECK(estimate == expected);
      const std::string prefix = "Pi estimate from 4 x 2000000 samples: ";
      REQUIRE(estimate.starts_with(prefix));
      const double pi = std::strtod(estimate.c_str() + prefix.size(), nullptr);
      CHECK(std::fabs(pi - 3.14159265358979) < 0.005);
      char fromHits[32];
      std::snprintf(fromHits, sizeof fromHits, "%.6f", 4.0 * static_cast<double>(inside) / 8e6);
      CHECK(estimate.substr(prefix.size(), 8) == fromHits);
      checkPlannerAlive(planner);
    }
  }

  TEST_CASE("chain's typed fork-join: squares by pointer and TextStats by name decode to what chain joined") {
    uploadExample("chain");
    uploadExample("chain_worker");
    PlannerClient planner(cluster().planner);
    const BatchRequest request = batch("chain", {""});
    const BatchStatus status = runToEnd(planner, request);
    REQUIRE(status.results.size() == 8);
    std::string summary;
    std::vector<std::int64_t> squares;
    std::uint32_t words = 0;
    std::size_t sentences = 0;
    for (const MessageResult& result : status.results) {
      CHECK(result.returnValue == 0);
      CHECK(isValidUtf8(result.output));
      if (result.id == request.messages[0].id) {
        summary = result.output;
      } else if (result.funcPtr != 0) {
        squares.push_back(decodedOutput<std::int64_t>(result));
      } else {
        CHECK(result.function == "chain_worker");
        words += decodedOutput<TextStats>(result).words;
        ++sentences;
      }
    }
    CHECK(summary == readmeOutput("chain", "none"));
    std::ranges::sort(squares);
    CHECK(squares == std::vector<std::int64_t>{1, 4, 9, 16});
    CHECK(sentences == 3);
    CHECK(summary.ends_with("; words in 3 sentences = " + std::to_string(words)));
    checkPlannerAlive(planner);
  }
}
