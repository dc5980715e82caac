// Faasm's upload server (faasm src/upload/UploadEndpointHandler.cpp): where functions go (it AOT-compiles them
// with WAMR and stores them in the cluster's S3), and the door to Faasm's state and shared files over HTTP.
//
//   PUT /f/USER/FUNC   body: the wasm        200 "Function upload complete", or Faasm's reason (compile errors)
//   PUT /s/USER/KEY    body: the value       sets and pushes the whole value (Redis or the key's state main)
//   GET /s/USER/KEY                          the value; a key that does not exist is an error (Faasm's words)
//   PUT /file, GET /file, header FilePath    a shared file in S3 (faasm/PATH); GET of one that is not there (or
//                                            is empty) answers 500 "PATH does not exist"
//
// Thread-safety: as HttpClient.
#pragma once

#include <optional>

#include "faasm/http_client.h"

namespace faasmjs::gateway::faasm {

class UploadClient {
 public:
  explicit UploadClient(std::string url, HttpTimeouts timeouts = {});

  const Endpoint& endpoint() const { return http_.endpoint(); }

  Expected<void> uploadFunction(std::string_view user, std::string_view function, std::string_view wasm) const;
  Expected<void> putState(std::string_view user, std::string_view key, std::string_view value) const;
  Expected<std::string> getState(std::string_view user, std::string_view key) const;
  Expected<void> putFile(std::string_view path, std::string_view contents) const;
  // nullopt for a file that is not there (Faasm: missing or empty, the same to its functions).
  Expected<std::optional<std::string>> getFile(std::string_view path) const;

 private:
  // Any status but 200 is an error carrying Faasm's reason (the body's first line), with `code`.
  Expected<std::string> exchange(ErrorCode code, HttpRequest request) const;

  HttpClient http_;
};

}  // namespace faasmjs::gateway::faasm
