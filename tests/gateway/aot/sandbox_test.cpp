// The sandbox the compiler's programs run in (compile_sandbox.h), tested with a shell in it: no network, the
// rlimits, environment, folder and umask it promises, and a time limit that kills everything it started.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "aot/compile_sandbox.h"
#include "aot_fixture.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

namespace {

aot::SandboxRun shell(const AotFixture& fixture, const std::string& script) {
  aot::SandboxRun run;
  run.argv = {"bash", "-c", script};
  run.folder = fixture.root;
  run.log = fixture.root / "sandbox.log";
  return run;
}

bool process_gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto state = line.find(") ");
  return state != std::string::npos && line[state + 2] == 'Z';
}

}  // namespace

TEST_SUITE("aot.sandbox") {
  TEST_CASE("a sandboxed program cannot connect to a loopback listener that the gateway can reach") {
    AotFixture fixture;
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 8) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    const std::string connect =
        "exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(ntohs(address.sin_port)) + " && echo connected";

    // Outside the sandbox the listener is reachable: the test can tell.
    CHECK(std::system(("bash -c '" + connect + "' >/dev/null 2>&1").c_str()) == 0);
    auto inside = aot::run_sandboxed(shell(fixture, connect));
    REQUIRE(inside.has_value());
    CHECK(inside->network_isolated);
    CHECK(inside->exited);
    CHECK(inside->exit_status != 0);
    CHECK(read_text(fixture.root / "sandbox.log").find("connected") == std::string::npos);
    ::close(listener);
  }

  TEST_CASE("its limits, environment, folder and umask hold") {
    AotFixture fixture;
    auto run = shell(fixture,
                     "ulimit -t; ulimit -v; ulimit -s; ulimit -f; ulimit -n; ulimit -u; ulimit -c; umask; pwd; "
                     "ls -l /proc/self/fd | grep -c -- '->'; env | grep -v '^_=' | grep -v '^SHLVL=' | "
                     "grep -v '^PWD=' | sort");
    run.limits.time = std::chrono::seconds(30);
    run.limits.memory_bytes = 512ull << 20;
    run.limits.output_bytes = 4ull << 20;
    run.limits.open_files = 32;
    run.limits.processes = 100;
    auto outcome = aot::run_sandboxed(run);
    REQUIRE(outcome.has_value());
    CHECK(outcome->exited);
    CHECK(outcome->exit_status == 0);
    std::ostringstream expected;
    // bash: -v and -s in KiB, -f in 1024-byte blocks; the fds of `ls` itself: 0-2 and its directory.
    expected << "30\n"
             << (512 << 10) << "\n"
             << (8 << 10) << "\n"
             << (4 << 10) << "\n32\n100\n0\n0022\n"
             << fs::canonical(fixture.root).string() << "\n4\nLC_ALL=C\nPATH=" << std::getenv("PATH") << "\nTMPDIR=.\n";
    CHECK(read_text(fixture.root / "sandbox.log") == expected.str());
  }

  TEST_CASE("run by root, it runs as the sandbox user: the gateway's files are out of its reach") {
    AotFixture fixture;
    const auto user = aot::sandbox_user("nobody");
    if (::geteuid() != 0) {
      CHECK_FALSE(user.has_value());  // only root can become another user
      return;
    }
    REQUIRE(user.has_value());
    std::ofstream(fixture.root / "secret") << "the gateway's secret";
    fs::permissions(fixture.root / "secret", fs::perms::owner_read | fs::perms::owner_write);
    auto run = shell(fixture, "id -u; id -G; cat ../secret; touch ../outside; touch inside && echo wrote");
    run.folder = fixture.root / "work";
    fs::create_directories(run.folder);
    REQUIRE(::chown(run.folder.c_str(), user->uid, user->gid) == 0);
    run.user = user;
    auto outcome = aot::run_sandboxed(run);
    REQUIRE(outcome.has_value());
    const std::string log = read_text(run.log);
    CHECK(log.starts_with(std::to_string(user->uid) + "\n" + std::to_string(user->gid) + "\n"));
    CHECK(log.find("secret") != std::string::npos);                // cat's complaint names the file ...
    CHECK(log.find("the gateway's secret") == std::string::npos);  // ... and cannot show it
    CHECK(log.ends_with("wrote\n"));
    CHECK_FALSE(fs::exists(fixture.root / "outside"));
    CHECK(fs::exists(run.folder / "inside"));
  }

  TEST_CASE("run by root, a program under a folder only root may enter still runs as the sandbox user") {
    // As the installed checker does from a prefix in root's home (0700): found by the gateway, run by nobody.
    AotFixture fixture;
    const auto user = aot::sandbox_user("nobody");
    if (::geteuid() != 0) {
      CHECK_FALSE(user.has_value());
      return;
    }
    REQUIRE(user.has_value());
    const fs::path locked = fixture.root / "home";
    fs::create_directories(locked / "bin");
    fs::copy_file("/usr/bin/id", locked / "bin" / "id");
    fs::permissions(locked, fs::perms::owner_all);
    aot::SandboxRun run;
    run.argv = {(locked / "bin" / "id").string(), "-u"};
    run.folder = fixture.root / "work";
    run.log = fixture.root / "id.log";
    fs::create_directories(run.folder);
    REQUIRE(::chown(run.folder.c_str(), user->uid, user->gid) == 0);
    run.user = user;
    const auto outcome = aot::run_sandboxed(run);
    REQUIRE(outcome.has_value());
    CHECK(outcome->exited);
    CHECK(outcome->exit_status == 0);
    CHECK(read_text(run.log) == std::to_string(user->uid) + "\n");

    run.argv = {(locked / "bin" / "missing").string()};
    const auto missing = aot::run_sandboxed(run);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().message == "cannot run missing: No such file or directory");
  }

  TEST_CASE("the time limit or the gateway's death kills the program and all it started; the output limit holds") {
    AotFixture fixture;
    auto run = shell(fixture, "sleep 60 & echo $! > background.pid; sleep 60");
    run.limits.time = std::chrono::seconds(1);
    auto outcome = aot::run_sandboxed(run);
    REQUIRE(outcome.has_value());
    CHECK(outcome->timed_out);
    CHECK(aot::describe(*outcome) == "signal 9 (Killed)");
    const pid_t background = std::stoi(read_text(fixture.root / "background.pid"));
    bool gone = false;
    for (int i = 0; i < 100 && !(gone = process_gone(background)); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(gone);

    // A gateway killed (kill -9) while it waits for a run takes the run with it.
    const fs::path pid_file = fixture.root / "program.pid";
    const pid_t gateway = ::fork();
    REQUIRE(gateway >= 0);
    if (gateway == 0) {
      auto orphaned = shell(fixture, "echo $$ > program.pid.tmp && mv program.pid.tmp program.pid && exec sleep 60");
      orphaned.limits.time = std::chrono::seconds(60);
      (void)aot::run_sandboxed(orphaned);
      ::_exit(0);
    }
    for (int i = 0; i < 200 && !fs::exists(pid_file); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    REQUIRE(fs::exists(pid_file));
    const pid_t program = std::stoi(read_text(pid_file));
    CHECK_FALSE(process_gone(program));
    ::kill(gateway, SIGKILL);
    ::waitpid(gateway, nullptr, 0);
    gone = false;
    for (int i = 0; i < 100 && !(gone = process_gone(program)); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(gone);

    auto writer = shell(fixture, "exec head -c 2000000 /dev/zero > big");
    writer.limits.output_bytes = 1 << 20;
    auto written = aot::run_sandboxed(writer);
    REQUIRE(written.has_value());
    CHECK(written->signal == SIGXFSZ);
    CHECK(fs::file_size(fixture.root / "big") == 1u << 20);
  }
}
