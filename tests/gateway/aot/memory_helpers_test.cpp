// The rewrite of wasm2c's memory access helpers (tools/gateway/aot/memory_helpers.cpp): in place, in the
// template only, a loud failure on output it does not know, and, compiled as the AOT compiler compiles,
// stores that leave the memory's base in a register and accesses of different types that keep their order.
// That the rewritten helpers still make out-of-bounds loads (used or not) and stores trap is
// tests/gateway/worker's (traps) and tests/gateway/cluster's (isolation).
#include "aot/memory_helpers.h"

#include <doctest/doctest.h>

#include "aot_fixture.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

namespace {

void write_text(const fs::path& path, std::string_view text) { std::ofstream(path, std::ios::binary) << text; }

const std::string kBarrierLine = "    wasm_asm(\"\" ::\"r\"(result));   \\\n";
const std::string kLoadLine = "    wasm_rt_memcpy(&result, &mem->data[addr], sizeof(t1));   \\\n";
const std::string kStoreLine = "    wasm_rt_memcpy(&mem->data[addr], &wrapped, sizeof(t1));   \\\n";

// Functions over an imported memory: one stores a double over the memory's own base pointer (a test can place
// the memory's descriptor inside its bytes; a real instance never does), then loads from address 0; one stores
// wasm's types, each over part of the one before, and loads the eight bytes back; one loads, stores over part
// of what it loaded and loads again.
const std::string kModule = R"((module
  (import "env" "memory" (memory 1))
  (func (export "store_then_load") (param $at i32) (result i32)
    (f64.store (local.get $at) (f64.const 0))
    (i32.load (i32.const 0)))
  (func (export "mixed") (param $at i32) (result i64)
    (i64.store (local.get $at) (i64.const -1))
    (f64.store (local.get $at) (f64.const 1.5))
    (i32.store16 offset=1 (local.get $at) (i32.const 0xbeef))
    (f32.store offset=3 (local.get $at) (f32.const 1))
    (i32.store8 offset=7 (local.get $at) (i32.const 0x41))
    (i64.load (local.get $at)))
  (func (export "reload") (param $at i32) (result i64) (local $before i64)
    (local.set $before (i64.load (local.get $at)))
    (i32.store (local.get $at) (i32.const 7))
    (i64.sub (i64.load (local.get $at)) (local.get $before))))
)";

const std::string kDriver = R"(#include <stdio.h>
#include "m.h"
static _Alignas(16) uint8_t bytes[65536];
static wasm_rt_memory_t* memory;
/* What m.c links against from the runtime, never called: the driver does not instantiate. */
bool wasm_rt_is_initialized(void) { return true; }
uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) { return 0; }
wasm_rt_memory_t* Z_envZ_memory(struct Z_env_instance_t* env) { return memory; }
int main(void) {
  memory = (wasm_rt_memory_t*)(bytes + 1024);
  memory->data = bytes;
  memory->pages = memory->max_pages = 1;
  memory->size = sizeof bytes;
  bytes[0] = 42;
  Z_m_instance_t instance = {memory};
  const unsigned base = Z_mZ_store_then_load(&instance, 1024);
  memory->data = bytes;
  const unsigned long long mixed = Z_mZ_mixed(&instance, 2048);
  const long long reload = (long long)Z_mZ_reload(&instance, 2048);
  printf("%u %016llx %lld\n", base, mixed, reload);
  return 0;
}
)";

}  // namespace

TEST_SUITE("aot.helpers") {
  TEST_CASE("the barrier, the load and the store are rewritten in place in wasm2c's template, nowhere after it") {
    AotFixture fixture;
    const fs::path c_file = fixture.root / "fn.c";
    const std::string after =
        "DEFINE_LOAD(i32_load, u32, u32, u32)\n/* " + kBarrierLine + kLoadLine + kStoreLine + " */\n";
    const std::string load = "#define DEFINE_LOAD(...)\n";
    const std::string store = "#define DEFINE_STORE(...)\n";
    write_text(c_file, load + kLoadLine + kBarrierLine + store + kStoreLine + load + kBarrierLine + after);
    REQUIRE(aot::rewrite_memory_helpers(c_file).has_value());
    const std::string barrier = "    FAASMJS_FORCE_READ(result);   \\\n";
    CHECK(read_text(c_file) == load + "    FAASMJS_LOAD(t1, result, &mem->data[addr]);              \\\n" + barrier +
                                   store + "    FAASMJS_STORE(t1, &mem->data[addr], wrapped);             \\\n" + load +
                                   barrier + after);
  }

  TEST_CASE("output without wasm2c 1.0.32's helpers, or with only some of them, is an internal error naming wasm2c") {
    AotFixture fixture;
    const fs::path c_file = fixture.root / "fn.c";
    const std::string use = "DEFINE_LOAD(i32_load, u32, u32, u32)\n";
    const std::string texts[] = {"int f(void) { return 0; }\n", use, kBarrierLine + kLoadLine + use,
                                 kLoadLine + kStoreLine + use, kBarrierLine + kStoreLine + use};
    for (const std::string& text : texts) {
      CAPTURE(text);
      write_text(c_file, text);
      const auto result = aot::rewrite_memory_helpers(c_file);
      REQUIRE_FALSE(result.has_value());
      CHECK(result.error().code == ErrorCode::Internal);
      CHECK(result.error().message.find("another wasm2c?") != std::string::npos);
      CHECK(read_text(c_file) == text);
    }
  }

  TEST_CASE("compiled as the AOT compiler does, stores leave the base in a register and accesses keep their order") {
    // wasm2c's memcpy store may overwrite the base pointer for the C compiler: it reads the base again after
    // the store, finds 0 there and faults. The union store may not: the load reads bytes[0] through the base it
    // had. Then the mixed stores' bytes, 00 ef be 00 00 80 3f 41, read as one i64; and the second load less
    // the first, 7 - 0xbeef00, which is 0 if the compiler may take the store and the loads to be apart.
    AotFixture fixture;
    const fs::path& dir = fixture.root;
    const Bytes wasm = fixture.wat(kModule);
    std::ofstream(dir / "m.wasm", std::ios::binary)
        .write(reinterpret_cast<const char*>(wasm.data()), static_cast<std::streamsize>(wasm.size()));
    const std::string in = "cd " + dir.string() + " && ";
    REQUIRE(std::system((in + "wasm2c -n m m.wasm -o m.c").c_str()) == 0);
    REQUIRE(aot::rewrite_memory_helpers(dir / "m.c").has_value());
    write_text(dir / aot::kMemoryHelpersHeaderName, aot::kMemoryHelpersHeader);
    write_text(dir / "driver.c", kDriver);
    const aot::CompilerOptions defaults;
    std::string cc = defaults.c_compiler + " " + defaults.optimisation;
    for (const std::string_view flag : aot::kMemoryHelpersFlags) cc += " " + std::string(flag);
    cc += " -w -I . -include " + std::string(aot::kMemoryHelpersHeaderName) + " -c m.c && " + defaults.c_compiler +
          " -w -I . driver.c m.o -o driver";
    REQUIRE(std::system((in + cc).c_str()) == 0);
    REQUIRE(std::system((in + "./driver > out 2>&1").c_str()) == 0);
    CHECK(read_text(dir / "out") == "42 413f800000beef00 -12513017\n");
  }
}
