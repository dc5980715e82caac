// What a worker may still do once confined, and why each is allowed. A running call needs very little from
// the kernel: it computes in memory it already has, and talks to the gateway over fd 3, which reaches the
// worker already open. Everything else (opening files, sockets, starting programs, forking, signalling other
// processes, ptrace, mounts, namespaces, rlimits) kills the process: SECCOMP_RET_KILL_PROCESS ends it with
// SIGSYS, which the pool reports as a forbidden system call.
//
//   read, readv, recvfrom, recvmsg        the channel (RUN, REPLY); stdin is empty
//   write, writev, sendto, sendmsg        the channel (HOST_CALL, RESULT: send with MSG_NOSIGNAL), stderr
//   mmap, munmap, mprotect, madvise,      linear memory (an 8 GiB reservation, made readable page by page as
//   mremap, brk                           it grows), the heap, and the loader mapping a module's segments
//   mincore                               which pages of a kept instance a call touched (instance_snapshot.h)
//   openat (only O_RDONLY|O_CLOEXEC)      dlopen() of a module; Landlock lets it see only the module folder
//   newfstatat (only AT_EMPTY_PATH),      dlopen() looks at the file it opened, by descriptor, never by path
//   fstat, pread64, lseek, close
//   rt_sigreturn, rt_sigprocmask,         traps: a fault in guest code is a SIGSEGV whose handler (on the
//   rt_sigaction, sigaltstack             alternate stack) longjmps out and restores the signal mask
//   futex                                 glibc's locks (malloc, stdio), uncontended in one thread
//   clock_gettime, clock_getres,          WASI clocks (the vDSO answers most without a system call)
//   gettimeofday, time
//   nanosleep, clock_nanosleep,           poll_oneoff's sleep, sched_yield
//   sched_yield, restart_syscall
//   getrandom                             random_get
//   getpid, gettid, tgkill (itself only)  abort() raising SIGABRT on itself
//   exit, exit_group                      the end
//
// The filter checks the architecture first: a system call made through another ABI (x32, or i386 through
// int 0x80) has other numbers, and is refused whatever its number.
#include "worker/sandbox.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common/confinement.h"
#include "common/sanitizer.h"
#include "worker/warm_instances.h"

namespace faasmjs::gateway::worker {

namespace {

#if defined(__x86_64__)
constexpr std::uint32_t kArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr std::uint32_t kArch = AUDIT_ARCH_AARCH64;
#else
#error "the worker's system call filter knows x86_64 and aarch64 only"
#endif

// wasm2c reserves 8 GiB of address space per linear memory (guard pages make bounds checks free), for each
// instance kept and the one a call makes; a call's tables (heap, counted against its memory limit) and the worker
// itself (its libraries, heap, stacks) come on top.
constexpr std::uint64_t kReservation = 8ull << 30;
constexpr std::uint64_t kWorkerItself = 1ull << 30;

Expected<void> failed(const char* what) {
  return fail(ErrorCode::Internal, std::string(what) + ": " + std::strerror(errno));
}

class Filter {
 public:
  Filter() {
    load(offsetof(seccomp_data, arch));
    code_.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kArch, 1, 0));
    ret(SECCOMP_RET_KILL_PROCESS);
    load(offsetof(seccomp_data, nr));
#if defined(__x86_64__)
    code_.push_back(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000 /* __X32_SYSCALL_BIT */, 0, 1));
    ret(SECCOMP_RET_KILL_PROCESS);
#endif
  }

  void allow(long nr) {
    jump_unless(static_cast<std::uint32_t>(nr), 1);
    ret(SECCOMP_RET_ALLOW);
  }

  // nr, only when the low 32 bits of argument `arg` (an int: flags, a pid) equal `value`.
  void allow_when(long nr, int arg, std::uint32_t value) {
    jump_unless(static_cast<std::uint32_t>(nr), 3);
    load(offsetof(seccomp_data, args) + arg * sizeof(std::uint64_t));
    jump_unless(value, 1);
    ret(SECCOMP_RET_ALLOW);
    // Another value: the accumulator is the argument now, the number has to be loaded again.
    load(offsetof(seccomp_data, nr));
  }

  Expected<void> install() {
    ret(SECCOMP_RET_KILL_PROCESS);
    sock_fprog program{static_cast<unsigned short>(code_.size()), code_.data()};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return failed("prctl(PR_SET_NO_NEW_PRIVS)");
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) != 0) return failed("seccomp");
    return {};
  }

 private:
  void load(std::size_t offset) {
    code_.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, static_cast<std::uint32_t>(offset)));
  }
  // Skips `skip` instructions unless the accumulator equals `value`.
  void jump_unless(std::uint32_t value, std::uint8_t skip) {
    code_.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 0, skip));
  }
  void ret(std::uint32_t action) { code_.push_back(BPF_STMT(BPF_RET | BPF_K, action)); }

  std::vector<sock_filter> code_;
};

