// Which browsers' pages may use the gateway (docs/gateway.md, "Origins and hosts"). Two checks on every
// HTTP request and WebSocket handshake, before anything else:
//   - Host must be one of the gateway's own names, against DNS rebinding (a page of evil.example whose name
//     now resolves to 127.0.0.1 sends Host: evil.example:8080). Own names: any IP address literal and
//     `localhost` (a rebinding page cannot have those as its origin), and every --allow-host.
//   - Origin, when there is one (browsers send it on every WebSocket handshake), must be one of the gateway's
//     own origins (scheme://ADDRESS:PORT of its listen address, and localhost, 127.0.0.1 and [::1] with its
//     port), the origin the request's (checked) Host names, or one of --allow-origin. No Origin: not a
//     browser, and a token is still needed.
// Pure string logic, so that it is tested on its own.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace faasmjs::gateway::auth {

struct OriginPolicy {
  std::set<std::string> own;      // own_origins()
  std::set<std::string> origins;  // --allow-origin: "https://app.example" (lower case, no trailing '/')
  std::set<std::string> hosts;    // --allow-host: "app.example" (any port) or "app.example:8443"
  bool tls = false;               // the gateway's own scheme: https, else http
};

// Normalises an --allow-origin or --allow-host value, or nullopt when it is not one.
std::optional<std::string> normal_origin(std::string_view origin);
std::optional<std::string> normal_host(std::string_view host);

// scheme://HOST:PORT for the listen address and its loopback equivalents.
std::set<std::string> own_origins(std::string_view listen_host, int port, bool tls);

// nullopt when allowed, else one line saying why not. An empty header is a missing one.
std::optional<std::string> refuse_host(const OriginPolicy& policy, std::string_view host);
std::optional<std::string> refuse_origin(const OriginPolicy& policy, std::string_view origin, std::string_view host);

}  // namespace faasmjs::gateway::auth
