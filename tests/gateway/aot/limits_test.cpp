// A compile's limits (time, memory) end it with a message naming the limit and leave nothing behind; the
// cache stays under its cap, least recently used first, never removing a module still held; build folders
// of compiles that died with their gateway are removed by the next one.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "aot_fixture.hpp"

using namespace faasmjs::gateway;
using namespace faasmjs::gateway::testing;

namespace {

// 3,000 exported functions of loads and arithmetic: 12 MB of C, ~18 s and ~650 MB of cc -O2.
Bytes slow_module() {
  FaasmModule module;
  module.extra_functions = 3'000;
  module.export_extra = true;
  const Bytes load = {0x41, 0x00, 0x28, 0x02, 0x00};  // i32.load (i32.const 0)
  module.extra_body = load;
  for (int i = 0; i < 30; ++i) {
    module.extra_body.insert(module.extra_body.end(), {0x41, 0x03, 0x6C});  // i32.const 3, i32.mul
    module.extra_body.insert(module.extra_body.end(), load.begin(), load.end());
    module.extra_body.push_back(0x6A);  // i32.add
  }
  module.extra_body.insert(module.extra_body.end(), {0x1A, 0x0B});  // drop, end
  return module.bytes();
}

// A distinct small module per `n` (its _start returns after n nops).
Bytes small_module(int n) {
  FaasmModule module;
  module.start_body.assign(static_cast<std::size_t>(n), 0x01);
  module.start_body.push_back(0x0B);
  return module.bytes();
}

}  // namespace

TEST_SUITE("aot.limits") {
  TEST_CASE("a compiled module is the gateway's: the sandbox's user cannot change it") {
    AotFixture fixture;
    auto module = fixture.compiler().compile(small_module(1));
    REQUIRE(module.has_value());
    struct stat info {};
    REQUIRE(::stat(module->shared_object.c_str(), &info) == 0);
    CHECK(info.st_uid == ::geteuid());
    CHECK((info.st_mode & (S_IWGRP | S_IWOTH)) == 0);
    CHECK(fixture.cache_files().size() == 1);  // no build folder, no part copy
  }

  TEST_CASE("a compile past its time limit is killed, named, and leaves nothing in the cache") {
    AotFixture fixture;
    fixture.options.optimisation = "-O2";
    fixture.options.compile_timeout = std::chrono::seconds(1);
    CHECK(fixture.refused(slow_module()) == "the compile took longer than its time limit of 1 s");
    CHECK(fixture.cache_files().empty());
  }

  TEST_CASE("a compile past its memory limit is named, and leaves nothing in the cache") {
    AotFixture fixture;
    fixture.options.optimisation = "-O2";
    fixture.options.compile_memory_bytes = 128ull << 20;
    CHECK(fixture.refused(slow_module()) == "cc needed more than the compile memory limit of 128 MiB");
    CHECK(fixture.cache_files().empty());
  }

  TEST_CASE("the cache is evicted least recently used first to its cap, never a held module") {
    AotFixture fixture;
    auto first = fixture.compiler().compile(small_module(1));
    REQUIRE(first.has_value());
    const auto size = fs::file_size(first->shared_object);
    fixture.made.reset();
    // Room for two modules.
    fixture.options.cache_max_bytes = 2 * size + size / 2;
    auto a = fixture.compiler().compile(small_module(1));
    REQUIRE(a.has_value());
    CHECK(a->cached);
    auto b = fixture.compiler().compile(small_module(2));
    REQUIRE(b.has_value());
    const fs::path a_path = a->shared_object, b_path = b->shared_object;
    a->pin.reset();
    b->pin.reset();
    // A hit makes a the most recently used: c's arrival removes b.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(fixture.compiler().compile(small_module(1)).has_value());
    auto c = fixture.compiler().compile(small_module(3));
    REQUIRE(c.has_value());
    CHECK(fs::exists(a_path));
    CHECK_FALSE(fs::exists(b_path));
    CHECK(fs::exists(c->shared_object));
    // Held modules stay past the cap: only a, unheld, goes.
    auto d = fixture.compiler().compile(small_module(4));
    auto e = fixture.compiler().compile(small_module(5));
    REQUIRE(d.has_value());
    REQUIRE(e.has_value());
    CHECK_FALSE(fs::exists(a_path));
    CHECK(fs::exists(c->shared_object));
    CHECK(fs::exists(d->shared_object));
    CHECK(fs::exists(e->shared_object));
  }

  TEST_CASE("build folders left by a dead compile are removed at start; a live compile's stay") {
    AotFixture fixture;
    fs::create_directories(fixture.options.cache_dir / "build-dead01" / "sub");
    std::ofstream(fixture.options.cache_dir / "build-dead01" / "fn.c") << "left behind";
    fs::create_directories(fixture.options.cache_dir / "build-live01");
    const int held = ::open((fixture.options.cache_dir / "build-live01").c_str(), O_RDONLY | O_DIRECTORY);
    REQUIRE(held >= 0);
    REQUIRE(::flock(held, LOCK_EX) == 0);
    fixture.compiler();
    CHECK(fixture.cache_files() == std::vector<std::string>{"build-live01"});
    ::close(held);
  }
}
