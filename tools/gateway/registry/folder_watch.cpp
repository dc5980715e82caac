#include "registry/folder_watch.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace faasmjs::gateway::registry {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE;

class InotifyWatch final : public FolderWatch {
 public:
  InotifyWatch(int inotify, int stop, std::chrono::milliseconds settle, Changed changed)
      : inotify_(inotify), stop_(stop), settle_(settle), changed_(std::move(changed)), thread_([this] { run(); }) {}

  ~InotifyWatch() override {
    const std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(stop_, &one, sizeof one);
    thread_.join();
    ::close(inotify_);
    ::close(stop_);
  }

 private:
  void run() {
    std::set<std::string> pending;
    Clock::time_point quiet_at{};
    alignas(inotify_event) char buffer[16384];
    for (;;) {
      int timeout = -1;
      if (!pending.empty()) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(quiet_at - Clock::now()).count();
        timeout = static_cast<int>(std::max<long long>(0, left));
      }
      pollfd fds[2] = {{inotify_, POLLIN, 0}, {stop_, POLLIN, 0}};
      const int ready = ::poll(fds, 2, timeout);
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0 || (fds[1].revents & POLLIN) != 0) return;
      if ((fds[0].revents & POLLIN) != 0) {
        const ssize_t got = ::read(inotify_, buffer, sizeof buffer);
        for (ssize_t at = 0; got > 0 && at < got;) {
          const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
          if (event->len > 0) pending.insert(event->name);
          at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        }
        quiet_at = Clock::now() + settle_;
        continue;
      }
      if (!pending.empty() && Clock::now() >= quiet_at) changed_(std::exchange(pending, {}));
    }
  }

  int inotify_;
  int stop_;
  std::chrono::milliseconds settle_;
  Changed changed_;
  std::thread thread_;
};

}  // namespace

Expected<std::unique_ptr<FolderWatch>> FolderWatch::start(const std::filesystem::path& folder,
                                                          std::chrono::milliseconds settle, Changed changed) {
  const int inotify = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify < 0) return fail(ErrorCode::Internal, std::string("cannot watch folders: ") + std::strerror(errno));
  if (::inotify_add_watch(inotify, folder.c_str(), kEvents | IN_ONLYDIR) < 0) {
    const int error = errno;
    ::close(inotify);
    return fail(ErrorCode::Internal, "cannot watch " + folder.string() + ": " + std::strerror(error));
  }
  const int stop = ::eventfd(0, EFD_CLOEXEC);
  if (stop < 0) {
    ::close(inotify);
    return fail(ErrorCode::Internal, std::string("cannot watch folders: ") + std::strerror(errno));
  }
  return std::make_unique<InotifyWatch>(inotify, stop, settle, std::move(changed));
}

}  // namespace faasmjs::gateway::registry
