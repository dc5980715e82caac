#include "faasm/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>

namespace faasmjs::gateway::faasm {

namespace {

// A status answer lists every result of an app; a fork-join of thousands of calls stays far below this.
constexpr std::size_t kMaxResponseBytes = 256u << 20;

struct Received {
  std::string body;
  bool tooLarge = false;
};

std::size_t append(char* data, std::size_t size, std::size_t count, void* user) {
  auto* received = static_cast<Received*>(user);
  std::size_t bytes = size * count;
  if (received->body.size() + bytes > kMaxResponseBytes) {
    received->tooLarge = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  received->body.append(data, bytes);
  return bytes;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct HeaderListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// What went wrong, in the words of someone describing the endpoint: it refused, it did not answer, ...
std::string whatHappened(CURL* curl, CURLcode code, const HttpTimeouts& timeouts, const Received& received) {
  switch (code) {
    case CURLE_COULDNT_CONNECT: {
      long osErrno = 0;
      curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &osErrno);
      if (osErrno == ECONNREFUSED) return "refused the connection";
      if (osErrno == 0) return "could not be reached";
      return std::string("could not be reached (") + std::strerror(static_cast<int>(osErrno)) + ")";
    }
    case CURLE_OPERATION_TIMEDOUT: {
      double connected = 0;
      curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME, &connected);
      if (connected <= 0)
        return "did not accept the connection within " +
               std::to_string(std::min(timeouts.connect, timeouts.total).count()) + " ms";
      return "did not answer within " + std::to_string(timeouts.total.count()) + " ms";
    }
    case CURLE_GOT_NOTHING:
      return "closed the connection without answering";
    case CURLE_COULDNT_RESOLVE_HOST:
      return "has a host name that does not resolve";
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "is not an http:// URL this client can use";
    case CURLE_WRITE_ERROR:
      if (received.tooLarge) return "answered with more than " + std::to_string(kMaxResponseBytes >> 20) + " MiB";
      break;
    default:
      break;
  }
  return std::string("failed: ") + curl_easy_strerror(code);
}

}  // namespace

HttpClient::HttpClient(Endpoint endpoint, HttpTimeouts timeouts) : endpoint_(std::move(endpoint)), timeouts_(timeouts) {
  // curl_global_init is not thread-safe and must run before any other curl call.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Expected<HttpResponse> HttpClient::send(const HttpRequest& request) const {
  std::string where = endpoint_.describe();
  std::string exchange = " (" + (request.what.empty() ? request.method + " " + request.path : request.what) + ")";
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return fail(ErrorCode::Internal, "cannot talk to " + where + ": curl_easy_init failed" + exchange);

  std::string url = endpoint_.url + request.path;
  Received received;
  curl_slist* rawHeaders = nullptr;
  // curl waits up to a second for "100 Continue" before sending a large body; Faasm's servers never send one.
  rawHeaders = curl_slist_append(rawHeaders, "Expect:");
  for (const auto& [name, value] : request.headers)
    rawHeaders = curl_slist_append(rawHeaders, (name + ": " + value).c_str());
  std::unique_ptr<curl_slist, HeaderListDeleter> headers(rawHeaders);

  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: the gateway is multi-threaded
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeouts_.connect.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeouts_.total.count()));
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &received);
  if (request.method == "GET") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.empty() ? "" : request.body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }

  CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK)
    return fail(ErrorCode::Internal, where + " " + whatHappened(handle, code, timeouts_, received) + exchange);
  HttpResponse response;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(received.body);
  return response;
}

}  // namespace faasmjs::gateway::faasm
