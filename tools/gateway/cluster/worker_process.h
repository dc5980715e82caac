// One faasmjs-worker process and its end of the channel (worker_protocol.h): started with a socketpair on its
// fd 3, ready once it has said READY, stopped with SIGKILL, which is the only way to stop a looping call.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "common/error.h"
#include "worker/worker_protocol.h"

namespace faasmjs::gateway::cluster {

class WorkerProcess {
 public:
  static Expected<WorkerProcess> start(const std::filesystem::path& binary);
  WorkerProcess(WorkerProcess&& other) noexcept;
  WorkerProcess& operator=(WorkerProcess&& other) noexcept;
  WorkerProcess(const WorkerProcess&) = delete;
  ~WorkerProcess();

  pid_t pid() const { return pid_; }
  worker::Channel& channel() { return channel_; }

  // The next message, or nullopt at `deadline` (timed_out set) or when the process is gone.
  std::optional<worker::Message> receive(std::chrono::steady_clock::time_point deadline, bool& timed_out);
  // Kills it (if it still runs) and says how it ended ("signal 9 (Killed)", "exit status 3").
  std::string kill_and_reap();

 private:
  WorkerProcess(pid_t pid, int fd) : pid_(pid), channel_(fd) {}
  pid_t pid_ = -1;
  worker::Channel channel_{-1};
};

}  // namespace faasmjs::gateway::cluster
