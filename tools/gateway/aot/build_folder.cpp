#include "aot/build_folder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace faasmjs::gateway::aot {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "build-";

}  // namespace

Expected<BuildFolder> BuildFolder::create(const fs::path& cache_dir) {
  std::string name = (cache_dir / (std::string(kPrefix) + "XXXXXX")).string();
  if (::mkdtemp(name.data()) == nullptr) {
    return fail(ErrorCode::Internal,
                std::string("cannot make a build folder in the compile cache: ") + std::strerror(errno));
  }
  const int fd = ::open(name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::flock(fd, LOCK_EX) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    std::error_code ignored;
    fs::remove_all(name, ignored);
    return fail(ErrorCode::Internal,
                std::string("cannot lock a build folder in the compile cache: ") + std::strerror(error));
  }
  return BuildFolder(name, fd);
}

BuildFolder::BuildFolder(BuildFolder&& other) noexcept
    : path_(std::move(other.path_)), lock_fd_(std::exchange(other.lock_fd_, -1)) {}

BuildFolder::~BuildFolder() {
  if (lock_fd_ < 0) return;
  std::error_code ignored;
  fs::remove_all(path_, ignored);
  ::close(lock_fd_);
}

void sweep_build_folders(const fs::path& cache_dir) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(cache_dir, error)) {
    if (!entry.is_directory(error) || !entry.path().filename().string().starts_with(kPrefix)) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      std::error_code ignored;
      fs::remove_all(entry.path(), ignored);
    }
    ::close(fd);
  }
}

}  // namespace faasmjs::gateway::aot
