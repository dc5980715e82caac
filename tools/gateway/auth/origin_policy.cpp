#include "auth/origin_policy.h"

#include <arpa/inet.h>

#include <algorithm>

namespace faasmjs::gateway::auth {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The name part of "name", "name:port", "[v6]" or "[v6]:port".
std::string_view host_name(std::string_view host) {
  if (host.starts_with('[')) return host.substr(0, host.find(']') + 1);
  return host.substr(0, host.find(':'));
}

bool printable_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return c > ' ' && c < 0x7f; });
}

bool address_literal(std::string_view name) {
  unsigned char address[16];
  if (name.starts_with('[') && name.ends_with(']')) {
    const std::string inner(name.substr(1, name.size() - 2));
    return inet_pton(AF_INET6, inner.c_str(), address) == 1;
  }
  return inet_pton(AF_INET, std::string(name).c_str(), address) == 1;
}

}  // namespace

std::optional<std::string> normal_origin(std::string_view origin) {
  std::string text = lower(origin);
  while (text.ends_with('/')) text.pop_back();
  const bool scheme = text.starts_with("http://") || text.starts_with("https://");
  const std::string_view rest = std::string_view(text).substr(text.find("//") + 2);
  if (!scheme || !printable_token(rest) || rest.find('/') != std::string_view::npos) return std::nullopt;
  return text;
}

std::optional<std::string> normal_host(std::string_view host) {
  if (!printable_token(host) || host.find('/') != std::string_view::npos) return std::nullopt;
  return lower(host);
}

std::set<std::string> own_origins(std::string_view listen_host, int port, bool tls) {
  std::set<std::string> own;
  const std::string scheme = tls ? "https://" : "http://";
  const std::string suffix = ":" + std::to_string(port);
  for (std::string_view host :
       {std::string_view("localhost"), std::string_view("127.0.0.1"), std::string_view("[::1]")}) {
    own.insert(scheme + std::string(host) + suffix);
  }
  if (listen_host != "0.0.0.0" && !listen_host.empty()) own.insert(scheme + lower(listen_host) + suffix);
  return own;
}

std::optional<std::string> refuse_host(const OriginPolicy& policy, std::string_view host) {
  if (host.empty()) return std::nullopt;
  const std::string text = lower(host);
  const std::string name(host_name(text));
  if (address_literal(name) || name == "localhost" || policy.hosts.contains(text) || policy.hosts.contains(name)) {
    return std::nullopt;
  }
  return "Host '" + std::string(host.substr(0, 100)) + "' is not a name of this gateway (add it with --allow-host)";
}

std::optional<std::string> refuse_origin(const OriginPolicy& policy, std::string_view origin, std::string_view host) {
  if (origin.empty()) return std::nullopt;
  const std::string text = lower(origin);
  const std::string own = (policy.tls ? "https://" : "http://") + lower(host);
  if ((!host.empty() && text == own) || policy.own.contains(text) || policy.origins.contains(text)) return std::nullopt;
  return "Origin '" + std::string(origin.substr(0, 100)) + "' may not use this gateway (allow it with --allow-origin)";
}

}  // namespace faasmjs::gateway::auth
