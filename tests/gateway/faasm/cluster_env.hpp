// What the suites against the real Faasm cluster share: the cluster ctest's fixture started (fixture.sh wrote its
// FAASM_* lines to $FAASMJS_FAASM_ENV), files of the wasm build, and loopback ports with nothing answering.
#pragma once

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace faasm_tests {

struct Cluster {
  std::string planner;
  std::string upload;
  std::vector<std::string> workers;
};

inline std::string required(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) FAIL(name << " is not set: run this suite through ctest (tests/gateway/faasm/CMakeLists.txt)");
  return value;
}

// The FAASM_* lines fixture.sh wrote.
inline const Cluster& cluster() {
  static const Cluster parsed = [] {
    std::string path = required("FAASMJS_FAASM_ENV");
    std::ifstream in(path);
    if (!in) FAIL("no Faasm cluster: " << path << " does not exist (did gateway.faasm.start fail?)");
    std::map<std::string, std::string> env;
    for (std::string line; std::getline(in, line);) {
      auto equals = line.find('=');
      if (equals != std::string::npos) env[line.substr(0, equals)] = line.substr(equals + 1);
    }
    Cluster c{env["FAASM_PLANNER_URL"], env["FAASM_UPLOAD_URL"], {}};
    std::stringstream workers(env["FAASM_WORKERS"]);
    for (std::string ip; std::getline(workers, ip, ',');) c.workers.push_back(ip);
    if (c.planner.empty() || c.upload.empty() || c.workers.empty())
      FAIL(path << " lacks FAASM_PLANNER_URL, FAASM_UPLOAD_URL or FAASM_WORKERS");
    return c;
  }();
  return parsed;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot read " << path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A port on loopback with a socket bound to it, so that nothing else takes it while the test runs: listening
// (connections complete but nobody answers) or not (connections are refused).
class LoopbackPort {
 public:
  explicit LoopbackPort(bool listening) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
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
  ~LoopbackPort() { close(fd_); }
  LoopbackPort(const LoopbackPort&) = delete;
  LoopbackPort& operator=(const LoopbackPort&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_;
  int port_ = 0;
};

}  // namespace faasm_tests
