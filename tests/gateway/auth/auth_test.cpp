// tools/gateway/auth on its own: a token verifies only as minted, with its key, before its expiry; Host and
// Origin are judged as docs/gateway.md says; a function's owner is kept across a reopen.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "auth/function_owners.h"
#include "auth/jwt.h"
#include "auth/origin_policy.h"
#include "auth/token.h"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::auth;
namespace fs = std::filesystem;

namespace {

TokenKey key_of(char fill) { return *TokenKey::from_bytes(std::string(32, fill)); }

constexpr std::int64_t kNow = 1'800'000'000;

}  // namespace

TEST_SUITE("tokens") {
  TEST_CASE("a minted token verifies to its identity until it expires") {
    const TokenKey key = key_of('k');
    const std::string token = key.mint({"alice", Role::Upload, kNow + 60});
    CHECK(token.starts_with("fjs1.alice.upload.1800000060."));
    auto identity = key.verify(token, kNow);
    REQUIRE(identity.has_value());
    CHECK(identity->user == "alice");
    CHECK(identity->role == Role::Upload);
    auto expired = key.verify(token, kNow + 60);
    REQUIRE_FALSE(expired.has_value());
    CHECK(expired.error().code == ErrorCode::BadToken);
    CHECK(expired.error().message.find("expired") != std::string::npos);
  }

  TEST_CASE("another key, a changed field or a cut signature is refused") {
    const std::string token = key_of('k').mint({"alice", Role::Invoke, kNow + 60});
    CHECK_FALSE(key_of('j').verify(token, kNow).has_value());
    std::string admin = token;
    admin.replace(admin.find(".invoke."), 8, ".admin.");
    CHECK_FALSE(key_of('k').verify(admin, kNow).has_value());
    std::string later = token;
    later.replace(later.find("1800000060"), 10, "1900000060");
    CHECK_FALSE(key_of('k').verify(later, kNow).has_value());
    CHECK_FALSE(key_of('k').verify(token.substr(0, token.size() - 1), kNow).has_value());
    for (const char* junk : {"", "fjs1", "fjs1....", "fjs2.alice.invoke.1.x", "a.b.c.d.e.f"}) {
      CAPTURE(junk);
      CHECK_FALSE(key_of('k').verify(junk, kNow).has_value());
    }
  }

  TEST_CASE("keys shorter than 32 bytes are refused; a key file loses one trailing newline") {
    CHECK_FALSE(TokenKey::from_bytes(std::string(31, 'k')).has_value());
    const fs::path file = fs::temp_directory_path() / ("faasmjs-key-" + std::to_string(getpid()));
    std::ofstream(file) << std::string(32, 'k') << "\n";
    auto loaded = TokenKey::load(file);
    fs::remove(file);
    REQUIRE(loaded.has_value());
    CHECK(loaded->verify(key_of('k').mint({"bob", Role::Admin, kNow + 1}), kNow).has_value());
  }

  TEST_CASE("a JWT key is an Ed25519 or RSA PEM public key") {
    CHECK_FALSE(JwtVerifier::from_pem("not a key").has_value());
    CHECK_FALSE(JwtVerifier::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").has_value());
    auto ed = JwtVerifier::from_pem(
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC "
        "KEY-----\n");
    REQUIRE(ed.has_value());
    CHECK(ed->algorithm() == "EdDSA");
    CHECK_FALSE(ed->verify("a.b.c", kNow).has_value());
    CHECK(looks_like_jwt("a.b.c"));
    CHECK_FALSE(looks_like_jwt("fjs1.a.invoke.1.s"));
  }

  TEST_CASE("user names and roles") {
    for (const char* user : {"alice", "A-z-09", "x"}) CHECK(valid_user(user));
    for (const char* user : {"", "a_b", "a.b", "a b", "ü"}) CHECK_FALSE(valid_user(user));
    CHECK_FALSE(valid_user(std::string(65, 'x')));
    CHECK(parse_role("admin") == Role::Admin);
    CHECK_FALSE(parse_role("root").has_value());
    CHECK_FALSE(may_upload(Role::Invoke));
    CHECK(may_upload(Role::Upload));
  }
}

TEST_SUITE("origins") {
  TEST_CASE("Host: IP literals, localhost and --allow-host; not other names") {
    OriginPolicy policy;
    policy.hosts = {"app.example", "proxy.example:8443"};
    for (const char* host :
         {"", "127.0.0.1:8080", "10.1.2.3", "[::1]:8080", "LOCALHOST:8080", "app.example:9", "proxy.example:8443"}) {
      CAPTURE(host);
      CHECK_FALSE(refuse_host(policy, host).has_value());
    }
    for (const char* host : {"evil.example:8080", "proxy.example:8080", "127.0.0.1.evil.example", "[::1"}) {
      CAPTURE(host);
      CHECK(refuse_host(policy, host).has_value());
    }
  }

  TEST_CASE("Origin: none, the gateway's own, the Host's, --allow-origin; not others") {
    OriginPolicy policy;
    policy.own = own_origins("127.0.0.1", 8080, false);
    policy.origins = {"https://app.example"};
    CHECK_FALSE(refuse_origin(policy, "", "127.0.0.1:8080").has_value());
    CHECK_FALSE(refuse_origin(policy, "http://localhost:8080", "127.0.0.1:9999").has_value());
    CHECK_FALSE(refuse_origin(policy, "http://[::1]:8080", "").has_value());
    CHECK_FALSE(refuse_origin(policy, "http://10.0.0.5:8080", "10.0.0.5:8080").has_value());
    CHECK_FALSE(refuse_origin(policy, "HTTPS://APP.EXAMPLE", "x").has_value());
    for (const char* origin :
         {"http://evil.example", "null", "https://127.0.0.1:8080", "http://127.0.0.1:8081", "http://app.example"}) {
      CAPTURE(origin);
      CHECK(refuse_origin(policy, origin, "127.0.0.1:8080").has_value());
    }
  }

  TEST_CASE("--allow-origin and --allow-host values") {
    CHECK(normal_origin("https://App.Example/") == "https://app.example");
    CHECK_FALSE(normal_origin("app.example").has_value());
    CHECK_FALSE(normal_origin("https://app.example/path").has_value());
    CHECK(normal_host("App.Example:8443") == "app.example:8443");
    CHECK_FALSE(normal_host("a b").has_value());
  }
}

TEST_SUITE("function_owners") {
  TEST_CASE("the first uploader owns a name; others are Forbidden, admins are not; a reopen keeps it") {
    const fs::path dir = fs::temp_directory_path() / ("faasmjs-owners-" + std::to_string(getpid()));
    fs::remove_all(dir);
    {
      auto owners = FunctionOwners::open(dir);
      REQUIRE(owners.has_value());
      CHECK((*owners)->claim("f", "alice", false, false).has_value());
      CHECK((*owners)->claim("f", "alice", false, true).has_value());
      auto taken = (*owners)->claim("f", "mallory", false, true);
      REQUIRE_FALSE(taken.has_value());
      CHECK(taken.error().code == ErrorCode::Forbidden);
      CHECK((*owners)->claim("f", "root", true, true).has_value());
      CHECK_FALSE((*owners)->claim("operators", "alice", false, true).has_value());
      CHECK((*owners)->claim("operators", "root", true, true).has_value());
      CHECK((*owners)->claim("../escape", "alice", false, false).has_value());
    }
    CHECK_FALSE(fs::exists(dir.parent_path() / "escape"));
    auto reopened = FunctionOwners::open(dir);
    REQUIRE(reopened.has_value());
    CHECK_FALSE((*reopened)->claim("f", "mallory", false, true).has_value());
    CHECK((*reopened)->claim("f", "alice", false, true).has_value());
    fs::remove_all(dir);
  }
}
