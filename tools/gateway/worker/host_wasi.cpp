// The wasi_snapshot_preview1 imports of a call in the cluster: all 46 calls of preview1, and env.__wasi_fd_dup,
// which Faasm adds beside them. argv and Faasm's environment, clocks, randomness, sleeping, stdout/stderr
// captured into the call's result, stdin empty and proc_exit as the browser's sdk/js/wasi; descriptors and
// paths as a Faasm host answers them (file_system.h: Faasm's layout, its rules and its errnos, in the worker's
// in-memory file system).
//
// Faasm's WAMR host implements some calls itself (src/wamr/filesystem.cpp) and leaves others to WAMR's
// built-in libc-wasi, whose own descriptor table knows only stdio (fd_advise, fd_datasync,
// fd_filestat_set_times, fd_renumber: answered here for stdio, EBADF beyond). The calls its filesystem.cpp
// registers but leaves unimplemented fail the call, as there.
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
#include "worker/file_system.h"
#include "worker/guest_memory.h"
#include "worker/host_imports.h"
#include "worker/import_guard.h"
#include "worker/trap_backtrace.h"
#include "worker/wasi_errno.h"

namespace faasmjs::gateway::worker {

namespace {

using namespace wasi_errno;
constexpr u32 kFdflagsAll = 0x1f;

constexpr const char* kEnvironment[] = {
    "MKL_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1", "PYTHON_PATH=/", "PYTHONHOME=/",
    "PYTHONHASHSEED=0",  "PYTHONNOUSERSITE=on",    "PYTHONWASM=1",
};

// The stdio streams WAMR's built-in libc-wasi knows (0 stdin, 1 stdout, 2 stderr), or -1: EBADF.
int stream(u32 fd) { return fd <= 2 ? static_cast<int>(fd) : -1; }

// Runs a WASI body; a bad pointer (HostFault from GuestMemory) is EFAULT.
template <class Body>
u32 wasi(Body&& body) {
  try {
    return body();
  } catch (const HostFault&) {
    return u32{kFault};
  }
}

// A WASI call on the file system: as wasi(), and where Faasm's host throws (FileSystemFault) the call fails,
// the fault naming the import.
template <class Body>
u32 file_call(Call& call, const char* import, Body&& body) {
  return guarded(call, [&]() -> u32 {
    try {
      return wasi(body);
    } catch (const FileSystemFault& fault) {
      throw std::runtime_error(std::string(import) + ": " + fault.what());
    }
  });
}

// The calls Faasm's WAMR host registers and does not implement ("... not implemented!"): the call fails.
u32 unimplemented(Call& call, const char* import) {
  return file_call(call, import, [&]() -> u32 {
    throw FileSystemFault("not implemented by Faasm's WAMR host (wasi_" + std::string(import) + ")");
  });
}

// An iovec array as spans of guest memory.
template <class Span>
std::vector<Span> iovecs(GuestMemory& guest, u32 iovs, u32 count) {
  if (count > UINT32_MAX / 8) guest.fail("iovec count " + std::to_string(count));
  guest.check(iovs, 8 * count, "iovec");
  std::vector<Span> spans;
  for (u32 i = 0; i < count; ++i) {
    const u32 base = guest.get_u32(iovs + 8 * i, "iovec");
    const u32 length = guest.get_u32(iovs + 8 * i + 4, "iovec");
    spans.push_back(guest.span(base, length, "buffer"));
  }
  return spans;
}

std::string guest_path(GuestMemory& guest, u32 path, u32 length) {
  const auto bytes = guest.span(path, length, "path");
  return {bytes.begin(), bytes.end()};
}

void write_filestat(GuestMemory& guest, u32 at, const FileStat& stat) {
  std::vector<std::uint8_t> out(64, 0);
  std::memcpy(out.data(), &stat.device, 8);
  std::memcpy(out.data() + 8, &stat.inode, 8);
  out[16] = stat.filetype;
  std::memcpy(out.data() + 24, &stat.links, 8);
  std::memcpy(out.data() + 32, &stat.size, 8);
  std::memcpy(out.data() + 40, &stat.access_ns, 8);
  std::memcpy(out.data() + 48, &stat.modify_ns, 8);
  std::memcpy(out.data() + 56, &stat.change_ns, 8);
  guest.write(at, out, "filestat");
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
    case 0:
      clock = CLOCK_REALTIME;
      return true;
    case 1:
      clock = CLOCK_MONOTONIC;
      return true;
    case 2:
      clock = CLOCK_PROCESS_CPUTIME_ID;
      return true;
    case 3:
      clock = CLOCK_THREAD_CPUTIME_ID;
      return true;
    default:
      return false;
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
  return file_call(call, "fd_write", [&]() -> u32 {
    GuestMemory guest(call, "fd_write");
    Descriptor& to = call.files->get(fd);
    const auto buffers = iovecs<std::span<const std::uint8_t>>(guest, iovs, count);
    guest.check(written, 4, "count");
    u64 total = 0;
    if (to.kind == Descriptor::Kind::Stdout || to.kind == Descriptor::Kind::Stderr) {
      for (const auto& buffer : buffers) {
        capture(call, to.kind == Descriptor::Kind::Stdout ? call.stdout_text : call.stderr_text, buffer);
        total += buffer.size();
      }
    } else if (const auto error = call.files->write(to, buffers, total); error != kSuccess) {
      return u32{error};
    }
    guest.set_u32(written, static_cast<u32>(total), "count");
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
        ready.push_back({userdata, type, call.files->find(fd) == nullptr ? kBadf : kSuccess, 0});
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

using Wasi = Z_wasi_snapshot_preview1_instance_t;

extern "C" {

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(Wasi* w, u32 count, u32 size) {
  return sizes(call_of(w), call_of(w).args, count, size);
}
u32 Z_wasi_snapshot_preview1Z_args_get(Wasi* w, u32 argv, u32 buffer) {
  return strings(call_of(w), call_of(w).args, argv, buffer);
}
u32 Z_wasi_snapshot_preview1Z_environ_sizes_get(Wasi* w, u32 count, u32 size) {
  return sizes(call_of(w), kEnvironment, count, size);
}
u32 Z_wasi_snapshot_preview1Z_environ_get(Wasi* w, u32 environ, u32 buffer) {
  return strings(call_of(w), kEnvironment, environ, buffer);
}

u32 Z_wasi_snapshot_preview1Z_clock_res_get(Wasi* w, u32 id, u32 resolution) {
  clockid_t clock;
  if (!clock_of(id, clock)) return kInval;
  return wasi([&] {
    timespec ts{};
    clock_getres(clock, &ts);
    GuestMemory(call_of(w), "clock_res_get")
        .set_u64(resolution, static_cast<u64>(ts.tv_sec) * 1'000'000'000ull + static_cast<u64>(ts.tv_nsec), "time");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_clock_time_get(Wasi* w, u32 id, u64, u32 time) {
  clockid_t clock;
  if (!clock_of(id, clock)) return kInval;
  return wasi([&] {
    GuestMemory(call_of(w), "clock_time_get").set_u64(time, now_ns(clock), "time");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_fd_write(Wasi* w, u32 fd, u32 iovs, u32 count, u32 written) {
  return fd_write(call_of(w), fd, iovs, count, written);
}

// stdin is empty: every read is at its end. A descriptor that cannot be read answers -1 bytes, as Faasm's
// readv does.
u32 Z_wasi_snapshot_preview1Z_fd_read(Wasi* w, u32 fd, u32 iovs, u32 count, u32 read) {
  Call& call = call_of(w);
  return file_call(call, "fd_read", [&]() -> u32 {
    GuestMemory guest(call, "fd_read");
    Descriptor& from = call.files->get(fd);
    const auto buffers = iovecs<std::span<std::uint8_t>>(guest, iovs, count);
    guest.set_u32(read, static_cast<u32>(call.files->read(from, buffers)), "count");
    return u32{kSuccess};
  });
}

// Faasm ignores close: the descriptor stays open, and its number is never given again.
u32 Z_wasi_snapshot_preview1Z_fd_close(Wasi*, u32) { return kSuccess; }

// WAMR's libc-wasi renumbers in its own table, which Faasm's calls never read: no effect on stdio.
u32 Z_wasi_snapshot_preview1Z_fd_renumber(Wasi*, u32 fd, u32 to) {
  return stream(fd) < 0 || stream(to) < 0 ? u32{kBadf} : u32{kSuccess};
}

u32 Z_wasi_snapshot_preview1Z_fd_seek(Wasi* w, u32 fd, u64 offset, u32 whence, u32 result) {
  Call& call = call_of(w);
  return file_call(call, "fd_seek", [&]() -> u32 {
    GuestMemory guest(call, "fd_seek");
    guest.check(result, 8, "offset");
    u64 position = 0;
    const auto error = call.files->seek(call.files->get(fd), static_cast<std::int64_t>(offset), whence, position);
    if (error == kSuccess) guest.set_u64(result, position, "offset");
    return u32{error};
  });
}

// Faasm writes the offset through a 32-bit pointer: 4 bytes, -1 where lseek fails (stdio).
u32 Z_wasi_snapshot_preview1Z_fd_tell(Wasi* w, u32 fd, u32 result) {
  Call& call = call_of(w);
  return file_call(call, "fd_tell", [&]() -> u32 {
    GuestMemory guest(call, "fd_tell");
    u64 position = 0;
    const auto error = call.files->seek(call.files->get(fd), 0, 1, position);
    guest.set_u32(result, error == kSuccess ? static_cast<u32>(position) : UINT32_MAX, "offset");
    return u32{kSuccess};
  });
}

// WAMR's libc-wasi answers these for stdio (character devices: no seeking, syncing, times or advice).
#define FAASMJS_ON_STDIO(errno_value) \
  return stream(fd) < 0 ? u32{kBadf} : u32 { errno_value }
u32 Z_wasi_snapshot_preview1Z_fd_advise(Wasi*, u32 fd, u64, u64, u32) { FAASMJS_ON_STDIO(kSpipe); }
u32 Z_wasi_snapshot_preview1Z_fd_datasync(Wasi*, u32 fd) { FAASMJS_ON_STDIO(kInval); }
u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_times(Wasi*, u32 fd, u64, u64, u32) { FAASMJS_ON_STDIO(kNotsup); }
#undef FAASMJS_ON_STDIO

#define FAASMJS_UNIMPLEMENTED(name) return unimplemented(call_of(w), #name)
u32 Z_wasi_snapshot_preview1Z_fd_pread(Wasi* w, u32, u32, u32, u64, u32) { FAASMJS_UNIMPLEMENTED(fd_pread); }
u32 Z_wasi_snapshot_preview1Z_fd_pwrite(Wasi* w, u32, u32, u32, u64, u32) { FAASMJS_UNIMPLEMENTED(fd_pwrite); }
u32 Z_wasi_snapshot_preview1Z_fd_sync(Wasi* w, u32) { FAASMJS_UNIMPLEMENTED(fd_sync); }
u32 Z_wasi_snapshot_preview1Z_fd_filestat_set_size(Wasi* w, u32, u64) { FAASMJS_UNIMPLEMENTED(fd_filestat_set_size); }
u32 Z_wasi_snapshot_preview1Z_fd_allocate(Wasi* w, u32, u64, u64) { FAASMJS_UNIMPLEMENTED(fd_allocate); }
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_flags(Wasi* w, u32, u32) { FAASMJS_UNIMPLEMENTED(fd_fdstat_set_flags); }
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_set_rights(Wasi* w, u32, u64, u64) {
  FAASMJS_UNIMPLEMENTED(fd_fdstat_set_rights);
}
u32 Z_wasi_snapshot_preview1Z_path_create_directory(Wasi* w, u32, u32, u32) {
  FAASMJS_UNIMPLEMENTED(path_create_directory);
}
u32 Z_wasi_snapshot_preview1Z_path_remove_directory(Wasi* w, u32, u32, u32) {
  FAASMJS_UNIMPLEMENTED(path_remove_directory);
}
u32 Z_wasi_snapshot_preview1Z_path_filestat_set_times(Wasi* w, u32, u32, u32, u32, u64, u64, u32) {
  FAASMJS_UNIMPLEMENTED(path_filestat_set_times);
}
u32 Z_wasi_snapshot_preview1Z_path_link(Wasi* w, u32, u32, u32, u32, u32, u32, u32) {
  FAASMJS_UNIMPLEMENTED(path_link);
}
u32 Z_wasi_snapshot_preview1Z_path_symlink(Wasi* w, u32, u32, u32, u32, u32) { FAASMJS_UNIMPLEMENTED(path_symlink); }
#undef FAASMJS_UNIMPLEMENTED

// Flags are always 0, as Faasm leaves them.
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(Wasi* w, u32 fd, u32 stat) {
  Call& call = call_of(w);
  Descriptor* of = call.files->find(fd);
  if (of == nullptr) return kBadf;
  return file_call(call, "fd_fdstat_get", [&]() -> u32 {
    FileStat status;
    if (const auto error = call.files->stat(*of, "", status); error != kSuccess) return u32{error};
    std::vector<std::uint8_t> fdstat(24, 0);
    fdstat[0] = status.filetype;
    std::memcpy(fdstat.data() + 8, &of->rights, 8);
    std::memcpy(fdstat.data() + 16, &of->inheriting, 8);
    GuestMemory(call, "fd_fdstat_get").write(stat, fdstat, "fdstat");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_fd_filestat_get(Wasi* w, u32 fd, u32 stat) {
  Call& call = call_of(w);
  return file_call(call, "fd_filestat_get", [&]() -> u32 {
    FileStat status;
    if (const auto error = call.files->stat(call.files->get(fd), "", status); error != kSuccess) return u32{error};
    GuestMemory guest(call, "fd_filestat_get");
    write_filestat(guest, stat, status);
    return u32{kSuccess};
  });
}

// Every descriptor answers as a preopened directory named by its path (Faasm's preopen type is 0 for all);
// wasi-libc's scan from fd 3 stops at 5, the first that does not exist.
u32 Z_wasi_snapshot_preview1Z_fd_prestat_get(Wasi* w, u32 fd, u32 prestat) {
  Call& call = call_of(w);
  Descriptor* of = call.files->find(fd);
  if (of == nullptr) return kBadf;
  return wasi([&] {
    std::vector<std::uint8_t> out(8, 0);
    const auto length = static_cast<u32>(of->path.size());
    std::memcpy(out.data() + 4, &length, 4);
    GuestMemory(call, "fd_prestat_get").write(prestat, out, "prestat");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(Wasi* w, u32 fd, u32 path, u32 length) {
  Call& call = call_of(w);
  Descriptor* of = call.files->find(fd);
  if (of == nullptr) return kBadf;
  return wasi([&] {
    const std::string_view name = std::string_view(of->path).substr(0, length);
    GuestMemory(call, "fd_prestat_dir_name")
        .write(path, {reinterpret_cast<const std::uint8_t*>(name.data()), name.size()}, "path");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_fd_readdir(Wasi* w, u32 fd, u32 buffer, u32 length, u64 cookie, u32 used) {
  Call& call = call_of(w);
  return file_call(call, "fd_readdir", [&]() -> u32 {
    GuestMemory guest(call, "fd_readdir");
    Descriptor& of = call.files->get(fd);
    const auto into = guest.span(buffer, length, "buffer");
    guest.check(used, 4, "count");
    u32 filled = 0;
    if (const auto error = call.files->readdir(of, into, cookie, filled); error != kSuccess) return u32{error};
    guest.set_u32(used, filled, "count");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_path_open(Wasi* w, u32 fd, u32, u32 path, u32 length, u32 oflags, u64 rights,
                                        u64 inheriting, u32 fdflags, u32 opened) {
  Call& call = call_of(w);
  return file_call(call, "path_open", [&]() -> u32 {
    GuestMemory guest(call, "path_open");
    const std::string name = guest_path(guest, path, length);
    guest.check(opened, 4, "fd");
    const auto result = call.files->open(fd, name, oflags, rights, inheriting, fdflags);
    if (result.error != kSuccess) return u32{result.error};
    guest.set_u32(opened, result.fd, "fd");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_path_filestat_get(Wasi* w, u32 fd, u32, u32 path, u32 length, u32 stat) {
  Call& call = call_of(w);
  return file_call(call, "path_filestat_get", [&]() -> u32 {
    GuestMemory guest(call, "path_filestat_get");
    const std::string name = guest_path(guest, path, length);
    FileStat status;
    if (const auto error = call.files->stat(call.files->get(fd), name, status); error != kSuccess) {
      return u32{error};
    }
    write_filestat(guest, stat, status);
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_path_unlink_file(Wasi* w, u32 fd, u32 path, u32 length) {
  Call& call = call_of(w);
  return file_call(call, "path_unlink_file", [&]() -> u32 {
    GuestMemory guest(call, "path_unlink_file");
    return u32{call.files->unlink(call.files->get(fd), guest_path(guest, path, length))};
  });
}

// There are no symbolic links: readlink fails, and Faasm reports the -1 of readlink as the length used.
u32 Z_wasi_snapshot_preview1Z_path_readlink(Wasi* w, u32 fd, u32, u32, u32, u32, u32 used) {
  Call& call = call_of(w);
  return file_call(call, "path_readlink", [&]() -> u32 {
    call.files->get(fd);
    GuestMemory(call, "path_readlink").set_u32(used, UINT32_MAX, "count");
    return u32{kSuccess};
  });
}

u32 Z_wasi_snapshot_preview1Z_path_rename(Wasi* w, u32 fd, u32 old_path, u32 old_length, u32 new_fd, u32 new_path,
                                          u32 new_length) {
  Call& call = call_of(w);
  return file_call(call, "path_rename", [&]() -> u32 {
    GuestMemory guest(call, "path_rename");
    const std::string from = guest_path(guest, old_path, old_length);
    const std::string to = guest_path(guest, new_path, new_length);
    return u32{call.files->rename(call.files->get(fd), from, call.files->get(new_fd), to)};
  });
}

// Nothing behind these in WAMR's libc-wasi either (no signals, no sockets): ENOSYS, so libc reports "function
// not implemented" instead of the import trapping.
u32 Z_wasi_snapshot_preview1Z_proc_raise(Wasi*, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_accept(Wasi*, u32, u32, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_recv(Wasi*, u32, u32, u32, u32, u32, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_send(Wasi*, u32, u32, u32, u32, u32) { return kNosys; }
u32 Z_wasi_snapshot_preview1Z_sock_shutdown(Wasi*, u32, u32) { return kNosys; }

u32 Z_wasi_snapshot_preview1Z_poll_oneoff(Wasi* w, u32 in, u32 out, u32 count, u32 events) {
  return poll_oneoff(call_of(w), in, out, count, events);
}

void Z_wasi_snapshot_preview1Z_proc_exit(Wasi* w, u32 code) {
  call_of(w).exit_code = code;
  // An exit is no failure: nothing to unwind for.
  skip_next_trap_backtrace();
  leave_guest();
}

u32 Z_wasi_snapshot_preview1Z_sched_yield(Wasi*) { return kSuccess; }

u32 Z_wasi_snapshot_preview1Z_random_get(Wasi* w, u32 buffer, u32 length) {
  return wasi([&] {
    auto target = GuestMemory(call_of(w), "random_get").span(buffer, length, "buffer");
    for (std::size_t done = 0; done < target.size();) {
      const ssize_t n = getrandom(target.data() + done, target.size() - done, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return u32{kIo};
      done += static_cast<std::size_t>(n);
    }
    return u32{kSuccess};
  });
}

// The env import Faasm's WAMR host adds beside WASI for its wasi-libc fork's dup and fcntl(F_DUPFD) (faasm
// src/wamr/filesystem.cpp): it answers success with the new number. As there, a result pointer outside memory
// (WAMR checks it before the call) and a descriptor that does not exist (Faasm's table throws) fail the call.
u32 Z_envZ___wasi_fd_dup(Z_env_instance_t* env, u32 fd, u32 result) {
  Call& call = call_of(env);
  return guarded(call, [&]() -> u32 {
    GuestMemory guest(call, "__wasi_fd_dup");
    guest.check(result, 4, "result");
    try {
      guest.set_u32(result, call.files->dup(fd), "result");
    } catch (const FileSystemFault& fault) {
      throw std::runtime_error(std::string("__wasi_fd_dup: ") + fault.what());
    }
    return u32{kSuccess};
  });
}

}  // extern "C"
