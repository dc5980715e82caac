// The wasi_snapshot_preview1 imports of a call in the cluster: argv and Faasm's environment, clocks, randomness,
// sleeping, stdout/stderr captured into the call's result, stdin empty, proc_exit. Calls in the cluster get no
// file system (no preopened directory: libc then reports ENOENT/EBADF for paths, as on a host without files).
// A bad guest pointer is EFAULT here, as WASI defines, not a fault of the call.
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
  kNosys = 52,
  kNotdir = 54,
  kSpipe = 70,
};

constexpr const char* kEnvironment[] = {
    "MKL_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1", "PYTHON_PATH=/", "PYTHONHOME=/",
    "PYTHONHASHSEED=0",  "PYTHONNOUSERSITE=on",    "PYTHONWASM=1",
};

bool is_stdio(u32 fd) { return fd <= 2; }

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
  if (fd != 1 && fd != 2) return kBadf;
  return wasi([&] {
    GuestMemory guest(call, "fd_write");
    u32 total = 0;
    for (u32 i = 0; i < count; ++i) {
      const u32 base = guest.get_u32(iovs + 8 * i, "iovec");
      const u32 length = guest.get_u32(iovs + 8 * i + 4, "iovec");
      capture(call, fd == 1 ? call.stdout_text : call.stderr_text, guest.span(base, length, "buffer"));
      total += length;
    }
    guest.set_u32(written, total, "count");
    return u32{kSuccess};
  });
}

