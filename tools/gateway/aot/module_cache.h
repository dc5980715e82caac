// The compile cache's files on disk (<sha256>-abi<N>.so, and the logs of compiler failures), kept under a
// size cap by removing the least recently used first; a cache hit counts as a use (the file's mtime).
// A module some holder still needs (a registered function, a call on its way to a worker, which dlopen()s
// it by path) is pinned and never removed: the cap holds for everything else. Not thread-safe: the
// compiler calls it under its lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace faasmjs::gateway::aot {

using ModulePin = std::shared_ptr<const void>;

class ModuleCache {
 public:
  ModuleCache(std::filesystem::path dir, std::uint64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}

  // Whether `file` is cached; if so it is now the most recently used.
  bool use(const std::filesystem::path& file);
  // Keeps `file` from eviction while the pin (or a copy) lives.
  ModulePin pin(const std::filesystem::path& file);
  // Removes unpinned files, least recently used first, until the cache fits its cap.
  void evict();

 private:
  std::filesystem::path dir_;
  std::uint64_t max_bytes_;
  std::map<std::string, std::weak_ptr<const void>> pins_;
};

}  // namespace faasmjs::gateway::aot
