#include "cluster/worker_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace faasmjs::gateway::cluster {

namespace {

std::string describe(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
    return "signal " + std::to_string(SIGSYS) + " (" + strsignal(SIGSYS) +
           "): it made a system call the worker's sandbox forbids";
  }
  if (WIFSIGNALED(status))
    return "signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  return "status " + std::to_string(status);
}

}  // namespace

Expected<WorkerProcess> WorkerProcess::start(const std::filesystem::path& binary) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return fail(ErrorCode::Internal, std::string("socketpair: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears close-on-exec on the copy: the worker's end reaches it as fd 3. Every other descriptor above
  // stdio goes, whether or not whoever opened it (libwebsockets, the store) asked for close-on-exec: a worker
  // must not hold the gateway's listening socket or files open.
  posix_spawn_file_actions_adddup2(&actions, fds[1], worker::kChannelFd);
  posix_spawn_file_actions_addclosefrom_np(&actions, worker::kChannelFd + 1);
  const std::string path = binary.string();
  char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
  // An empty environment: the gateway's (its token, its paths, whatever the operator's shell exported) is
  // none of a function's business, and the worker needs none of it.
  char* environment[] = {nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environment);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (spawned != 0) {
    close(fds[0]);
    return fail(ErrorCode::Internal, "cannot start the worker " + path + ": " + std::strerror(spawned));
  }
  WorkerProcess process(pid, fds[0]);
  bool timed_out = false;
  auto ready = process.receive(std::chrono::steady_clock::now() + std::chrono::seconds(10), timed_out);
  if (!ready || ready->op != worker::Op::Ready) {
    return fail(ErrorCode::Internal, "the worker " + path + " did not start: " + process.kill_and_reap());
  }
  return process;
}

WorkerProcess::WorkerProcess(WorkerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), channel_(std::exchange(other.channel_, worker::Channel(-1))) {}

WorkerProcess& WorkerProcess::operator=(WorkerProcess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    channel_ = std::exchange(other.channel_, worker::Channel(-1));
  }
  return *this;
}

WorkerProcess::~WorkerProcess() {
  if (pid_ > 0) kill_and_reap();
}

std::optional<worker::Message> WorkerProcess::receive(std::chrono::steady_clock::time_point deadline, bool& timed_out) {
  timed_out = false;
  for (;;) {
    if (auto message = channel_.buffered()) return message;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      return std::nullopt;
    }
    pollfd ready{channel_.fd(), POLLIN, 0};
    const int n = poll(&ready, 1, static_cast<int>(std::min<long long>(left.count() + 1, 1'000'000'000)));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) continue;
    if (!channel_.read_more()) return std::nullopt;
  }
}

std::string WorkerProcess::kill_and_reap() {
  if (pid_ <= 0) return "not running";
  // A process that already died is a zombie until reaped: the signal changes nothing, its status stays.
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  close(channel_.fd());
  pid_ = -1;
  channel_ = worker::Channel(-1);
  return describe(status);
}

}  // namespace faasmjs::gateway::cluster
