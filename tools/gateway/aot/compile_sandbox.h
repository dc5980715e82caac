// Where the compiler's programs run (faasmjs-module-check, wasm2c, cc): they read an untrusted upload, so
// each runs as a child process with least privilege, and whatever it does (crash, loop, allocate, write, or
// run code an unknown wasm2c bug let in) costs one failed compile:
//
//   - when the gateway runs as root, another user (CompilerOptions::sandbox_user, by default nobody), with
//     no supplementary groups: it can read only what anyone may, and write only its build folder;
//   - its own process group, killed whole when the time limit passes or the gateway thread waiting dies;
//   - rlimits on each process: CPU seconds, address space, stack, file size (its output), open files,
//     processes of the user, no core dumps;
//   - a network namespace of its own (unshare(CLONE_NEWNET): no interface but a down loopback), so it can
//     reach nothing; where that is not permitted (not root, no CAP_SYS_ADMIN) it runs without, and the
//     result says so;
//   - an environment of PATH, LC_ALL and TMPDIR only, the build folder as working directory and TMPDIR (.),
//     umask 022, stdin from /dev/null, stdout and stderr into one log file, no other descriptor.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"

namespace faasmjs::gateway::aot {

struct SandboxLimits {
  std::chrono::seconds time{300};              // wall time of the whole run; CPU time of each process
  std::uint64_t memory_bytes = 2048ull << 20;  // address space of each process
  std::uint64_t output_bytes = 1024ull << 20;  // the largest file it may write
  std::uint64_t stack_bytes = 8ull << 20;
  std::uint64_t open_files = 256;
  std::uint64_t processes = 1024;  // RLIMIT_NPROC counts every process of the user, and root is exempt
};

struct SandboxUser {
  uid_t uid = 0;
  gid_t gid = 0;
};

// The user named `name` when this process may become it (it runs as root), else nothing.
std::optional<SandboxUser> sandbox_user(const std::string& name);

struct SandboxRun {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH
  std::filesystem::path folder;   // working directory and TMPDIR
  std::filesystem::path log;      // stdout and stderr
  SandboxLimits limits;
  std::optional<SandboxUser> user;  // also owns `folder`
  // Asked every 100 ms while the program runs; true kills it (the gateway is stopping).
  std::function<bool()> cancelled;
};

struct SandboxOutcome {
  bool exited = false;  // else killed by `signal`
  int exit_status = 0;
  int signal = 0;
  bool timed_out = false;  // killed at limits.time
  bool cancelled = false;  // killed because SandboxRun::cancelled said so
  bool network_isolated = false;
  std::string network_note;  // why not, when not
};

// Whether `program` would start: a path to an executable, or a name PATH finds one for.
bool can_run(const std::string& program);

// Internal only when the child cannot be started; what the program did is in the outcome.
Expected<SandboxOutcome> run_sandboxed(const SandboxRun& run);

// "exit status 1", "signal 11 (Segmentation fault)".
std::string describe(const SandboxOutcome& outcome);

}  // namespace faasmjs::gateway::aot
