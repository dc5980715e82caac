// One HTTP exchange with one of Faasm's endpoints (the planner, the upload server), over libcurl, with bounded
// waits. A transport failure comes back as one line that names the endpoint and what it did ("Faasm's planner at
// http://127.0.100.1:8080 refused the connection (EXECUTE_BATCH)"), so that whoever reads it knows which part of the
// cluster is down; any HTTP status, 500 included, is a response for the caller to interpret.
//
// Thread-safety: a client holds no connection; send() may be called from several threads at once.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace faasmjs::gateway::faasm {

struct Endpoint {
  std::string name;  // what a person calls it: "Faasm's planner"
  std::string url;   // scheme, host and port, without a trailing slash: "http://127.0.100.1:8080"

  std::string describe() const { return name + " at " + url; }
};

struct HttpTimeouts {
  std::chrono::milliseconds connect{2000};
  // The whole exchange; an upload waits for WAMR's AOT compile, seconds for a large module.
  std::chrono::milliseconds total{10000};
};

struct HttpRequest {
  std::string method;  // GET, PUT or POST
  std::string path;    // appended to the endpoint's URL, starting with '/'
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
  std::string what;  // how errors name the request ("EXECUTE_BATCH"); empty: "METHOD PATH"
};

struct HttpResponse {
  long status = 0;
  std::string body;

  // How Faasm's servers say why they refused: the body's first line (bounded, it goes into error messages).
  std::string_view reason() const {
    std::string_view text(body);
    return text.substr(0, std::min(text.find('\n'), std::size_t{300}));
  }
};

class HttpClient {
 public:
  HttpClient(Endpoint endpoint, HttpTimeouts timeouts);

  const Endpoint& endpoint() const { return endpoint_; }

  Expected<HttpResponse> send(const HttpRequest& request) const;

 private:
  Endpoint endpoint_;
  HttpTimeouts timeouts_;
};

}  // namespace faasmjs::gateway::faasm
