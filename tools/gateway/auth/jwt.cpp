#include "auth/jwt.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace faasmjs::gateway::auth {

namespace {

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
          std::string_view::npos ||
      text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string padded(text);
  std::replace(padded.begin(), padded.end(), '-', '+');
  std::replace(padded.begin(), padded.end(), '_', '/');
  const std::size_t padding = (4 - padded.size() % 4) % 4;
  padded.append(padding, '=');
  std::string bytes(padded.size() / 4 * 3, '\0');
  const int decoded =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                      reinterpret_cast<const unsigned char*>(padded.data()), static_cast<int>(padded.size()));
  if (decoded < 0) return std::nullopt;
  bytes.resize(static_cast<std::size_t>(decoded) - padding);
  return bytes;
}

// One JSON object, parsed by nlohmann/json, and refused when any object in it names a member twice (two
// "sub"s would let two readers of one token see two users) or nests deeper than a token needs.
std::optional<nlohmann::json> json_object(std::string_view text) {
  constexpr int kMaxDepth = 16;
  bool refused = false;
  std::vector<std::set<std::string>> names;  // of each object being read
  const auto check = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (depth > kMaxDepth) refused = true;
    if (event == Event::object_start) names.emplace_back();
    if (event == Event::object_end && !names.empty()) names.pop_back();
    if (event == Event::key && !names.empty() && !names.back().insert(parsed.get<std::string>()).second) refused = true;
    return true;
  };
  nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/false);
  if (refused || parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

Expected<Identity> refuse(std::string why) { return fail(ErrorCode::BadToken, "the JWT " + why); }

}  // namespace

bool looks_like_jwt(std::string_view token) { return std::count(token.begin(), token.end(), '.') == 2; }

Expected<JwtVerifier> JwtVerifier::load(const std::filesystem::path& pem_file) {
  std::ifstream in(pem_file, std::ios::binary);
  if (!in) return fail(ErrorCode::Internal, "cannot read the JWT public key file " + pem_file.string());
  const std::string pem{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto verifier = from_pem(pem);
  if (!verifier) return fail(verifier.error().code, pem_file.string() + ": " + verifier.error().message);
  return verifier;
}

Expected<JwtVerifier> JwtVerifier::from_pem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::shared_ptr<EVP_PKEY> key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr,
                                EVP_PKEY_free);
  if (!key) return fail(ErrorCode::Internal, "not a PEM public key (-----BEGIN PUBLIC KEY-----)");
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_ED25519:
      return JwtVerifier(std::move(key), "EdDSA");
    case EVP_PKEY_RSA:
      if (EVP_PKEY_get_bits(key.get()) < 2048)
        return fail(ErrorCode::Internal, "an RSA key for RS256 needs at least 2048 bits");
      return JwtVerifier(std::move(key), "RS256");
    default:
      return fail(ErrorCode::Internal, "the key is neither Ed25519 (EdDSA) nor RSA (RS256)");
  }
}

Expected<Identity> JwtVerifier::verify(std::string_view token, std::int64_t now) const {
  const std::size_t first = token.find('.');
  const std::size_t second = token.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos ||
      token.find('.', second + 1) != std::string_view::npos) {
    return refuse("is not three base64url parts");
  }
  auto header = base64url_decode(token.substr(0, first));
  auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(token.substr(second + 1));
  if (!header || !payload || !signature) return refuse("is not three base64url parts");
  auto head = json_object(*header);
  if (!head) return refuse("header is not a JSON object");
  const auto alg = head->find("alg");
  if (alg == head->end() || !alg->is_string() || alg->get<std::string>() != algorithm_) {
    return refuse("must be signed with " + algorithm_ + ", the algorithm of --jwt-public-key");
  }
  // The signature first: nothing from an unverified payload is looked at.
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const EVP_MD* digest = algorithm_ == "RS256" ? EVP_sha256() : nullptr;
  const std::string_view signed_part = token.substr(0, second);
  const bool valid =
      context && EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key_.get()) == 1 &&
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
  if (!valid) return refuse("signature does not verify with --jwt-public-key");
  auto claims = json_object(*payload);
  if (!claims) return refuse("payload is not a JSON object");
  auto text = [&](const char* name) -> const std::string* {
    const auto found = claims->find(name);
    return found != claims->end() && found->is_string() ? found->get_ptr<const std::string*>() : nullptr;
  };
  auto seconds = [&](const char* name) -> std::optional<double> {
    const auto found = claims->find(name);
    if (found == claims->end() || !found->is_number()) return std::nullopt;
    const double value = found->get<double>();
    return std::isfinite(value) ? std::optional(value) : std::nullopt;
  };
  const std::string* subject = text("sub");
  if (subject == nullptr || !valid_user(*subject))
    return refuse("needs a \"sub\" that is a user name (1-64 of A-Z, a-z, 0-9 and -)");
  const auto expires = seconds("exp");
  if (!expires) return refuse("needs a numeric \"exp\"");
  if (*expires <= static_cast<double>(now)) return refuse("expired");
  if (auto not_before = seconds("nbf"); not_before && *not_before > static_cast<double>(now))
    return refuse("is not valid yet (nbf)");
  Identity identity{*subject, Role::Invoke, static_cast<std::int64_t>(*expires)};
  if (claims->contains("role")) {
    const std::string* role = text("role");
    auto parsed = role ? parse_role(*role) : std::nullopt;
    if (!parsed) return refuse("\"role\" is not invoke, upload or admin");
    identity.role = *parsed;
  }
  return identity;
}

}  // namespace faasmjs::gateway::auth
