// Who a client is: signed tokens the gateway verifies with a shared key and no database (docs/protocol.md,
// "Tokens"). A token names a user, a role and an expiry, signed with HMAC-SHA256 (OpenSSL):
//
//   fjs1.USER.ROLE.EXPIRY.SIGNATURE   SIGNATURE = base64url, unpadded, of HMAC-SHA256(key, "fjs1.USER.ROLE.EXPIRY")
//
// USER is a user name (valid_user: no '.', so the fields split unambiguously), ROLE invoke|upload|admin,
// EXPIRY Unix seconds. `faasmjs-gateway token` mints them, and so can an application's backend that holds
// the key (sdk/js/auth/mint-token.js).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace faasmjs::gateway::auth {

// invoke: calls and state; upload: also UPLOAD; admin: also replaces functions other users own.
enum class Role { Invoke, Upload, Admin };

std::optional<Role> parse_role(std::string_view name);
std::string_view role_name(Role role);
inline bool may_upload(Role role) { return role != Role::Invoke; }

// 1–64 characters of [A-Za-z0-9-]. No '_': the state namespace is `<user>_<key>`, so a user name with '_'
// could reach another user's keys (alice and alice_x: "alice_x_k" is both).
bool valid_user(std::string_view user);

struct Identity {
  std::string user;
  Role role = Role::Invoke;
  std::int64_t expires = 0;  // Unix seconds
};

class TokenKey {
 public:
  // The key is the file's bytes, less one trailing newline; at least 32 of them (`openssl rand -hex 32`).
  static Expected<TokenKey> load(const std::filesystem::path& file);
  static Expected<TokenKey> from_bytes(std::string bytes);

  std::string mint(const Identity& identity) const;
  // The identity a token proves at `now` (Unix seconds), or BadToken saying what is wrong with it.
  Expected<Identity> verify(std::string_view token, std::int64_t now) const;

 private:
  explicit TokenKey(std::string bytes) : key_(std::move(bytes)) {}
  std::string signature(std::string_view payload) const;

  std::string key_;
};

std::int64_t unix_now();

}  // namespace faasmjs::gateway::auth
