#include "faasm/upload_client.h"

namespace faasmjs::gateway::faasm {

namespace {

// The upload server splits its path at '/' and does not decode escapes, so a name can only be passed as it is:
// refuse what would change the path's meaning instead of sending a request to some other name.
Expected<std::string> segment(ErrorCode code, std::string_view what, std::string_view name) {
  if (name.empty()) return fail(code, std::string(what) + " is empty");
  for (unsigned char c : name) {
    if (c <= ' ' || c == 0x7f || c == '/' || c == '?' || c == '#' || c == '%')
      return fail(code, std::string(what) + " \"" + std::string(name) +
                            "\" cannot be sent to Faasm: it holds a space, control character, '/', '?', '#' or '%'");
  }
  return std::string(name);
}

Expected<std::string> filePath(std::string_view path) {
  if (path.empty()) return fail(ErrorCode::BadState, "file path is empty");
  for (unsigned char c : path) {
    if (c < ' ' || c == 0x7f) return fail(ErrorCode::BadState, "file path holds a control character");
  }
  return std::string(path);
}

Expected<void> done(const Expected<std::string>& answer) {
  if (!answer) return std::unexpected(answer.error());
  return {};
}

}  // namespace

UploadClient::UploadClient(std::string url, HttpTimeouts timeouts)
    : http_(Endpoint{"Faasm's upload server", std::move(url)}, timeouts) {}

Expected<std::string> UploadClient::exchange(ErrorCode code, HttpRequest request) const {
  auto response = http_.send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) {
    std::string reason(response->reason());
    return fail(code, endpoint().describe() + " refused " + request.method + " " + request.path + ": " +
                          std::to_string(response->status) + (reason.empty() ? "" : " " + reason));
  }
  return std::move(response->body);
}

Expected<void> UploadClient::uploadFunction(std::string_view user, std::string_view function,
                                            std::string_view wasm) const {
  auto u = segment(ErrorCode::BadUser, "user", user);
  if (!u) return std::unexpected(u.error());
  auto f = segment(ErrorCode::UnknownFunction, "function name", function);
  if (!f) return std::unexpected(f.error());
  return done(
      exchange(ErrorCode::BadWasm, {"PUT", "/f/" + *u + "/" + *f, {{"Content-Type", "application/wasm"}}, wasm, {}}));
}

Expected<void> UploadClient::putState(std::string_view user, std::string_view key, std::string_view value) const {
  auto u = segment(ErrorCode::BadUser, "user", user);
  if (!u) return std::unexpected(u.error());
  auto k = segment(ErrorCode::BadState, "state key", key);
  if (!k) return std::unexpected(k.error());
  return done(exchange(ErrorCode::BadState,
                       {"PUT", "/s/" + *u + "/" + *k, {{"Content-Type", "application/octet-stream"}}, value, {}}));
}

Expected<std::string> UploadClient::getState(std::string_view user, std::string_view key) const {
  auto u = segment(ErrorCode::BadUser, "user", user);
  if (!u) return std::unexpected(u.error());
  auto k = segment(ErrorCode::BadState, "state key", key);
  if (!k) return std::unexpected(k.error());
  return exchange(ErrorCode::BadState, {"GET", "/s/" + *u + "/" + *k, {}, {}, {}});
}

Expected<void> UploadClient::putFile(std::string_view path, std::string_view contents) const {
  auto p = filePath(path);
  if (!p) return std::unexpected(p.error());
  return done(
      exchange(ErrorCode::BadState,
               {"PUT", "/file", {{"FilePath", *p}, {"Content-Type", "application/octet-stream"}}, contents, {}}));
}

Expected<std::optional<std::string>> UploadClient::getFile(std::string_view path) const {
  auto p = filePath(path);
  if (!p) return std::unexpected(p.error());
  auto got = exchange(ErrorCode::BadState, {"GET", "/file", {{"FilePath", *p}}, {}, {}});
  if (got) return std::optional(std::move(*got));
  if (got.error().message.ends_with(": 500 Upload server error: " + *p + " does not exist")) {
    return std::optional<std::string>{};
  }
  return std::unexpected(got.error());
}

}  // namespace faasmjs::gateway::faasm