// Sleeps until the earliest clock subscription is due, then reports every subscription as ready; fd
// subscriptions (stdio only) are ready at once.
u32 poll_oneoff(Call& call, u32 in, u32 out, u32 count, u32 events) {
  if (count == 0) return kInval;
  return wasi([&] {
    GuestMemory guest(call, "poll_oneoff");
    guest.check(in, 48 * count, "subscriptions");
    guest.check(out, 32 * count, "events");
    bool only_clocks = true;
    u64 sleep_ns = UINT64_MAX;
    for (u32 i = 0; i < count; ++i) {
      const std::uint8_t* sub = call.memory->data + in + 48 * i;
      if (sub[8] != 0) {
        only_clocks = false;
        continue;
      }
      u32 id;
      u64 timeout;
      std::uint16_t flags;
      std::memcpy(&id, sub + 16, 4);
      std::memcpy(&timeout, sub + 24, 8);
      std::memcpy(&flags, sub + 40, 2);
      clockid_t clock;
      if (!clock_of(id, clock)) return u32{kInval};
      const u64 relative = (flags & 1) ? (timeout > now_ns(clock) ? timeout - now_ns(clock) : 0) : timeout;
      sleep_ns = std::min(sleep_ns, relative);
    }
    if (only_clocks && sleep_ns != UINT64_MAX) {
      timespec ts{static_cast<time_t>(sleep_ns / 1'000'000'000ull), static_cast<long>(sleep_ns % 1'000'000'000ull)};
      while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
      }
    }
    for (u32 i = 0; i < count; ++i) {
      const std::uint8_t* sub = call.memory->data + in + 48 * i;
      std::uint8_t* event = call.memory->data + out + 32 * i;
      std::memset(event, 0, 32);
      std::memcpy(event, sub, 8);  // userdata
      event[10] = sub[8];          // type
    }
    guest.set_u32(events, count, "event count");
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

// stdin is empty: every read is at its end.
u32 Z_wasi_snapshot_preview1Z_fd_read(Wasi* w, u32 fd, u32, u32, u32 read) {
  if (fd != 0) return kBadf;
  return wasi([&] {
    GuestMemory(FAASMJS_CALL(w), "fd_read").set_u32(read, 0, "count");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_fd_close(Wasi*, u32 fd) { return is_stdio(fd) ? kSuccess : kBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_seek(Wasi*, u32 fd, u64, u32, u32) { return is_stdio(fd) ? kSpipe : kBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_tell(Wasi*, u32 fd, u32) { return is_stdio(fd) ? kSpipe : kBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_sync(Wasi*, u32 fd) { return is_stdio(fd) ? kSuccess : kBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_datasync(Wasi* w, u32 fd) { return Z_wasi_snapshot_preview1Z_fd_sync(w, fd); }
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(Wasi*, u32 fd, u32) { return is_stdio(fd) ? kSuccess : kBadf; }

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(Wasi* w, u32 fd, u32 stat) {
  if (!is_stdio(fd)) return kBadf;
  return wasi([&] {
    std::vector<std::uint8_t> fdstat(24, 0);
    fdstat[0] = 2;  // character device
    const u64 all_rights = 0x1FFFFFFFull;
    std::memcpy(fdstat.data() + 8, &all_rights, 8);
    GuestMemory(FAASMJS_CALL(w), "fd_fdstat_get").write(stat, fdstat, "fdstat");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_fd_filestat_get(Wasi* w, u32 fd, u32 stat) {
  if (!is_stdio(fd)) return kBadf;
  return wasi([&] {
    std::vector<std::uint8_t> filestat(64, 0);
    filestat[16] = 2;  // character device
    GuestMemory(FAASMJS_CALL(w), "fd_filestat_get").write(stat, filestat, "filestat");
    return u32{kSuccess};
  });
}

// No preopened directories: libc's scan of preopens stops at the first EBADF.
u32 Z_wasi_snapshot_preview1Z_fd_prestat_get(Wasi*, u32, u32) { return kBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(Wasi*, u32, u32, u32) { return kBadf; }
u32 Z_wasi_snapshot_preview1Z_fd_readdir(Wasi*, u32 fd, u32, u32, u64, u32) { return is_stdio(fd) ? kNotdir : kBadf; }
u32 Z_wasi_snapshot_preview1Z_path_open(Wasi*, u32, u32, u32, u32, u32, u64, u64, u32, u32) { return kBadf; }
u32 Z_wasi_snapshot_preview1Z_path_filestat_get(Wasi*, u32, u32, u32, u32, u32) { return kBadf; }
u32 Z_wasi_snapshot_preview1Z_path_create_directory(Wasi*, u32, u32, u32) { return kBadf; }
u32 Z_wasi_snapshot_preview1Z_path_remove_directory(Wasi*, u32, u32, u32) { return kBadf; }
u32 Z_wasi_snapshot_preview1Z_path_unlink_file(Wasi*, u32, u32, u32) { return kBadf; }
u32 Z_wasi_snapshot_preview1Z_path_readlink(Wasi*, u32, u32, u32, u32, u32, u32) { return kBadf; }
u32 Z_wasi_snapshot_preview1Z_path_rename(Wasi*, u32, u32, u32, u32, u32, u32) { return kBadf; }

u32 Z_wasi_snapshot_preview1Z_poll_oneoff(Wasi* w, u32 in, u32 out, u32 count, u32 events) {
  return poll_oneoff(FAASMJS_CALL(w), in, out, count, events);
}

void Z_wasi_snapshot_preview1Z_proc_exit(Wasi* w, u32 code) {
  FAASMJS_CALL(w).exit_code = code;
  leave_guest();
}

u32 Z_wasi_snapshot_preview1Z_proc_raise(Wasi*, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_sched_yield(Wasi*) { return kSuccess; }

u32 Z_wasi_snapshot_preview1Z_random_get(Wasi* w, u32 buffer, u32 length) {
  return wasi([&] {
    auto target = GuestMemory(FAASMJS_CALL(w), "random_get").span(buffer, length, "buffer");
    for (std::size_t done = 0; done < target.size();) {
      const ssize_t n = getrandom(target.data() + done, target.size() - done, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return u32{29};  // EIO
      done += static_cast<std::size_t>(n);
    }
    return u32{kSuccess};
  });
}

}  // extern "C"
