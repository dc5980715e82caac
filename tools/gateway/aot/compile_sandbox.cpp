#include "aot/compile_sandbox.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace faasmjs::gateway::aot {

namespace fs = std::filesystem;

namespace {

// What the child reports through its status pipe before exec: a stage letter and an errno.
enum Stage : char { kNoNetwork = 'N', kSetUp = 'S', kExec = 'E' };

std::string search_path(const std::string& program, const std::string& path) {
  if (program.find('/') != std::string::npos) return program;
  std::stringstream dirs(path);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return program;
}

// The compiler's programs are looked up in the gateway's PATH.
std::string parent_path() {
  const char* path = std::getenv("PATH");
  return path != nullptr && *path != '\0' ? path : "/usr/bin:/bin";
}

void report(int fd, Stage stage, int error) {
  char buffer[1 + sizeof(int)];
  buffer[0] = stage;
  std::memcpy(buffer + 1, &error, sizeof error);
  [[maybe_unused]] auto written = ::write(fd, buffer, sizeof buffer);
}

bool limit(int resource, std::uint64_t soft, std::uint64_t hard) {
  const rlimit value{static_cast<rlim_t>(soft), static_cast<rlim_t>(hard)};
  return ::setrlimit(resource, &value) == 0;
}

// Between fork and exec in a multi-threaded process: system calls only, nothing that allocates or locks.
[[noreturn]] void become_child(const SandboxRun& run, int program_fd, char* const* argv, char* const* envp,
                               pid_t parent, int status_fd) {
  ::setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  if (::unshare(CLONE_NEWNET) != 0) report(status_fd, kNoNetwork, errno);
  ::umask(022);
  const auto& l = run.limits;
  const auto seconds = static_cast<std::uint64_t>(l.time.count());
  const int null_fd = ::open("/dev/null", O_RDONLY);
  const int log_fd = ::open(run.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const bool ready =
      ::chdir(run.folder.c_str()) == 0 && null_fd >= 0 && log_fd >= 0 && ::dup2(null_fd, 0) == 0 &&
      ::dup2(log_fd, 1) == 1 && ::dup2(log_fd, 2) == 2 &&
      (!run.user || (::setgroups(0, nullptr) == 0 && ::setgid(run.user->gid) == 0 && ::setuid(run.user->uid) == 0)) &&
      limit(RLIMIT_CPU, seconds, seconds + 5) && limit(RLIMIT_AS, l.memory_bytes, l.memory_bytes) &&
      limit(RLIMIT_STACK, l.stack_bytes, l.stack_bytes) && limit(RLIMIT_FSIZE, l.output_bytes, l.output_bytes) &&
      limit(RLIMIT_NOFILE, l.open_files, l.open_files) && limit(RLIMIT_NPROC, l.processes, l.processes) &&
      limit(RLIMIT_CORE, 0, 0) && ::syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) == 0;
  if (!ready) {
    report(status_fd, kSetUp, errno);
    ::_exit(127);
  }
  // After setuid, which clears it. The signal follows the thread that forked: the one waiting for this run.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  ::syscall(SYS_execveat, program_fd, "", argv, envp, AT_EMPTY_PATH);
  report(status_fd, kExec, errno);
  ::_exit(127);
}

}  // namespace

std::optional<SandboxUser> sandbox_user(const std::string& name) {
  if (::geteuid() != 0) return std::nullopt;
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    return std::nullopt;
  }
  if (found->pw_uid == 0) return std::nullopt;
  return SandboxUser{found->pw_uid, found->pw_gid};
}

bool can_run(const std::string& program) { return ::access(search_path(program, parent_path()).c_str(), X_OK) == 0; }

