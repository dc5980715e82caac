#include "cluster.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "faasm/upload_client.h"

using namespace std::chrono_literals;

namespace faasmjs::gateway::faasm::testing {

std::string required(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) FAIL(name << " is not set: run this suite through ctest (tests/gateway/faasm/CMakeLists.txt)");
  return value;
}

const Cluster& cluster() {
  static const Cluster parsed = [] {
    std::string path = required("FAASMJS_FAASM_ENV");
    std::ifstream in(path);
    if (!in) FAIL("no Faasm cluster: " << path << " does not exist (did gateway.faasm.start fail?)");
    std::map<std::string, std::string> env;
    for (std::string line; std::getline(in, line);) {
      auto equals = line.find('=');
      if (equals != std::string::npos) env[line.substr(0, equals)] = line.substr(equals + 1);
    }
    Cluster c{env["FAASM_PLANNER_URL"], env["FAASM_UPLOAD_URL"], {}, env["FAASM_REDIS"], env["FAASM_STATE_MODE"]};
    std::stringstream workers(env["FAASM_WORKERS"]);
    for (std::string ip; std::getline(workers, ip, ',');) c.workers.push_back(ip);
    if (c.planner.empty() || c.upload.empty() || c.workers.empty())
      FAIL(path << " lacks FAASM_PLANNER_URL, FAASM_UPLOAD_URL or FAASM_WORKERS");
    return c;
  }();
  return parsed;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot read " << path);
  return {std::istreambuf_iterator<char>(in), {}};
}

namespace {
std::mt19937& random() {
  static std::mt19937 generator{std::random_device{}()};
  return generator;
}
}  // namespace

std::int32_t freshId() { return std::uniform_int_distribution<std::int32_t>(1, 0x7fffffff)(random()); }
std::string freshName(std::string_view prefix) { return std::string(prefix) + "-" + std::to_string(freshId()); }

void uploadExample(const std::string& function) {
  static std::set<std::string> uploaded;
  if (uploaded.contains(function)) return;
  UploadClient upload(cluster().upload, {.connect = 2000ms, .total = 60000ms});
  auto wasm = readFile(required("FAASMJS_FUNCTIONS_DIR") + "/" + function + ".wasm");
  auto result = upload.uploadFunction(kUser, function, wasm);
  REQUIRE_MESSAGE(result.has_value(), result.error().message);
  uploaded.insert(function);
}

BatchRequest batch(const std::string& function, const std::vector<std::string>& inputs, const std::string& cmdline) {
  BatchRequest request{freshId(), kUser, function, {}};
  for (const std::string& input : inputs) request.messages.push_back({freshId(), kUser, function, input, cmdline, 0});
  return request;
}

BatchStatus awaitFinished(const PlannerClient& planner, std::int32_t appId, std::size_t expected) {
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto status = planner.batchStatus(appId, static_cast<std::int32_t>(expected));
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    if (*status && (*status)->finished && (*status)->results.size() >= expected) return **status;
    std::this_thread::sleep_for(50ms);
  }
  FAIL("app " << appId << " did not finish within 60 s");
  return {};
}

const UploadClient& upload() {
  static const UploadClient client(cluster().upload);
  return client;
}

MessageResult runSmoke(const std::string& run) {
  static bool uploaded = false;
  if (!uploaded) {
    UploadClient upload(cluster().upload, {.connect = 2000ms, .total = 60000ms});
    auto result = upload.uploadFunction(kUser, "smoke", readFile(required("FAASMJS_SMOKE_WASM")));
    REQUIRE_MESSAGE(result.has_value(), result.error().message);
    uploaded = true;
  }
  PlannerClient planner(cluster().planner);
  BatchRequest request{freshId(), kUser, "smoke", {{freshId(), kUser, "smoke", run, "", 0}}};
  auto submitted = planner.executeBatch(request);
  REQUIRE_MESSAGE(submitted.has_value(), submitted.error().message);
  REQUIRE(*submitted == Submission::Accepted);
  BatchStatus status = awaitFinished(planner, request.appId, 3);
  for (const MessageResult& result : status.results) {
    if (result.id == request.messages[0].id) return result;
  }
  FAIL("the smoke call's own result is missing from app " << request.appId);
  return {};
}

SmokeRun runSmokeThrough(state::GlobalStore& store) {
  SmokeRun smoke{std::string(kUser) + "_", freshName("run")};
  const std::string value = "from the gateway";
  auto written = store.set(smoke.user + "smoke_in_" + smoke.run, std::vector<std::uint8_t>(value.begin(), value.end()));
  REQUIRE_MESSAGE(written.has_value(), written.error().message);
  MessageResult result = runSmoke(smoke.run);
  CHECK(result.returnValue == 0);
  CHECK(result.output == "smoke input=[" + smoke.run + "] ptr=[child<" + smoke.run + ">] name=[leaf<" + smoke.run +
                             ">] state=[" + value + "] log=[abcd]");
  return smoke;
}

LoopbackPort::LoopbackPort(bool listening) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
  REQUIRE(fd_ >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t size = sizeof address;
  REQUIRE(getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) == 0);
  port_ = ntohs(address.sin_port);
  if (listening) REQUIRE(listen(fd_, 8) == 0);
}

LoopbackPort::~LoopbackPort() { close(fd_); }

}  // namespace faasmjs::gateway::faasm::testing
