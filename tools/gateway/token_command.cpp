#include "token_command.h"

#include <getopt.h>

#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "auth/token.h"

namespace faasmjs::gateway {

namespace {

// "90", "90s", "15m", "1h", "7d" → seconds; at most ten years.
std::optional<long long> duration_seconds(std::string_view text) {
  long long value = 0;
  const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (problem != std::errc() || value <= 0) return std::nullopt;
  const std::string_view unit(end, text.data() + text.size() - end);
  long long scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  if (unit == "m") scale = 60;
  if (unit == "h") scale = 3600;
  if (unit == "d") scale = 86400;
  if (scale == 0 || value > 10ll * 366 * 86400 / scale) return std::nullopt;
  return value * scale;
}

}  // namespace

int token_command(int argc, char** argv) {
  auto bad = [](const std::string& message) {
    std::fprintf(stderr, "faasmjs-gateway token: %s (see faasmjs-gateway --help)\n", message.c_str());
    return 2;
  };
  static const option long_options[] = {
      {"user", required_argument, nullptr, 'u'},
      {"role", required_argument, nullptr, 'r'},
      {"ttl", required_argument, nullptr, 't'},
      {"key-file", required_argument, nullptr, 'k'},
      {nullptr, 0, nullptr, 0},
  };
  auth::Identity identity;
  identity.role = auth::Role::Invoke;
  long long ttl = 3600;
  std::optional<std::string> key_file;
  opterr = 0;
  optind = 1;
  int option = 0;
  while ((option = getopt_long(argc, argv, ":", long_options, nullptr)) != -1) {
    const std::string name = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    switch (option) {
      case 'u':
        identity.user = optarg;
        break;
      case 'r': {
        auto role = auth::parse_role(optarg);
        if (!role) return bad("--role is invoke, upload or admin, not '" + std::string(optarg) + "'");
        identity.role = *role;
        break;
      }
      case 't': {
        auto seconds = duration_seconds(optarg);
        if (!seconds)
          return bad("--ttl needs a duration like 90s, 15m, 1h or 7d (at most ten years), got '" + std::string(optarg) +
                     "'");
        ttl = *seconds;
        break;
      }
      case 'k':
        key_file = optarg;
        break;
      case ':':
        return bad("option " + name + " needs a value");
      default:
        return bad("unknown option " + name);
    }
  }
  if (optind < argc) return bad(std::string("unexpected argument '") + argv[optind] + "'");
  if (!auth::valid_user(identity.user))
    return bad("--user needs a user name of 1-64 characters of A-Z, a-z, 0-9 and -");
  if (!key_file) return bad("--key-file FILE is needed: the key the gateway's --token-key-file names");
  auto key = auth::TokenKey::load(*key_file);
  if (!key) return bad(key.error().message);
  identity.expires = auth::unix_now() + ttl;
  std::printf("%s\n", key->mint(identity).c_str());
  return 0;
}

}  // namespace faasmjs::gateway
