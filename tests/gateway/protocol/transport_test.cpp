// Pure parts of the transport: which file a URL names (never one outside its root), MIME types, and the
// interval set of forgotten request ids.
#include <doctest/doctest.h>
#include <unistd.h>

#include <fstream>

#include "transport/http_files.h"
#include "transport/id_set.h"

using namespace faasmjs::gateway::transport;
namespace fs = std::filesystem;

namespace {

struct HttpFixture {
  fs::path dir = fs::temp_directory_path() / ("faasmjs-http-test-" + std::to_string(getpid()));
  HttpRoots roots;

  HttpFixture() {
    fs::remove_all(dir);
    for (const char* file : {"web/index.html", "web/app.js", "web/sub/index.html", "web/style.css", "sdk/js/index.js",
                             "sdk/js/package.json", "functions/hello.wasm", "secret.txt"}) {
      fs::create_directories((dir / file).parent_path());
      std::ofstream(dir / file) << file;
    }
    roots.web_root = dir / "web";
    roots.sdk = dir / "sdk";
    roots.function_file = [this](std::string_view name) -> std::optional<fs::path> {
      if (name == "hello.wasm") return dir / "functions/hello.wasm";
      return std::nullopt;
    };
  }
  ~HttpFixture() { fs::remove_all(dir); }

  std::optional<fs::path> resolve(std::string_view url) {
    auto file = resolve_http_file(roots, url);
    return file ? std::optional(file->path) : std::nullopt;
  }
};

}  // namespace

TEST_SUITE("http_files") {
  TEST_CASE_FIXTURE(HttpFixture, "URLs map to files under their root") {
    CHECK(resolve("/") == dir / "web/index.html");
    CHECK(resolve("/app.js?v=3") == dir / "web/app.js");
    CHECK(resolve("/sub/") == dir / "web/sub/index.html");
    CHECK(resolve("/sub") == dir / "web/sub/index.html");
    CHECK(resolve("/sdk/js/index.js") == dir / "sdk/js/index.js");
    CHECK(resolve("/functions/hello.wasm") == dir / "functions/hello.wasm");
  }

  TEST_CASE_FIXTURE(HttpFixture, "nothing outside the roots, nothing that is not a plain name") {
    for (const char* url :
         {"/../secret.txt", "/sdk/../../secret.txt", "/sdk/js/../../../secret.txt", "/./index.html", "//index.html",
          "/sdk//js/index.js", "/sdk/js\\..\\..\\secret.txt", "", "index.html", "/functions/../secret.txt",
          "/functions/nope.wasm", "/functions/", "/functions/a/hello.wasm", "/missing.html", "/sdk/js"}) {
      CAPTURE(url);
      CHECK_FALSE(resolve(url).has_value());
    }
    CHECK_FALSE(resolve(std::string_view("/index.html\0x", 13)).has_value());
  }

  TEST_CASE_FIXTURE(HttpFixture, "a link inside a root is followed only while it stays inside") {
    fs::create_symlink(dir / "secret.txt", dir / "web/leak.txt");
    fs::create_symlink(dir, dir / "web/up");
    fs::create_symlink(dir / "web/app.js", dir / "sdk/js/app-link.js");
    fs::create_symlink(dir / "web/style.css", dir / "web/style-link.css");
    CHECK_FALSE(resolve("/leak.txt").has_value());
    CHECK_FALSE(resolve("/up/secret.txt").has_value());
    CHECK_FALSE(resolve("/sdk/js/app-link.js").has_value());  // inside the web root, but outside the SDK's
    CHECK(resolve("/style-link.css") == dir / "web/style-link.css");
  }

  TEST_CASE("MIME types") {
    CHECK(mime_type("a.wasm") == "application/wasm");
    CHECK(mime_type("a.js").starts_with("text/javascript"));
    CHECK(mime_type("a.mjs").starts_with("text/javascript"));
    CHECK(mime_type("a.json") == "application/json");
    CHECK(mime_type("a.html").starts_with("text/html"));
    CHECK(mime_type("a.css").starts_with("text/css"));
    CHECK(mime_type("a.bin") == "application/octet-stream");
  }
}

TEST_SUITE("id_set") {
  TEST_CASE("ids counted upwards stay one interval") {
    IdSet set;
    for (std::uint32_t id = 1; id <= 100000; ++id) set.insert(id);
    CHECK(set.intervals() == 1);
    CHECK(set.contains(1));
    CHECK(set.contains(100000));
    CHECK_FALSE(set.contains(0));
    CHECK_FALSE(set.contains(100001));
  }

  TEST_CASE("gaps are kept, and closed when filled") {
    IdSet set;
    for (std::uint32_t id : {5u, 7u, 9u, 1u, 0xFFFFFFFFu, 0u}) set.insert(id);
    CHECK(set.intervals() == 5);
    CHECK_FALSE(set.contains(6));
    set.insert(6);
    CHECK(set.intervals() == 4);
    set.insert(8);
    CHECK(set.intervals() == 3);  // 0-1, 5-9, max
    CHECK(set.contains(8));
    CHECK(set.contains(0xFFFFFFFFu));
    CHECK_FALSE(set.contains(0xFFFFFFFEu));
    set.insert(5);
    CHECK(set.intervals() == 3);
  }
}
