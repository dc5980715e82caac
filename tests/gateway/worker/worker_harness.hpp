// A faasmjs-worker process driven through the real worker protocol, for the worker's and the compiler's tests:
// the harness plays the gateway's slot, answering host calls with `answer` (by default: refused).
#pragma once

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/byte_io.h"
#include "worker/run_call.h"
#include "worker/worker_protocol.h"

namespace faasmjs::gateway::testing {

using HostAnswer = std::function<void(worker::HostCall, ByteReader&, ByteWriter&)>;
using ChainSink = std::function<void(ByteReader&)>;  // a CHAIN's fields

class WorkerHarness {
 public:
  explicit WorkerHarness(const std::string& binary) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw std::runtime_error("socketpair");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], worker::kChannelFd);
      execl(binary.c_str(), binary.c_str(), nullptr);
      _exit(127);
    }
    close(fds[1]);
    channel_ = worker::Channel(fds[0]);
    auto ready = channel_.receive();
    if (!ready || ready->op != worker::Op::Ready) throw std::runtime_error("the worker did not say READY");
  }
  ~WorkerHarness() {
    close(channel_.fd());
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }

  pid_t pid() const { return pid_; }

  // A CHAIN without `chained` fails the test's run: the function was not expected to chain.
  worker::RunResult run(const worker::RunRequest& request, const HostAnswer& answer = {},
                        const ChainSink& chained = {}) {
    const auto body = worker::encode_run(request);
    if (!channel_.send(worker::Op::Run, body)) throw std::runtime_error("the worker is gone");
    for (;;) {
      auto message = channel_.receive();
      if (!message) throw std::runtime_error("the worker died");
      ByteReader in(message->body);
      if (message->op == worker::Op::Result) {
        auto result = worker::decode_result(message->body);
        if (!result) throw std::runtime_error("the worker sent a malformed RESULT");
        return std::move(*result);
      }
      if (message->op == worker::Op::Chain) {
        if (!chained) throw std::runtime_error("the worker chained a call in a test without chains");
        chained(in);
        continue;
      }
      const auto kind = static_cast<worker::HostCall>(in.u8());
      std::vector<std::uint8_t> reply;
      ByteWriter writer(reply);
      if (answer) {
        answer(kind, in, writer);
      } else {
        writer.u8(0);
        writer.str("no host calls in this test");
      }
      channel_.send(worker::Op::Reply, reply);
    }
  }

 private:
  pid_t pid_ = -1;
  worker::Channel channel_{-1};
};

inline std::filesystem::path env_path(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) throw std::runtime_error(std::string("set ") + name);
  return value;
}

}  // namespace faasmjs::gateway::testing
