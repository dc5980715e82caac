#include "auth/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>
#include <chrono>
#include <fstream>
#include <iterator>
#include <vector>

namespace faasmjs::gateway::auth {

namespace {

constexpr std::string_view kPrefix = "fjs1";
constexpr std::size_t kMinKeyBytes = 32;

std::string base64url(const unsigned char* bytes, std::size_t size) {
  std::string text(4 * ((size + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytes, static_cast<int>(size));
  text.resize(static_cast<std::size_t>(written));
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t at = 0;;) {
    const std::size_t end = text.find(separator, at);
    parts.push_back(text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at));
    if (end == std::string_view::npos) return parts;
    at = end + 1;
  }
}

}  // namespace

std::optional<Role> parse_role(std::string_view name) {
  if (name == "invoke") return Role::Invoke;
  if (name == "upload") return Role::Upload;
  if (name == "admin") return Role::Admin;
  return std::nullopt;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::Invoke:
      return "invoke";
    case Role::Upload:
      return "upload";
    case Role::Admin:
      return "admin";
  }
  return "invoke";
}

bool valid_user(std::string_view user) {
  if (user.empty() || user.size() > 64) return false;
  for (char c : user) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Expected<TokenKey> TokenKey::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(ErrorCode::Internal, "cannot read the token key file " + file.string());
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (bytes.ends_with('\n')) bytes.pop_back();
  if (bytes.ends_with('\r')) bytes.pop_back();
  auto key = from_bytes(std::move(bytes));
  if (!key) return fail(key.error().code, file.string() + ": " + key.error().message);
  return key;
}

Expected<TokenKey> TokenKey::from_bytes(std::string bytes) {
  if (bytes.size() < kMinKeyBytes) {
    return fail(ErrorCode::Internal, "a token key needs at least " + std::to_string(kMinKeyBytes) +
                                         " bytes, this one has " + std::to_string(bytes.size()) +
                                         " (make one with: openssl rand -hex 32)");
  }
  return TokenKey(std::move(bytes));
}

std::string TokenKey::signature(std::string_view payload) const {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), reinterpret_cast<const unsigned char*>(payload.data()),
       payload.size(), mac, &size);
  return base64url(mac, size);
}

std::string TokenKey::mint(const Identity& identity) const {
  const std::string payload = std::string(kPrefix) + "." + identity.user + "." + std::string(role_name(identity.role)) +
                              "." + std::to_string(identity.expires);
  return payload + "." + signature(payload);
}

Expected<Identity> TokenKey::verify(std::string_view token, std::int64_t now) const {
  const auto parts = split(token, '.');
  if (parts.size() != 5 || parts[0] != kPrefix) {
    return fail(ErrorCode::BadToken, "not a faasm.js token (fjs1.USER.ROLE.EXPIRY.SIGNATURE)");
  }
  const std::string_view payload = token.substr(0, token.rfind('.'));
  const std::string expected = signature(payload);
  // Constant time, so that the time a refusal takes says nothing about how much of a forgery was right.
  if (parts[4].size() != expected.size() || CRYPTO_memcmp(parts[4].data(), expected.data(), expected.size()) != 0) {
    return fail(ErrorCode::BadToken, "the token's signature does not match this gateway's key");
  }
  Identity identity;
  identity.user = std::string(parts[1]);
  auto role = parse_role(parts[2]);
  const auto [end, problem] = std::from_chars(parts[3].data(), parts[3].data() + parts[3].size(), identity.expires);
  if (!valid_user(identity.user) || !role || problem != std::errc() || end != parts[3].data() + parts[3].size()) {
    return fail(ErrorCode::BadToken, "the token is signed but its user, role or expiry is ill-formed");
  }
  identity.role = *role;
  if (identity.expires <= now) {
    return fail(ErrorCode::BadToken, "the token expired " + std::to_string(now - identity.expires) + " s ago");
  }
  return identity;
}

}  // namespace faasmjs::gateway::auth
