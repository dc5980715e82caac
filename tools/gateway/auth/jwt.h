// JWTs from an existing login provider, verified against its public key (--jwt-public-key FILE, PEM):
// EdDSA with an Ed25519 key, RS256 with an RSA key; the header's alg must be the key's (never "none", never
// an HMAC alg, so a public key cannot be used as a shared secret). Claims: "sub" the user (a valid_user
// name), "exp" required, "nbf" honoured, "role" invoke|upload|admin (default invoke). OpenSSL verifies the
// signature; the claims are read by a small strict JSON reader (one object, no duplicate names).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "auth/token.h"
#include "common/error.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace faasmjs::gateway::auth {

class JwtVerifier {
 public:
  static Expected<JwtVerifier> load(const std::filesystem::path& pem_file);
  static Expected<JwtVerifier> from_pem(std::string_view pem);

  // The identity a JWT proves at `now` (Unix seconds), or BadToken saying what is wrong with it.
  Expected<Identity> verify(std::string_view token, std::int64_t now) const;
  // "EdDSA" or "RS256".
  const std::string& algorithm() const { return algorithm_; }

 private:
  JwtVerifier(std::shared_ptr<EVP_PKEY> key, std::string algorithm)
      : key_(std::move(key)), algorithm_(std::move(algorithm)) {}

  std::shared_ptr<EVP_PKEY> key_;
  std::string algorithm_;
};

// A JWT has three dot-separated parts, an fjs1 token five: which one HELLO carries.
bool looks_like_jwt(std::string_view token);

}  // namespace faasmjs::gateway::auth
