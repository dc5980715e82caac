// The wasi_snapshot_preview1 imports of a call in the cluster: all 46 calls of preview1, with the errnos of the
// browser's sdk/js/wasi (docs/wasi.md) for the same descriptors: argv and Faasm's environment, clocks,
// randomness, sleeping, stdout/stderr captured into the call's result, stdin empty, proc_exit.
//
// One difference, on purpose: the browser preopens an empty in-memory "/" at fd 3; the cluster gives calls no
// file system at all (no preopened directory), so wasi-libc finds no preopen and reports ENOENT for every
// path, and fd 3 and above are EBADF. Nothing in the Faasm ABI needs files (write_state_from_file reads a
// file that cannot exist in either place).
//
// A bad guest pointer is EFAULT here, as WASI and the browser define it, not a fault of the call.
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "worker/call_context.h"
#include "worker/guest_memory.h"
#include "worker/host_imports.h"
#include "worker/import_guard.h"

namespace faasmjs::gateway::worker {

namespace {

enum Errno : u32 {
  kSuccess = 0,
  kBadf = 8,
  kFault = 21,
  kInval = 28,
  kIo = 29,
  kNosys = 52,
  kNotdir = 54,
  kNotsup = 58,
  kSpipe = 70,
};

// Rights bits of the spec (typenames.witx) that stdio has in the browser (sdk/js/wasi/defs.js).
constexpr u64 kRightFdRead = 1ull << 1;
constexpr u64 kRightFdFdstatSetFlags = 1ull << 3;
constexpr u64 kRightFdWrite = 1ull << 6;
constexpr u64 kRightFdFilestatGet = 1ull << 21;
constexpr u64 kRightPollFdReadwrite = 1ull << 27;
constexpr u64 kRightsStdin = kRightFdRead | kRightFdFdstatSetFlags | kRightFdFilestatGet | kRightPollFdReadwrite;
constexpr u64 kRightsStdout = kRightFdWrite | kRightFdFdstatSetFlags | kRightFdFilestatGet | kRightPollFdReadwrite;
constexpr u32 kFdflagsAll = 0x1f;
constexpr std::uint8_t kCharacterDevice = 2;

constexpr const char* kEnvironment[] = {
    "MKL_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1", "PYTHON_PATH=/", "PYTHONHOME=/",
    "PYTHONHASHSEED=0",  "PYTHONNOUSERSITE=on",    "PYTHONWASM=1",
};

// The stream behind an open fd (0 stdin, 1 stdout, 2 stderr), or -1: EBADF.
int stream(const Call& call, u32 fd) { return fd <= 2 ? call.stdio[fd] : -1; }

// Runs a WASI body; a bad pointer (HostFault from GuestMemory) is EFAULT.
template <class Body>
u32 wasi(Body&& body) {
  try {
    return body();
  } catch (const HostFault&) {
    return kFault;
  }
}

template <class Strings>
u32 sizes(Call& call, const Strings& strings, u32 count_ptr, u32 size_ptr) {
  return wasi([&] {
    GuestMemory guest(call, "wasi");
    std::uint32_t total = 0;
    for (const auto& s : strings) total += static_cast<u32>(std::string_view(s).size()) + 1;
    guest.set_u32(count_ptr, static_cast<u32>(std::size(strings)), "count");
    guest.set_u32(size_ptr, total, "size");
    return u32{kSuccess};
  });
}

template <class Strings>
u32 strings(Call& call, const Strings& strings, u32 pointers, u32 buffer) {
  return wasi([&] {
    GuestMemory guest(call, "wasi");
    u32 at = buffer;
    u32 slot = pointers;
    for (const auto& s : strings) {
      const std::string_view text(s);
      guest.set_u32(slot, at, "pointer");
      guest.write(at, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}, "string");
      guest.write(at + static_cast<u32>(text.size()), std::vector<std::uint8_t>{0}, "string");
      at += static_cast<u32>(text.size()) + 1;
      slot += 4;
    }
    return u32{kSuccess};
  });
}

bool clock_of(u32 id, clockid_t& clock) {
  switch (id) {
    case 0: clock = CLOCK_REALTIME; return true;
    case 1: clock = CLOCK_MONOTONIC; return true;
    case 2: clock = CLOCK_PROCESS_CPUTIME_ID; return true;
    case 3: clock = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

u64 now_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<u64>(ts.tv_sec) * 1'000'000'000ull + static_cast<u64>(ts.tv_nsec);
}

void capture(Call& call, std::string& into, std::span<const std::uint8_t> bytes) {
  const std::size_t room = call.capture_limit > into.size() ? call.capture_limit - into.size() : 0;
  if (bytes.size() > room) call.capture_truncated = true;
  into.append(reinterpret_cast<const char*>(bytes.data()), std::min(room, bytes.size()));
}

u32 fd_write(Call& call, u32 fd, u32 iovs, u32 count, u32 written) {
  const int to = stream(call, fd);
  if (to != 1 && to != 2) return kBadf;
  return wasi([&] {
    GuestMemory guest(call, "fd_write");
    u32 total = 0;
    for (u32 i = 0; i < count; ++i) {
      const u32 base = guest.get_u32(iovs + 8 * i, "iovec");
      const u32 length = guest.get_u32(iovs + 8 * i + 4, "iovec");
      capture(call, to == 1 ? call.stdout_text : call.stderr_text, guest.span(base, length, "buffer"));
      total += length;
    }
    guest.set_u32(written, total, "count");
    return u32{kSuccess};
  });
}

// As the browser's poll_oneoff: fd subscriptions (stdio only) are ready at once (EBADF on a closed fd), and
// only when none is ready does it sleep until the earliest clock is due, reporting the clocks due by then. A
// clock it does not know is an event with EINVAL.
u32 poll_oneoff(Call& call, u32 in, u32 out, u32 count, u32 events) {
  if (count == 0) return kInval;
  // 48 bytes per subscription: a count whose array could not fit in any 32-bit memory lies outside this one
  // (EFAULT), and is refused before the size wraps in 32 bits and passes the bounds check.
  if (count > UINT32_MAX / 48) return kFault;
  return wasi([&] {
    GuestMemory guest(call, "poll_oneoff");
    guest.check(in, 48 * count, "subscriptions");
    guest.check(out, 32 * count, "events");
    guest.check(events, 4, "event count");
    struct Event {
      u64 userdata;
      std::uint8_t type;
      std::uint16_t error;
      u64 remaining_ns;
    };
    std::vector<Event> ready;
    std::vector<Event> timers;
    for (u32 i = 0; i < count; ++i) {
      const std::uint8_t* sub = call.memory->data + in + 48 * i;
      u64 userdata;
      std::memcpy(&userdata, sub, 8);
      const std::uint8_t type = sub[8];
      if (type == 0) {
        u32 id;
        u64 timeout;
        std::uint16_t flags;
        std::memcpy(&id, sub + 16, 4);
        std::memcpy(&timeout, sub + 24, 8);
        std::memcpy(&flags, sub + 40, 2);
        clockid_t clock;
        if (!clock_of(id, clock)) {
          ready.push_back({userdata, type, kInval, 0});
          continue;
        }
        const u64 now = now_ns(clock);
        const u64 remaining = (flags & 1) ? (timeout > now ? timeout - now : 0) : timeout;
        timers.push_back({userdata, type, kSuccess, remaining});
      } else if (type == 1 || type == 2) {
        u32 fd;
        std::memcpy(&fd, sub + 16, 4);
        ready.push_back({userdata, type, static_cast<std::uint16_t>(stream(call, fd) < 0 ? kBadf : kSuccess), 0});
      } else {
        return u32{kInval};
      }
    }
    if (ready.empty()) {
      u64 wait = UINT64_MAX;
      for (const auto& timer : timers) wait = std::min(wait, timer.remaining_ns);
      timespec ts{static_cast<time_t>(wait / 1'000'000'000ull), static_cast<long>(wait % 1'000'000'000ull)};
      while (wait > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR) {
      }
      for (const auto& timer : timers) {
        if (timer.remaining_ns <= wait) ready.push_back(timer);
      }
    }
    for (std::size_t i = 0; i < ready.size(); ++i) {
      std::uint8_t* event = call.memory->data + out + 32 * i;
      std::memset(event, 0, 32);
      std::memcpy(event, &ready[i].userdata, 8);
      std::memcpy(event + 8, &ready[i].error, 2);
      event[10] = ready[i].type;
    }
    guest.set_u32(events, static_cast<u32>(ready.size()), "event count");
    return u32{kSuccess};
  });
}

}  // namespace

}  // namespace faasmjs::gateway::worker

