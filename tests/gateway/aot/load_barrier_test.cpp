// The rewrite of wasm2c's load barrier (tools/gateway/aot/load_barrier.cpp): in place, in the template only,
// and a loud failure on output it does not know. That the rewritten barrier still makes unused loads trap is
// tests/gateway/worker's (traps) and tests/gateway/cluster's (isolation).
#include <doctest/doctest.h>

#include "aot/load_barrier.h"
#include "aot_fixture.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

namespace {

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

TEST_SUITE("aot.barrier") {
  TEST_CASE("the barrier is rewritten in place in wasm2c's template, and nowhere after it") {
    AotFixture fixture;
    const fs::path c_file = fixture.root / "fn.c";
    const std::string helper = "    wasm_asm(\"\" ::\"r\"(result));   \\\n";
    const std::string after = "DEFINE_LOAD(i32_load, u32, u32, u32)\n/* wasm_asm(\"\" ::\"r\"(result)); */\n";
    write_text(c_file, "#define DEFINE_LOAD(...)\n" + helper + "#define DEFINE_LOAD(...)\n" + helper + after);
    REQUIRE(aot::retarget_load_barriers(c_file).has_value());
    const std::string rewritten = "    FAASMJS_FORCE_READ(result);   \\\n";
    CHECK(read_text(c_file) ==
          "#define DEFINE_LOAD(...)\n" + rewritten + "#define DEFINE_LOAD(...)\n" + rewritten + after);
  }

  TEST_CASE("output without wasm2c 1.0.32's load helpers is an internal error naming wasm2c") {
    AotFixture fixture;
    const fs::path c_file = fixture.root / "fn.c";
    for (const std::string text : {"int f(void) { return 0; }\n", "DEFINE_LOAD(i32_load, u32, u32, u32)\n"}) {
      CAPTURE(text);
      write_text(c_file, text);
      const auto result = aot::retarget_load_barriers(c_file);
      REQUIRE_FALSE(result.has_value());
      CHECK(result.error().code == ErrorCode::Internal);
      CHECK(result.error().message.find("another wasm2c?") != std::string::npos);
      CHECK(read_text(c_file) == text);
    }
  }
}
