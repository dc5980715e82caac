#include "aot/module_cache.h"

#include <algorithm>
#include <vector>

namespace faasmjs::gateway::aot {

namespace fs = std::filesystem;

bool ModuleCache::use(const fs::path& file) {
  std::error_code error;
  if (!fs::is_regular_file(file, error)) return false;
  fs::last_write_time(file, fs::file_time_type::clock::now(), error);
  return true;
}

ModulePin ModuleCache::pin(const fs::path& file) {
  auto& held = pins_[file.filename().string()];
  if (auto live = held.lock()) return live;
  auto fresh = std::make_shared<const int>(0);
  held = fresh;
  return fresh;
}

void ModuleCache::evict() {
  struct File {
    fs::path path;
    fs::file_time_type used;
    std::uint64_t size;
  };
  std::vector<File> files;
  std::uint64_t total = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir_, error)) {
    if (!entry.is_regular_file(error)) continue;  // build folders are their compile's
    const std::uint64_t size = entry.file_size(error);
    total += size;
    files.push_back({entry.path(), entry.last_write_time(error), size});
  }
  std::erase_if(pins_, [](const auto& held) { return held.second.expired(); });
  std::ranges::sort(files, {}, &File::used);
  for (const auto& file : files) {
    if (total <= max_bytes_) break;
    if (pins_.contains(file.path.filename().string())) continue;
    if (fs::remove(file.path, error)) total -= file.size;
  }
}

}  // namespace faasmjs::gateway::aot
