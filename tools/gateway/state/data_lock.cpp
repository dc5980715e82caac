#include "state/data_lock.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

namespace faasmjs::gateway::state {

namespace fs = std::filesystem;

namespace {

constexpr char kLockName[] = "gateway.lock";

std::string holder_line() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  char started[32] = {};
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  std::strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return "pid " + std::to_string(::getpid()) + " on " + host + ", started " + started + "\n";
}

// What the holder wrote, on one line; it may be empty if the holder was killed between taking the lock
// and writing it.
std::string read_holder(int fd) {
  char buffer[512];
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  if (const auto end = text.find('\n'); end != std::string::npos) text.resize(end);
  return text.empty() ? "a process that has not yet said who it is" : text;
}

Error lock_error(const fs::path& path, const std::string& what) {
  return Error{ErrorCode::Internal, what + " " + path.string() + ": " + std::strerror(errno)};
}

}  // namespace

Expected<DataLock> DataLock::acquire(const fs::path& data_dir) {
  std::error_code error;
  fs::create_directories(data_dir, error);
  if (error) return fail(ErrorCode::Internal, "cannot create " + data_dir.string() + ": " + error.message());
  const fs::path path = data_dir / kLockName;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return std::unexpected(lock_error(path, "cannot open"));
  DataLock lock(fd);
  struct flock whole {};
  whole.l_type = F_WRLCK;
  whole.l_whence = SEEK_SET;  // start 0, length 0: the whole file, however long
  while (::fcntl(fd, F_SETLK, &whole) != 0) {
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EACCES) {
      return fail(ErrorCode::Internal, "data folder " + data_dir.string() + " is in use by another gateway (" +
                                           read_holder(fd) + "); stop it or give this one another --data");
    }
    return std::unexpected(lock_error(path, "cannot lock"));
  }
  const std::string line = holder_line();
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, line.data(), line.size(), 0) != static_cast<ssize_t>(line.size())) {
    return std::unexpected(lock_error(path, "cannot write"));
  }
  return lock;
}

DataLock::~DataLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace faasmjs::gateway::state
