#include "registry/shared_file_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/file_paths.h"
#include "sha256.h"

namespace faasmjs::gateway::registry {

namespace fs = std::filesystem;

namespace {

Expected<void> checked(std::string_view path) {
  if (auto error = shared_file_path_error(path)) return fail(ErrorCode::BadState, *error);
  return {};
}

Expected<void> sync(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0) return fail(ErrorCode::Internal, "cannot open " + path.string() + ": " + std::strerror(errno));
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return fail(ErrorCode::Internal, "cannot sync " + path.string() + ": " + std::strerror(errno));
  return {};
}

}  // namespace

Expected<std::unique_ptr<SharedFileStore>> SharedFileStore::open(const fs::path& data_dir) {
  const fs::path dir = data_dir / "shared-files";
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return fail(ErrorCode::Internal, "cannot make " + dir.string() + ": " + error.message());
  return std::unique_ptr<SharedFileStore>(new SharedFileStore(dir));
}

fs::path SharedFileStore::file_of(std::string_view path) const { return dir_ / sha256_hex(path); }

Expected<void> SharedFileStore::put(std::string_view path, std::span<const std::uint8_t> data) {
  if (auto ok = checked(path); !ok) return ok;
  static std::atomic<std::uint64_t> next{0};
  const fs::path target = file_of(path);
  const fs::path staging = dir_ / ("." + target.filename().string() + ".staging-" + std::to_string(next++));
  {
    std::ofstream out(staging, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!out) return fail(ErrorCode::Internal, "cannot write " + staging.string());
  }
  if (auto synced = sync(staging, false); !synced) return synced;
  std::error_code error;
  fs::rename(staging, target, error);
  if (error) return fail(ErrorCode::Internal, "cannot store shared file " + std::string(path) + ": " + error.message());
  return sync(dir_, true);
}

Expected<std::optional<std::vector<std::uint8_t>>> SharedFileStore::get(std::string_view path) const {
  if (auto ok = checked(path); !ok) return std::unexpected(ok.error());
  std::ifstream in(file_of(path), std::ios::binary | std::ios::ate);
  if (!in) return std::optional<std::vector<std::uint8_t>>{};
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.tellg()));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!in) return fail(ErrorCode::Internal, "cannot read shared file " + std::string(path));
  return std::optional(std::move(bytes));
}

Expected<void> SharedFileStore::remove(std::string_view path) {
  if (auto ok = checked(path); !ok) return ok;
  std::error_code error;
  fs::remove(file_of(path), error);
  if (error)
    return fail(ErrorCode::Internal, "cannot delete shared file " + std::string(path) + ": " + error.message());
  return sync(dir_, true);
}

}  // namespace faasmjs::gateway::registry
