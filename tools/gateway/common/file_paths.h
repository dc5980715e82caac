// The paths the gateway takes for files, one rule each for every reader (the protocol's FILE_UPLOAD, FILE_GET
// and INVOKE files, the shared-file store, the Faasm backend). Each answers an error naming the path, or
// nothing when it is well formed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace faasmjs::gateway {

inline constexpr std::size_t kMaxFilePath = 1024;

namespace file_paths_detail {
inline std::optional<std::string> common(std::string_view path, const char* what) {
  if (path.empty()) return std::string(what) + " needs a path";
  if (path.size() > kMaxFilePath) {
    return std::string(what) + " path of " + std::to_string(path.size()) + " bytes is over " +
           std::to_string(kMaxFilePath);
  }
  for (unsigned char c : path) {
    if (c < ' ' || c == 0x7f) return std::string(what) + " path '" + std::string(path) + "' holds a control character";
  }
  return std::nullopt;
}
}  // namespace file_paths_detail

// A shared file's path, as faasm://PATH names it (Faasm's FilePath header): relative, '/'-separated names,
// none empty, "." or "..".
inline std::optional<std::string> shared_file_path_error(std::string_view path) {
  if (auto error = file_paths_detail::common(path, "a shared file")) return error;
  if (path.starts_with(std::string_view("faasm://"))) {
    return "shared file path '" + std::string(path) + "' names the file without its faasm:// prefix";
  }
  std::string_view rest = path;
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view name = rest.substr(0, slash);
    if (name.empty() || name == "." || name == "..") {
      return "shared file path '" + std::string(path) + "' must be relative names without '', '.' or '..'";
    }
    if (slash == std::string_view::npos) return std::nullopt;
    rest = rest.substr(slash + 1);
  }
}

// A seeded file's path in the host's runtime root ("/tmp/input.txt"; the worker resolves it inside the root).
inline std::optional<std::string> seeded_file_path_error(std::string_view path) {
  if (auto error = file_paths_detail::common(path, "a seeded file")) return error;
  if (path.starts_with(std::string_view("faasm://"))) {
    return "seeded file '" + std::string(path) + "' is a shared file: upload it (FILE_UPLOAD) instead";
  }
  return std::nullopt;
}

}  // namespace faasmjs::gateway
