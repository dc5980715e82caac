// Confinement a child process applies to itself before it touches untrusted input (a worker before it loads
// a compiled function, the compiler before it reads an upload): resource limits, and, when it may, namespaces
// of its own so that it has no network and no System V IPC shared with the host. Both only ever take
// something away, so a process can apply them to itself without help. (Header-only, for any helper program.)
#pragma once

#include <sched.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/error.h"

namespace faasmjs::gateway {

struct ResourceLimits {
  std::uint64_t open_files = 16;    // RLIMIT_NOFILE: descriptors it may hold
  std::uint64_t processes = 0;      // RLIMIT_NPROC: 0 = it may not fork (root is exempt: seccomp stops it)
  std::uint64_t file_size = 0;      // RLIMIT_FSIZE: bytes it may write to a regular file
  std::uint64_t address_space = 0;  // RLIMIT_AS, bytes; 0 leaves it as inherited
  std::uint64_t cpu_seconds = 0;    // RLIMIT_CPU; 0 leaves it as inherited
};

// Soft and hard limits both, so that the process cannot raise them again. No core files either: a crash
// must not write the process's memory (a user's data) to disk.
inline Expected<void> apply_resource_limits(const ResourceLimits& limits) {
  const struct {
    int resource;
    std::uint64_t value;
    bool apply;
    const char* name;
  } table[] = {
      {RLIMIT_NOFILE, limits.open_files, true, "RLIMIT_NOFILE"},
      {RLIMIT_NPROC, limits.processes, true, "RLIMIT_NPROC"},
      {RLIMIT_FSIZE, limits.file_size, true, "RLIMIT_FSIZE"},
      {RLIMIT_CORE, 0, true, "RLIMIT_CORE"},
      {RLIMIT_AS, limits.address_space, limits.address_space != 0, "RLIMIT_AS"},
      {RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds != 0, "RLIMIT_CPU"},
  };
  for (const auto& limit : table) {
    if (!limit.apply) continue;
    const rlimit value{static_cast<rlim_t>(limit.value), static_cast<rlim_t>(limit.value)};
    if (setrlimit(limit.resource, &value) != 0) {
      return fail(ErrorCode::Internal, std::string("setrlimit ") + limit.name + " " + std::to_string(limit.value) +
                                           ": " + std::strerror(errno));
    }
  }
  return {};
}

// New network, IPC and mount namespaces: the network then has only a loopback device that is down, and
// mounts made later stay private. Returns whether it could: only a privileged process may (EPERM otherwise),
// and a system may be out of namespaces; either way the rest of the confinement still holds, so neither is
// an error. About 2 ms, most of it the network namespace.
inline bool leave_host_namespaces() { return unshare(CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWNS) == 0; }

}  // namespace faasmjs::gateway