using namespace faasmjs::gateway::worker;

#define FAASMJS_CALL(wasi) (*(wasi)->call)
using Wasi = Z_wasi_snapshot_preview1_instance_t;

extern "C" {

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(Wasi* w, u32 count, u32 size) {
  return sizes(FAASMJS_CALL(w), FAASMJS_CALL(w).args, count, size);
}
u32 Z_wasi_snapshot_preview1Z_args_get(Wasi* w, u32 argv, u32 buffer) {
  return strings(FAASMJS_CALL(w), FAASMJS_CALL(w).args, argv, buffer);
}
u32 Z_wasi_snapshot_preview1Z_environ_sizes_get(Wasi* w, u32 count, u32 size) {
  return sizes(FAASMJS_CALL(w), kEnvironment, count, size);
}
u32 Z_wasi_snapshot_preview1Z_environ_get(Wasi* w, u32 environ, u32 buffer) {
  return strings(FAASMJS_CALL(w), kEnvironment, environ, buffer);
}

u32 Z_wasi_snapshot_preview1Z_clock_res_get(Wasi* w, u32 id, u32 resolution) {
  clockid_t clock;
  if (!clock_of(id, clock)) return kInval;
  return wasi([&] {
    timespec ts{};
    clock_getres(clock, &ts);
    GuestMemory(FAASMJS_CALL(w), "clock_res_get")
        .set_u64(resolution, static_cast<u64>(ts.tv_sec) * 1'000'000'000ull + static_cast<u64>(ts.tv_nsec), "time");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_clock_time_get(Wasi* w, u32 id, u64, u32 time) {
  clockid_t clock;
  if (!clock_of(id, clock)) return kInval;
  return wasi([&] {
    GuestMemory(FAASMJS_CALL(w), "clock_time_get").set_u64(time, now_ns(clock), "time");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_fd_write(Wasi* w, u32 fd, u32 iovs, u32 count, u32 written) {
  return fd_write(FAASMJS_CALL(w), fd, iovs, count, written);
}

// stdin is empty: every read is at its end. stdout and stderr are write-only (EBADF, as the browser's Fd).
u32 Z_wasi_snapshot_preview1Z_fd_read(Wasi* w, u32 fd, u32, u32, u32 read) {
  const int from = stream(FAASMJS_CALL(w), fd);
  if (from != 0) return kBadf;
  return wasi([&] {
    GuestMemory(FAASMJS_CALL(w), "fd_read").set_u32(read, 0, "count");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_fd_close(Wasi* w, u32 fd) {
  if (stream(FAASMJS_CALL(w), fd) < 0) return kBadf;
  FAASMJS_CALL(w).stdio[fd] = -1;
  return kSuccess;
}

u32 Z_wasi_snapshot_preview1Z_fd_renumber(Wasi* w, u32 fd, u32 to) {
  Call& call = FAASMJS_CALL(w);
  if (stream(call, fd) < 0 || stream(call, to) < 0) return kBadf;
  if (fd == to) return kSuccess;
  call.stdio[to] = call.stdio[fd];
  call.stdio[fd] = -1;
  return kSuccess;
}

// What the browser's character devices answer: no seeking, no syncing, no sizes, times or space.
#define FAASMJS_ON_STDIO(errno_value) return stream(FAASMJS_CALL(w), fd) < 0 ? u32{kBadf} : u32{errno_value}
u32 Z_wasi_snapshot_preview1Z_fd_seek(Wasi* w, u32 fd, u64, u32, u32) { FAASMJS_ON_STDIO(kSpipe); }
u32 Z_wasi_snapshot_preview1Z_fd_tell(Wasi* w, u32 fd, u32) { FAASMJS_ON_STDIO(kSpipe); }
u32 Z_wasi_snapshot_preview1Z_fd_pread(Wasi* w, u32 fd, u32, u32, u64, u32) { FAASMJS_ON_STDIO(kSpipe); }
u32 Z_wasi_snapshot_preview1Z_fd_pwrite(Wasi* w, u32 fd, u32, u32, u64, u32) { FAASMJS_ON_STDIO(kSpipe); }
u32 Z_wasi_snapshot_preview1Z_fd_advise(Wasi* w, u32 fd, u64, u64, u32) { FAASMJS_ON_STDIO(kSpipe); }
u32 Z_wasi_snapshot_preview1Z_fd_sync(Wasi* w, u32 fd) { FAASMJS_ON_STDIO(kInval); }
u32 Z_wasi_snapshot_preview1Z_fd_datasync(Wasi* w, u32 fd) { FAASMJS_ON_STDIO(kInval); }
u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_size(Wasi* w, u32 fd, u64) { FAASMJS_ON_STDIO(kInval); }
u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_times(Wasi* w, u32 fd, u64, u64, u32) { FAASMJS_ON_STDIO(kNotsup); }
u32 Z_wasi_snapshot_preview1Z_fd_allocate(Wasi* w, u32 fd, u64, u64) { FAASMJS_ON_STDIO(kNotsup); }
u32 Z_wasi_snapshot_preview1Z_fd_readdir(Wasi* w, u32 fd, u32, u32, u64, u32) { FAASMJS_ON_STDIO(kNotdir); }
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(Wasi* w, u32 fd, u32 flags) {
  FAASMJS_ON_STDIO((flags & ~kFdflagsAll) != 0 ? kInval : kSuccess);
}
#undef FAASMJS_ON_STDIO

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(Wasi* w, u32 fd, u32 stat) {
  const int of = stream(FAASMJS_CALL(w), fd);
  if (of < 0) return kBadf;
  return wasi([&] {
    std::vector<std::uint8_t> fdstat(24, 0);
    fdstat[0] = kCharacterDevice;
    const u64 rights = of == 0 ? kRightsStdin : kRightsStdout;
    std::memcpy(fdstat.data() + 8, &rights, 8);
    GuestMemory(FAASMJS_CALL(w), "fd_fdstat_get").write(stat, fdstat, "fdstat");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_fd_filestat_get(Wasi* w, u32 fd, u32 stat) {
  if (stream(FAASMJS_CALL(w), fd) < 0) return kBadf;
  return wasi([&] {
    std::vector<std::uint8_t> filestat(64, 0);
    filestat[16] = kCharacterDevice;
    filestat[24] = 1;  // nlink
    GuestMemory(FAASMJS_CALL(w), "fd_filestat_get").write(stat, filestat, "filestat");
    return u32{kSuccess};
  });
}

// No preopened directory (see the top of this file): the preopen scan ends at once, and every path call names
// an fd that is not a directory (stdio: ENOTDIR, as the browser's Fd) or not open (EBADF).
u32 Z_wasi_snapshot_preview1Z_fd_prestat_get(Wasi*, u32, u32) { return kBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(Wasi*, u32, u32, u32) { return kBadf; }
#define FAASMJS_PATH_AT(fd) return stream(FAASMJS_CALL(w), fd) < 0 ? u32{kBadf} : u32{kNotdir}
u32 Z_wasi_snapshot_preview1Z_path_open(Wasi* w, u32 fd, u32, u32, u32, u32, u64, u64, u32, u32) {
  FAASMJS_PATH_AT(fd);
}
u32 Z_wasi_snapshot_preview1Z_path_filestat_get(Wasi* w, u32 fd, u32, u32, u32, u32) { FAASMJS_PATH_AT(fd); }
u32 Z_wasi_snapshot_preview1Z_path_filestat_set_times(Wasi* w, u32 fd, u32, u32, u32, u64, u64, u32) {
  FAASMJS_PATH_AT(fd);
}
u32 Z_wasi_snapshot_preview1Z_path_create_directory(Wasi* w, u32 fd, u32, u32) { FAASMJS_PATH_AT(fd); }
u32 Z_wasi_snapshot_preview1Z_path_remove_directory(Wasi* w, u32 fd, u32, u32) { FAASMJS_PATH_AT(fd); }
u32 Z_wasi_snapshot_preview1Z_path_unlink_file(Wasi* w, u32 fd, u32, u32) { FAASMJS_PATH_AT(fd); }
u32 Z_wasi_snapshot_preview1Z_path_readlink(Wasi* w, u32 fd, u32, u32, u32, u32, u32) { FAASMJS_PATH_AT(fd); }
u32 Z_wasi_snapshot_preview1Z_path_rename(Wasi* w, u32 fd, u32, u32, u32, u32, u32) { FAASMJS_PATH_AT(fd); }
#undef FAASMJS_PATH_AT

// What the browser has nothing behind either (its UNSUPPORTED list): ENOSYS, so libc reports "function not
// implemented" instead of the import trapping.
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(Wasi*, u32, u64, u64) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_path_link(Wasi*, u32, u32, u32, u32, u32, u32, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_path_symlink(Wasi*, u32, u32, u32, u32, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_proc_raise(Wasi*, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_accept(Wasi*, u32, u32, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_recv(Wasi*, u32, u32, u32, u32, u32, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_send(Wasi*, u32, u32, u32, u32, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_shutdown(Wasi*, u32, u32) { return kNosys; }

u32 Z_wasi_snapshot_preview1Z_poll_oneoff(Wasi* w, u32 in, u32 out, u32 count, u32 events) {
  return poll_oneoff(FAASMJS_CALL(w), in, out, count, events);
}

void Z_wasi_snapshot_preview1Z_proc_exit(Wasi* w, u32 code) {
  FAASMJS_CALL(w).exit_code = code;
  leave_guest();
}

u32 Z_wasi_snapshot_preview1Z_sched_yield(Wasi*) { return kSuccess; }

u32 Z_wasi_snapshot_preview1Z_random_get(Wasi* w, u32 buffer, u32 length) {
  return wasi([&] {
    auto target = GuestMemory(FAASMJS_CALL(w), "random_get").span(buffer, length, "buffer");
    for (std::size_t done = 0; done < target.size();) {
      const ssize_t n = getrandom(target.data() + done, target.size() - done, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return u32{kIo};
      done += static_cast<std::size_t>(n);
    }
    return u32{kSuccess};
  });
}

}  // extern "C"
