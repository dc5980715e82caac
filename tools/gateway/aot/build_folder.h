// One compile's folder in the compile cache, <cache>/build-XXXXXX (mode 0700): what the compiler's programs
// read and write, removed when the compile ends, however it ends. A compile that died with its gateway
// (kill -9, a crash) cannot remove its folder, so each Compiler sweeps those at start: a folder is in use
// while the compile that made it holds a flock on it, which the kernel drops when that process dies.
#pragma once

#include <filesystem>

#include "common/error.h"

namespace faasmjs::gateway::aot {

class BuildFolder {
 public:
  static Expected<BuildFolder> create(const std::filesystem::path& cache_dir);
  BuildFolder(BuildFolder&& other) noexcept;
  BuildFolder& operator=(BuildFolder&&) = delete;
  ~BuildFolder();

  const std::filesystem::path& path() const { return path_; }

 private:
  BuildFolder(std::filesystem::path path, int lock_fd) : path_(std::move(path)), lock_fd_(lock_fd) {}

  std::filesystem::path path_;
  int lock_fd_ = -1;
};

// Removes the build folders in `cache_dir` that no live compile holds.
void sweep_build_folders(const std::filesystem::path& cache_dir);

}  // namespace faasmjs::gateway::aot