Expected<SandboxOutcome> run_sandboxed(const SandboxRun& run) {
  const std::string path = parent_path();
  const std::string program = search_path(run.argv.at(0), path);
  // Everything the child needs is made before fork: after it, the child may not allocate.
  // TMPDIR relative: the sandbox's user may have no way to the folder from /, only from its working directory.
  std::vector<std::string> environment = {"PATH=" + path, "LC_ALL=C", "TMPDIR=."};
  std::vector<char*> argv, envp;
  for (const auto& arg : run.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  for (const auto& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);

  // Opened here, as the gateway's user: the sandbox's user may have no way to the program (a prefix under a
  // home folder only its owner can enter), only the right to run the file once it is found. By descriptor,
  // a program is an executable file, not a script (its interpreter would be handed /dev/fd/N, closed by then).
  const int program_fd = ::open(program.c_str(), O_PATH | O_CLOEXEC);
  if (program_fd < 0) {
    return fail(ErrorCode::Internal,
                "cannot run " + fs::path(run.argv[0]).filename().string() + ": " + std::strerror(errno));
  }
  struct ProgramFd {
    int fd;
    ~ProgramFd() { ::close(fd); }
  } const program_fd_closer{program_fd};

  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
    return fail(ErrorCode::Internal, std::string("cannot start a compiler process: ") + std::strerror(errno));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(status_pipe[0]);
    ::close(status_pipe[1]);
    return fail(ErrorCode::Internal, std::string("cannot start a compiler process: ") + std::strerror(error));
  }
  if (pid == 0) become_child(run, program_fd, argv.data(), envp.data(), parent, status_pipe[1]);
  ::setpgid(pid, pid);  // also here, so that killing the group cannot race the child's own setpgid
  ::close(status_pipe[1]);

  SandboxOutcome outcome;
  outcome.network_isolated = true;
  int start_error = 0;
  Stage failed_stage = kExec;
  char message[1 + sizeof(int)];
  ssize_t got = 0;
  while ((got = ::read(status_pipe[0], message, sizeof message)) == sizeof message || (got < 0 && errno == EINTR)) {
    if (got < 0) continue;
    int error = 0;
    std::memcpy(&error, message + 1, sizeof error);
    if (message[0] == kNoNetwork) {
      outcome.network_isolated = false;
      outcome.network_note = std::string("unshare(CLONE_NEWNET): ") + std::strerror(error);
    } else {
      failed_stage = static_cast<Stage>(message[0]);
      start_error = error;
    }
  }
  ::close(status_pipe[0]);

  // pidfd_open (Linux 5.3) and close_range (5.11) are the reason the gateway needs Linux 5.11.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0 && start_error == 0) {
    failed_stage = kSetUp;
    start_error = errno;
  }
  if (start_error == 0) {
    const auto deadline = std::chrono::steady_clock::now() + run.limits.time;
    while (true) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        outcome.timed_out = true;
        break;
      }
      if (run.cancelled && run.cancelled()) {
        outcome.cancelled = true;
        break;
      }
      pollfd waiting{pidfd, POLLIN, 0};
      const long long wait_ms = run.cancelled ? 100 : 60'000;
      const int ready = ::poll(&waiting, 1, static_cast<int>(std::min<long long>(left.count(), wait_ms)));
      if (ready > 0) break;
      if (ready < 0 && errno != EINTR) break;
    }
  }
  if (pidfd >= 0) ::close(pidfd);
  // The whole group: also what the program started and left behind, or every process of a timed-out run.
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (start_error != 0) {
    const std::string what = failed_stage == kSetUp ? "cannot set up the sandbox for " : "cannot run ";
    return fail(ErrorCode::Internal,
                what + fs::path(run.argv[0]).filename().string() + ": " + std::strerror(start_error));
  }
  outcome.exited = WIFEXITED(status);
  outcome.exit_status = outcome.exited ? WEXITSTATUS(status) : 0;
  outcome.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return outcome;
}

std::string describe(const SandboxOutcome& outcome) {
  if (outcome.exited) return "exit status " + std::to_string(outcome.exit_status);
  return "signal " + std::to_string(outcome.signal) + " (" + ::strsignal(outcome.signal) + ")";
}

}  // namespace faasmjs::gateway::aot
