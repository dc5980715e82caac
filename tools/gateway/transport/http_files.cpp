#include "transport/http_files.h"

#include <algorithm>
#include <vector>

namespace faasmjs::gateway::transport {

namespace fs = std::filesystem;

namespace {

// The segments of a URL path below its root, or nullopt when one could step outside it or is not a plain
// name. libwebsockets has already percent-decoded the path, so "%2e%2e" arrives here as "..".
std::optional<std::vector<std::string>> segments(std::string_view path) {
  std::vector<std::string> parts;
  if (path.empty() || path.front() != '/') return std::nullopt;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) return std::nullopt;
  std::size_t at = 1;
  while (at <= path.size()) {
    const std::size_t end = std::min(path.find('/', at), path.size());
    const std::string_view part = path.substr(at, end - at);
    const bool last = end == path.size();
    if (part == "." || part == "..") return std::nullopt;
    if (part.empty() && !last) return std::nullopt;  // "//" in the middle
    if (!part.empty()) parts.emplace_back(part);
    at = end + 1;
  }
  return parts;
}

std::optional<HttpFile> file_under(const fs::path& root, const std::vector<std::string>& parts, std::size_t from) {
  fs::path path = root;
  for (std::size_t i = from; i < parts.size(); ++i) path /= parts[i];
  std::error_code error;
  if (fs::is_directory(path, error)) path /= "index.html";
  if (!fs::is_regular_file(path, error)) return std::nullopt;
  // A link inside the root may point anywhere: what is served must really be below the root.
  const fs::path real = fs::canonical(path, error);
  const fs::path real_root = fs::canonical(root, error);
  if (error) return std::nullopt;
  const auto [below, _] = std::mismatch(real_root.begin(), real_root.end(), real.begin(), real.end());
  if (below != real_root.end()) return std::nullopt;
  return HttpFile{path, mime_type(path)};
}

}  // namespace

std::string mime_type(const fs::path& file) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".wasm", "application/wasm"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"},
      {".ts", "text/plain; charset=utf-8"},
  };
  const std::string extension = file.extension().string();
  for (const auto& [suffix, type] : kTypes) {
    if (extension == suffix) return type;
  }
  return "application/octet-stream";
}

std::optional<HttpFile> resolve_http_file(const HttpRoots& roots, std::string_view url_path) {
  // The query string is not part of the file's name.
  url_path = url_path.substr(0, url_path.find('?'));
  auto parts = segments(url_path);
  if (!parts) return std::nullopt;
  if (!parts->empty() && (*parts)[0] == "functions") {
    if (parts->size() != 2) return std::nullopt;
    auto file = roots.function_file((*parts)[1]);
    if (!file) return std::nullopt;
    return HttpFile{*file, mime_type(*file)};
  }
  if (!parts->empty() && (*parts)[0] == "sdk") return file_under(roots.sdk, *parts, 1);
  return file_under(roots.web_root, *parts, 0);
}

}  // namespace faasmjs::gateway::transport