// Every file system access right the running kernel knows (its Landlock ABI version says which), so that all
// of them are denied except what a rule grants.
std::uint64_t handled_file_access(long abi) {
  std::uint64_t handled = (1ull << 13) - 1;  // ABI 1: EXECUTE .. MAKE_SYM
  if (abi >= 2) handled |= 1ull << 13;       // REFER
  if (abi >= 3) handled |= 1ull << 14;       // TRUNCATE
  if (abi >= 5) handled |= 1ull << 15;       // IOCTL_DEV
  return handled;
}

Expected<void> restrict_files(const std::filesystem::path& module_dir) {
  const long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) {
    // A kernel without Landlock (before 5.13, or built without it): seccomp still stops everything but
    // reading; say so once, where the operator sees the worker's stderr.
    std::fprintf(stderr,
                 "faasmjs-worker: this kernel has no Landlock: a function's native code could read "
                 "files the gateway's user can read\n");
    return {};
  }
  landlock_ruleset_attr attributes{};
  attributes.handled_access_fs = handled_file_access(abi);
  const int ruleset = static_cast<int>(syscall(SYS_landlock_create_ruleset, &attributes, sizeof attributes, 0));
  if (ruleset < 0) return failed("landlock_create_ruleset");
  const int dir = open(module_dir.c_str(), O_PATH | O_CLOEXEC | O_DIRECTORY);
  if (dir < 0) {
    close(ruleset);
    return failed("open of the module folder");
  }
  landlock_path_beneath_attr beneath{};
  beneath.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
  beneath.parent_fd = dir;
  const bool added = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0) == 0;
  close(dir);
  if (!added) {
    close(ruleset);
    return failed("landlock_add_rule");
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return failed("prctl(PR_SET_NO_NEW_PRIVS)");
  const bool restricted = syscall(SYS_landlock_restrict_self, ruleset, 0) == 0;
  close(ruleset);
  if (!restricted) return failed("landlock_restrict_self");
  return {};
}

}  // namespace

Expected<void> limit_process() {
  if (auto applied = apply_resource_limits(ResourceLimits{}); !applied) return applied;
  // A write past RLIMIT_FSIZE is then EFBIG, not a SIGXFSZ that would end the process: the worker writes no
  // files, but its stderr may be one (the gateway's log), and that must not kill a call.
  signal(SIGXFSZ, SIG_IGN);
  // When privileged (the gateway runs as root), no network at all; otherwise seccomp's refusal of socket() is.
  leave_host_namespaces();
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return failed("prctl(PR_SET_DUMPABLE)");
  return {};
}

Expected<void> install_syscall_filter() {
  Filter filter;
  for (long nr : {
         SYS_read, SYS_readv, SYS_recvfrom, SYS_recvmsg, SYS_write, SYS_writev, SYS_sendto, SYS_sendmsg, SYS_mmap,
             SYS_munmap, SYS_mprotect, SYS_madvise, SYS_mremap, SYS_brk, SYS_mincore, SYS_fstat, SYS_pread64, SYS_lseek,
             SYS_close, SYS_rt_sigreturn, SYS_rt_sigprocmask, SYS_rt_sigaction, SYS_sigaltstack, SYS_futex,
             SYS_clock_gettime, SYS_clock_getres, SYS_gettimeofday,
#if defined(SYS_time)
             SYS_time,
#endif
             SYS_nanosleep, SYS_clock_nanosleep, SYS_sched_yield, SYS_restart_syscall, SYS_getrandom, SYS_getpid,
             SYS_gettid, SYS_exit, SYS_exit_group,
       }) {
    filter.allow(nr);
  }
  filter.allow_when(SYS_openat, 2, O_RDONLY | O_CLOEXEC);
  filter.allow_when(SYS_newfstatat, 3, AT_EMPTY_PATH);
  filter.allow_when(SYS_tgkill, 0, static_cast<std::uint32_t>(getpid()));
  return filter.install();
}

Expected<void> confine(const std::filesystem::path& module_dir, std::uint64_t memory_limit_bytes) {
  // common/sanitizer.h: an ASan build keeps only the limits that do not hide /proc or its shadow memory.
  if (kAddressSanitizer) return {};
  if (memory_limit_bytes != 0) {
    ResourceLimits limits;
    // The running call's instance, the kept ones (one of them made while all are kept, before the oldest goes),
    // the call's memory and the worker's own.
    limits.address_space = (kWarmInstances + 1) * kReservation + memory_limit_bytes + kWorkerItself;
    if (auto applied = apply_resource_limits(limits); !applied) return applied;
  }
  if (auto files = restrict_files(module_dir); !files) return files;
  return install_syscall_filter();
}

}  // namespace faasmjs::gateway::worker
