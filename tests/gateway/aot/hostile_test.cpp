// Uploads written to break the compiler or get past it: a name that wasm2c would write into C as code, a
// name section, nesting that overflows wabt's and wasm2c's stacks, counts past the limits. Each is refused
// in one line (or made harmless), and the compiler goes on compiling.
#include <doctest/doctest.h>

#include "../support/faasm_module_wat.hpp"
#include "aot/module_abi.h"
#include "aot_fixture.hpp"
#include "sha256.h"

using faasmjs::sha256_hex;
using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

namespace {

// C that writes `marker` when the shared object is loaded, once however often it is included; closed and
// reopened as a comment around it, as wasm2c 1.0.32 writes `/* export: '<name>' */`.
std::string injection(const fs::path& marker) {
  return "x*/\n#ifndef PWN\n#define PWN\nextern int creat(const char*, unsigned);\n"
         "__attribute__((constructor)) static void pwn(void) { creat(\"" +
         marker.string() + "\", 0644); }\n#endif\n/*";
}

// A wat string literal of `text`: newlines and quotes as \hh escapes.
std::string wat_string(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n' || c == '"' || c == '\\') {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "\\%02x", static_cast<unsigned char>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

TEST_SUITE("aot.hostile") {
  TEST_CASE("an export or import name that would be C code is refused before wasm2c: nothing of it is built") {
    AotFixture fixture;
    const fs::path marker = fixture.root / "marker";
    const std::string code = wat_string(injection(marker));
    const std::string exported =
        fixture.refused(fixture.wat("(module " + kFaasmExports + R"( (func (export ")" + code + "\")))"));
    CHECK(exported.starts_with("export 3 \"x*/\\x0a#ifndef PWN\\x0a#define PWN\\x0aextern int c\"... is not a name"));
    CHECK(exported.ends_with("names are 1-255 characters of A-Z, a-z, 0-9, _, ., -, $"));
    const std::string imported =
        fixture.refused(fixture.wat(R"((module (import "env" ")" + code + "\" (func)) " + kFaasmExports + ")"));
    CHECK(imported.starts_with("import 0 \"env\".\"x*/\\x0a#ifndef"));
    CHECK(fixture.refused(fixture.wat("(module " + kFaasmExports + R"( (func (export "has space"))))"))
              .starts_with("export 3 \"has space\" is not a name"));
    CHECK(
        fixture.refused(fixture.wat("(module " + kFaasmExports + "(func (export \"" + std::string(256, 'a') + "\")))"))
            .starts_with("export 3 \"aaaa"));
    CHECK_FALSE(fs::exists(marker));
    CHECK(fixture.cache_files().empty());  // no module, no build folder, no generated C
  }

  TEST_CASE("a module an older gateway cached is checked again: one that the checks now refuse never runs") {
    AotFixture fixture;
    const fs::path marker = fixture.root / "marker";
    const Bytes hostile =
        fixture.wat("(module " + kFaasmExports + R"( (func (export ")" + wat_string(injection(marker)) + "\")))");
    auto benign = fixture.compiler().compile(fixture.wat("(module " + kFaasmExports + ")"));
    REQUIRE(benign.has_value());
    // The key of the gateways before the checks had a version: module bytes and ABI only, as a gateway whose
    // checks let that name through would have left its module.
    const fs::path stale =
        fixture.options.cache_dir / (sha256_hex(hostile) + "-abi" + std::to_string(FAASMJS_MODULE_ABI_VERSION) + ".so");
    fs::copy_file(benign->shared_object, stale);
    CHECK(fixture.refused(hostile).starts_with("export 3 \"x*/"));
    CHECK_FALSE(fs::exists(marker));
  }

  TEST_CASE("names in the safe set compile, and an upload's name section never reaches wasm2c as names") {
    AotFixture fixture;
    FaasmModule module;
    module.extra_functions = 2;
    // A name section naming function 1 "evil_debug_name", which wasm2c would make a C symbol of the module,
    // and function 2 with what would end a C comment or string. wasm2c sees index names only; the names
    // themselves are the glue's escaped data, for backtraces (aot/function_names.h).
    Bytes names;
    name(names, "name");
    Bytes function_names = {0x02, 0x01};
    name(function_names, "evil_debug_name");
    function_names.push_back(0x02);
    name(function_names, "x*/\"\\\n#include");
    names.push_back(0x01);
    leb(names, function_names.size());
    names.insert(names.end(), function_names.begin(), function_names.end());
    module.custom = names;
    auto compiled = fixture.compiler().compile(module.bytes());
    REQUIRE(compiled.has_value());
    const Bytes so = read_bytes(compiled->shared_object);
    const std::string text(so.begin(), so.end());
    CHECK(text.find("w2c_evil_debug_name") == std::string::npos);
    CHECK(text.find("w2c_f1") != std::string::npos);
    CHECK(text.find(std::string("evil_debug_name\0", 16)) != std::string::npos);
    CHECK(text.find(std::string("x*/\"\\\n#include\0", 15)) != std::string::npos);

    auto punctuated =
        fixture.compiler().compile(fixture.wat("(module " + kFaasmExports + R"( (func (export "a.b-c$d_E9"))))"));
    CHECK(punctuated.has_value());
  }

  TEST_CASE("nesting past the limit is refused in one line, and the compiler keeps compiling") {
    AotFixture fixture;
    for (const std::size_t depth : {300'000u, 20'000u, 5'001u}) {
      FaasmModule module;
      module.start_body = nested_blocks(depth);
      CHECK(fixture.refused(module.bytes()) == "function 1 nests blocks deeper than the nesting limit of 5000");
    }
    FaasmModule deep;
    deep.start_body = nested_blocks(5'000);
    CHECK(fixture.compiler().compile(deep.bytes()).has_value());
    CHECK(fixture.cache_files().size() == 1);
  }

  TEST_CASE("a checker that crashes on the upload costs a clear error, not the gateway") {
    AotFixture fixture;
    // Without the nesting bound, wabt's tree of 300,000 nested blocks overflows the checker's stack.
    fixture.options.max_nesting = 1'000'000;
    FaasmModule module;
    module.start_body = nested_blocks(300'000);
    CHECK(fixture.refused(module.bytes()) ==
          "the module could not be checked: the checker crashed (signal 11 (Segmentation fault))");
    CHECK(fixture.cache_files().empty());
    FaasmModule fine;
    CHECK(fixture.compiler().compile(fine.bytes()).has_value());
  }

  TEST_CASE("counts and sizes past their limits are refused naming the limit") {
    AotFixture fixture;
    FaasmModule many;
    many.extra_functions = aot::kModuleLimits.max_functions - 1;
    CHECK(fixture.refused(many.bytes()) == "defines 100001 functions, past the limit of 100000");
    Bytes huge = FaasmModule{}.bytes();
    huge.resize(aot::kModuleLimits.max_bytes + 1);
    CHECK(fixture.refused(huge) == "is 67108865 bytes, past the module size limit of 64 MiB");
    CHECK(fixture.refused(fixture.wat("(module " + kFaasmExports + " (func (local " + [] {
      std::string locals;
      for (int i = 0; i < 50'001; ++i) locals += "i32 ";
      return locals;
    }() + ")))")) == "declares more than 50000 locals in function 2, past the limit");
  }
}
