#include "auth/function_owners.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "auth/token.h"

namespace faasmjs::gateway::auth {

namespace fs = std::filesystem;

namespace {

bool function_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

// NAME.tmp written and synced, renamed over NAME, the directory synced: a crash leaves the old or the new.
bool write_durably(const fs::path& dir, const std::string& name, const std::string& text) {
  const fs::path temporary = dir / (name + ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!(out << text) || !out.flush()) return false;
  }
  std::error_code error;
  const bool done = sync_path(temporary, O_RDONLY) && (fs::rename(temporary, dir / name, error), !error) &&
                    sync_path(dir, O_RDONLY | O_DIRECTORY);
  if (!done) fs::remove(temporary, error);
  return done;
}

}  // namespace

Expected<std::unique_ptr<FunctionOwners>> FunctionOwners::open(fs::path dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return fail(ErrorCode::Internal, "cannot create " + dir.string() + ": " + error.message());
  std::map<std::string, std::string> owners;
  for (const auto& item : fs::directory_iterator(dir, error)) {
    const std::string name = item.path().filename().string();
    if (!function_name(name)) {
      fs::remove(item.path(), error);  // a .tmp a crash left behind
      continue;
    }
    std::ifstream in(item.path(), std::ios::binary);
    std::string user{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!valid_user(user)) return fail(ErrorCode::Internal, item.path().string() + " does not name a user");
    owners.emplace(name, std::move(user));
  }
  if (error) return fail(ErrorCode::Internal, "cannot read " + dir.string() + ": " + error.message());
  return std::unique_ptr<FunctionOwners>(new FunctionOwners(std::move(dir), std::move(owners)));
}

Expected<void> FunctionOwners::claim(std::string_view function, const std::string& user, bool admin, bool registered) {
  if (!function_name(function)) return {};
  const std::string name(function);
  std::lock_guard held(mutex_);
  if (auto owner = owners_.find(name); owner != owners_.end()) {
    if (owner->second == user || admin) return {};
    return fail(ErrorCode::Forbidden, "function '" + name + "' belongs to user '" + owner->second +
                                          "': only they or an admin may replace it");
  }
  if (registered && !admin) {
    return fail(ErrorCode::Forbidden,
                "function '" + name + "' is one of the gateway's own (--functions): only an admin may replace it");
  }
  if (!write_durably(dir_, name, user)) {
    return fail(ErrorCode::Internal,
                "cannot record the owner of function '" + name + "' (the data folder cannot be written)");
  }
  owners_.emplace(name, user);
  return {};
}

}  // namespace faasmjs::gateway::auth
