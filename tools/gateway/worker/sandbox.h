// The worker's sandbox: what a compiled function can still do if it is not the wasm it claims to be (native
// code injected through the compiler, as wasm2c's unescaped export names once allowed) or if the host side
// has a bug. The wasm bounds stop an honest module; this stops the next compiler bug. sandbox.cpp has the
// list of what is allowed and why.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/error.h"

namespace faasmjs::gateway::worker {

// At start, before READY: resource limits, namespaces of its own (when privileged), no new privileges, not
// dumpable (no ptrace, no /proc/<pid>/mem for processes of the same user).
Expected<void> limit_process();

// Before the first module is loaded, so that a module's constructors are confined too: the address space
// that calls under `memory_limit_bytes` need (unlimited for 0), files read-only and only beneath
// `module_dir` (Landlock), then the system call filter (seccomp). All for the rest of the process's life.
Expected<void> confine(const std::filesystem::path& module_dir, std::uint64_t memory_limit_bytes);

// The system call filter alone; a forbidden call kills the process with SIGSYS.
Expected<void> install_syscall_filter();

}  // namespace faasmjs::gateway::worker
