// The files the gateway serves over HTTP on its one port: the web app at /, the SDK at /sdk/, and the
// registered functions' browser files at /functions/ (the registry decides which exist). Resolution is
// pure path logic, apart from libwebsockets, so that it can be tested on its own and never leaves its
// roots: a URL with a `..`, `.` or empty segment, a backslash or a NUL resolves to nothing, and so does a
// file whose real path (links followed) is outside the web root or the SDK.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace faasmjs::gateway::transport {

struct HttpRoots {
  std::filesystem::path web_root;
  std::filesystem::path sdk;
  // "NAME.wasm" → its file, or nullopt (registry::FunctionRegistry::browser_file).
  std::function<std::optional<std::filesystem::path>(std::string_view)> function_file;
};

struct HttpFile {
  std::filesystem::path path;
  std::string mime;
};

// The regular file a URL path names, or nullopt (404). `/` and directories serve their index.html.
std::optional<HttpFile> resolve_http_file(const HttpRoots& roots, std::string_view url_path);

// The Content-Type for a file name.
std::string mime_type(const std::filesystem::path& file);

}  // namespace faasmjs::gateway::transport
