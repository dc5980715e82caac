// The embedded cluster's shared files: what FILE_UPLOAD stores and functions read as faasm://PATH (Faasm's
// upload server's PUT /file with FilePath: PATH). One namespace for the gateway, as Faasm's is one for its
// cluster. Kept in <data>/shared-files/ beside the functions, so they survive a restart as functions do: each
// file under the SHA-256 of its path (paths nest and may be longer than a file name), written to a temporary
// file, fsync'd and renamed over the old one, so a crash leaves the old or the new file whole.
// Thread-safe (rename is atomic; readers open the one file or the other).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace faasmjs::gateway::registry {

class SharedFileStore {
 public:
  // Makes <data_dir>/shared-files/ if it is missing.
  static Expected<std::unique_ptr<SharedFileStore>> open(const std::filesystem::path& data_dir);

  // Paths are checked with common/file_paths.h (BadState naming the path otherwise).
  Expected<void> put(std::string_view path, std::span<const std::uint8_t> data);
  Expected<std::optional<std::vector<std::uint8_t>>> get(std::string_view path) const;
  Expected<void> remove(std::string_view path);

 private:
  explicit SharedFileStore(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path file_of(std::string_view path) const;

  std::filesystem::path dir_;
};

}  // namespace faasmjs::gateway::registry
