#include "isolated_run.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace faasmjs::asyncify {
namespace {

// The child's exit status when the work itself returned an Error (libbinaryen's Fatal uses 1).
constexpr int kWorkFailed = 86;

bool writeAll(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  while (size > 0) {
    const ssize_t written = ::write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

[[noreturn]] void runChild(const std::function<Result<std::vector<std::uint8_t>>()>& work, int dataFd, int logFd,
                           ChildStdout childStdout) {
  if (childStdout == ChildStdout::Captured) ::dup2(logFd, STDOUT_FILENO);
  ::dup2(logFd, STDERR_FILENO);
  ::close(logFd);
  auto result = work();
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  if (!result) {
    const auto& message = result.error().message;
    writeAll(dataFd, message.data(), message.size());
    ::_exit(kWorkFailed);
  }
  // _exit, not exit: the parent's atexit handlers and stdio buffers are not the child's to run or flush.
  ::_exit(writeAll(dataFd, result->data(), result->size()) ? 0 : kWorkFailed);
}

// Reads both pipes to the end together, so that neither side blocks on a full pipe.
void drain(int dataFd, int logFd, std::vector<std::uint8_t>& data, std::string& log) {
  std::array<pollfd, 2> fds{{{dataFd, POLLIN, 0}, {logFd, POLLIN, 0}}};
  std::array<std::uint8_t, 1 << 16> buffer{};
  int open = 2;
  while (open > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (auto& fd : fds) {
      if (fd.fd < 0 || fd.revents == 0) continue;
      const ssize_t count = ::read(fd.fd, buffer.data(), buffer.size());
      if (count < 0 && errno == EINTR) continue;
      if (count <= 0) {
        fd.fd = -1;
        --open;
      } else if (fd.fd == dataFd) {
        data.insert(data.end(), buffer.begin(), buffer.begin() + count);
      } else {
        log.append(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(count));
      }
    }
  }
}

std::string firstLine(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "(it printed nothing)";
  return text.substr(begin, text.find_first_of("\r\n", begin) - begin);
}

}  // namespace

Result<IsolatedOutput> runIsolated(const std::function<Result<std::vector<std::uint8_t>>()>& work,
                                   ChildStdout childStdout) {
  int dataPipe[2];
  int logPipe[2];
  if (::pipe(dataPipe) != 0) return Error{std::string("cannot create a pipe: ") + std::strerror(errno)};
  if (::pipe(logPipe) != 0) {
    const int pipeErrno = errno;
    ::close(dataPipe[0]);
    ::close(dataPipe[1]);
    return Error{std::string("cannot create a pipe: ") + std::strerror(pipeErrno)};
  }
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) {
    const int forkErrno = errno;
    for (int fd : {dataPipe[0], dataPipe[1], logPipe[0], logPipe[1]}) ::close(fd);
    return Error{std::string("cannot fork: ") + std::strerror(forkErrno)};
  }
  if (child == 0) {
    ::close(dataPipe[0]);
    ::close(logPipe[0]);
    runChild(work, dataPipe[1], logPipe[1], childStdout);
  }
  ::close(dataPipe[1]);
  ::close(logPipe[1]);
  IsolatedOutput output;
  drain(dataPipe[0], logPipe[0], output.bytes, output.log);
  ::close(dataPipe[0]);
  ::close(logPipe[0]);

  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return Error{std::string("cannot wait for the child process: ") + std::strerror(errno)};
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return output;
  if (WIFEXITED(status) && WEXITSTATUS(status) == kWorkFailed) {
    return Error{std::string(output.bytes.begin(), output.bytes.end())};
  }
  std::string how = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
                                              ::strsignal(WTERMSIG(status)) + ")"
                                        : "exited with status " + std::to_string(WEXITSTATUS(status));
  return Error{how + ": " + firstLine(output.log)};
}

}  // namespace faasmjs::asyncify
