// The Faasm cluster that ctest's fixture started (fixture.sh), as the suites that run against it reach it: its
// endpoints, the project's own clang builds of the examples uploaded to it, and batches polled to their end.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "faasm/planner_client.h"
#include "faasm/upload_client.h"
#include "state/global_store.h"

namespace faasmjs::gateway::faasm::testing {

inline constexpr const char* kUser = "faasmjs-test";

struct Cluster {
  std::string planner;
  std::string upload;
  std::vector<std::string> workers;
  std::string redis;       // HOST:PORT
  std::string state_mode;  // redis or inmemory
};

// The environment variable `name`; fails the test when it is not set.
std::string required(const char* name);

// The FAASM_* lines fixture.sh wrote.
const Cluster& cluster();

std::string readFile(const std::string& path);

// Fresh names and ids per run: Faasm keeps a state key's first size, and the planner keeps results per app.
std::int32_t freshId();
std::string freshName(std::string_view prefix);

// The project's own clang build of an example, uploaded once per run (WAMR compiles it: about a second).
void uploadExample(const std::string& function);

// One upload client for the cluster's upload server.
const UploadClient& upload();

// The error of a result that must have failed.
template <typename T>
Error errorOf(const Expected<T>& result) {
  REQUIRE_FALSE(result.has_value());
  return result.error();
}

// One message per input, all of `function`, in a fresh app.
BatchRequest batch(const std::string& function, const std::vector<std::string>& inputs,
                   const std::string& cmdline = "");

// Polls as a backend would until the app has `expected` results and nothing in flight (bounded).
BatchStatus awaitFinished(const PlannerClient& planner, std::int32_t appId, std::size_t expected);

// The fixture's own smoke function (../shared/faasm/functions/smoke.c, $FAASMJS_SMOKE_WASM), run on a worker with
// input RUN: it reads state smoke_in_RUN, writes smoke_out_RUN = "seen:" + that value, appends "ab" and "cd" to
// smoke_log_RUN, and outputs what it saw. The proof that a Faasm function sees what the gateway's store wrote.
MessageResult runSmoke(const std::string& run);

// Writes "from the gateway" to smoke_in_RUN through `store`, runs the smoke function with a fresh RUN and checks
// that it saw the value; returns the key prefix of kUser ("USER_") and RUN, for reading what it wrote back.
struct SmokeRun {
  std::string user;
  std::string run;
};
SmokeRun runSmokeThrough(state::GlobalStore& store);

// A port on loopback with a socket bound to it, so that nothing else takes it while the test runs: listening
// (connections complete but nobody answers) or not (connections are refused).
class LoopbackPort {
 public:
  explicit LoopbackPort(bool listening);
  ~LoopbackPort();
  LoopbackPort(const LoopbackPort&) = delete;
  LoopbackPort& operator=(const LoopbackPort&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_;
  int port_ = 0;
};

}  // namespace faasmjs::gateway::faasm::testing
