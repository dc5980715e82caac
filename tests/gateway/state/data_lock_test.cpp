// The --data lock against real processes: a holder that is killed frees the folder at once, even while a
// child it forked (as it forks one for every compiler and worker it starts) still has the descriptor.
#include "state/data_lock.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

using faasmjs::gateway::state::DataLock;

namespace {

struct Pids {
  pid_t holder;
  pid_t child;
};

// A process that takes the lock of `dir`, forks a child that keeps its descriptors and never execs, says
// both pids through `ready`, and waits to be killed.
pid_t start_holder(const std::filesystem::path& dir, int ready) {
  const pid_t holder = ::fork();
  if (holder != 0) return holder;
  auto lock = DataLock::acquire(dir);
  if (!lock) ::_exit(1);
  const pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  const Pids pids{::getpid(), child};
  if (::write(ready, &pids, sizeof pids) != sizeof pids) ::_exit(1);
  ::pause();
  ::_exit(0);
}

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
}

}  // namespace

TEST_SUITE("data_lock") {
  TEST_CASE("a killed holder frees the folder at once, though a child it forked still has the descriptor") {
    char scratch[] = "/tmp/faasmjs-data-lock-XXXXXX";
    REQUIRE(::mkdtemp(scratch) != nullptr);
    const std::filesystem::path dir = std::filesystem::path(scratch) / "data";
    // The holder's child is orphaned when the holder dies: it comes to this process, which reaps it.
    REQUIRE(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    const pid_t holder = start_holder(dir, ready[1]);
    REQUIRE(holder > 0);
    Pids pids{};
    REQUIRE(::read(ready[0], &pids, sizeof pids) == sizeof pids);

    const auto refused = DataLock::acquire(dir);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.find("is in use by another gateway (pid " + std::to_string(holder) + " on ") !=
          std::string::npos);

    kill_and_reap(holder);
    REQUIRE(::kill(pids.child, 0) == 0);  // still alive, with its copy of the descriptor
    const auto taken = DataLock::acquire(dir);
    CHECK_MESSAGE(taken.has_value(), (taken ? std::string() : taken.error().message));

    kill_and_reap(pids.child);
    ::close(ready[0]);
    ::close(ready[1]);
    std::filesystem::remove_all(scratch);
  }
}
