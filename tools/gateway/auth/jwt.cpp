#include "auth/jwt.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <variant>

namespace faasmjs::gateway::auth {

namespace {

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != std::string_view::npos ||
      text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string padded(text);
  std::replace(padded.begin(), padded.end(), '-', '+');
  std::replace(padded.begin(), padded.end(), '_', '/');
  const std::size_t padding = (4 - padded.size() % 4) % 4;
  padded.append(padding, '=');
  std::string bytes(padded.size() / 4 * 3, '\0');
  const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                      reinterpret_cast<const unsigned char*>(padded.data()), static_cast<int>(padded.size()));
  if (decoded < 0) return std::nullopt;
  bytes.resize(static_cast<std::size_t>(decoded) - padding);
  return bytes;
}

// One JSON object's members whose values are strings or numbers; other values (arrays, objects, true,
// false, null) are checked and skipped. Strict: one object, nothing after it, no duplicate names.
using Claim = std::variant<std::string, double>;

class JsonObject {
 public:
  static std::optional<std::map<std::string, std::optional<Claim>>> parse(std::string_view text) {
    JsonObject reader(text);
    std::map<std::string, std::optional<Claim>> members;
    reader.space();
    if (!reader.take('{')) return std::nullopt;
    reader.space();
    if (!reader.take('}')) {
      do {
        reader.space();
        auto name = reader.string();
        reader.space();
        if (!name || !reader.take(':')) return std::nullopt;
        reader.space();
        std::optional<Claim> value;
        if (!reader.value(value, 0) || members.contains(*name)) return std::nullopt;
        members.emplace(std::move(*name), std::move(value));
        reader.space();
      } while (reader.take(','));
      if (!reader.take('}')) return std::nullopt;
    }
    reader.space();
    if (reader.at_ != text.size()) return std::nullopt;
    return members;
  }

 private:
  static constexpr int kMaxDepth = 16;

  explicit JsonObject(std::string_view text) : text_(text) {}

  bool take(char c) {
    if (at_ < text_.size() && text_[at_] == c) return ++at_, true;
    return false;
  }
  void space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) ++at_;
  }
  bool word(std::string_view w) {
    if (text_.substr(at_, w.size()) != w) return false;
    at_ += w.size();
    return true;
  }

  // A string; \u escapes other than ASCII are refused (no claim that matters here needs them).
  std::optional<std::string> string() {
    if (!take('"')) return std::nullopt;
    std::string out;
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= text_.size()) return std::nullopt;
      const char escape = text_[at_++];
      static constexpr std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
      if (const auto simple = kFrom.find(escape); simple != std::string_view::npos) {
        out += kTo[simple];
      } else if (escape == 'u' && at_ + 4 <= text_.size()) {
        unsigned code = 0;
        const auto [end, problem] = std::from_chars(text_.data() + at_, text_.data() + at_ + 4, code, 16);
        if (problem != std::errc() || end != text_.data() + at_ + 4 || code == 0 || code > 0x7f) return std::nullopt;
        out += static_cast<char>(code);
        at_ += 4;
      } else {
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  std::optional<double> number() {
    const std::size_t start = at_;
    take('-');
    while (at_ < text_.size() && std::string_view("0123456789.eE+-").find(text_[at_]) != std::string_view::npos) ++at_;
    double value = 0;
    const auto [end, problem] = std::from_chars(text_.data() + start, text_.data() + at_, value);
    if (problem != std::errc() || end != text_.data() + at_ || !std::isfinite(value)) return std::nullopt;
    return value;
  }

  bool value(std::optional<Claim>& out, int depth) {
    if (depth > kMaxDepth || at_ >= text_.size()) return false;
    const char c = text_[at_];
    if (c == '"') {
      auto text = string();
      if (text) out = std::move(*text);
      return text.has_value();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      auto n = number();
      if (n) out = *n;
      return n.has_value();
    }
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++at_;
      space();
      if (take(close)) return true;
      do {
        space();
        if (c == '{') {
          if (!string()) return false;
          space();
          if (!take(':')) return false;
          space();
        }
        std::optional<Claim> ignored;
        if (!value(ignored, depth + 1)) return false;
        space();
      } while (take(','));
      return take(close);
    }
    return word("true") || word("false") || word("null");
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

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
  std::shared_ptr<EVP_PKEY> key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr, EVP_PKEY_free);
  if (!key) return fail(ErrorCode::Internal, "not a PEM public key (-----BEGIN PUBLIC KEY-----)");
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_ED25519: return JwtVerifier(std::move(key), "EdDSA");
    case EVP_PKEY_RSA:
      if (EVP_PKEY_get_bits(key.get()) < 2048) return fail(ErrorCode::Internal, "an RSA key for RS256 needs at least 2048 bits");
      return JwtVerifier(std::move(key), "RS256");
    default: return fail(ErrorCode::Internal, "the key is neither Ed25519 (EdDSA) nor RSA (RS256)");
  }
}

Expected<Identity> JwtVerifier::verify(std::string_view token, std::int64_t now) const {
  const std::size_t first = token.find('.');
  const std::size_t second = token.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return refuse("is not three base64url parts");
  }
  auto header = base64url_decode(token.substr(0, first));
  auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(token.substr(second + 1));
  if (!header || !payload || !signature) return refuse("is not three base64url parts");
  auto head = JsonObject::parse(*header);
  if (!head) return refuse("header is not a JSON object");
  auto alg = head->find("alg");
  if (alg == head->end() || !alg->second || *alg->second != Claim(algorithm_)) {
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
  auto claims = JsonObject::parse(*payload);
  if (!claims) return refuse("payload is not a JSON object");
  auto text = [&](const char* name) -> const std::string* {
    auto found = claims->find(name);
    return found != claims->end() && found->second ? std::get_if<std::string>(&*found->second) : nullptr;
  };
  auto seconds = [&](const char* name) -> std::optional<double> {
    auto found = claims->find(name);
    if (found == claims->end() || !found->second) return std::nullopt;
    const double* value = std::get_if<double>(&*found->second);
    return value ? std::optional(*value) : std::nullopt;
  };
  const std::string* subject = text("sub");
  if (subject == nullptr || !valid_user(*subject)) return refuse("needs a \"sub\" that is a user name (1-64 of A-Z, a-z, 0-9 and -)");
  const auto expires = seconds("exp");
  if (!expires) return refuse("needs a numeric \"exp\"");
  if (*expires <= static_cast<double>(now)) return refuse("expired");
  if (auto not_before = seconds("nbf"); not_before && *not_before > static_cast<double>(now)) return refuse("is not valid yet (nbf)");
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
