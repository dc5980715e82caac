// isValidUtf8 against the outputs that decided whether Faasm's planner survived a call (faasm/README.md,
// "UTF-8": `\x01` + a little-endian uint64 count), and the edges of protobuf's rule.
#include "faasm/utf8.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

using faasmjs::gateway::faasm::isValidUtf8;

namespace {

std::string typedCount(std::uint64_t count) {
  std::string out(1, '\x01');
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((count >> (8 * i)) & 0xff));
  return out;
}

}  // namespace

TEST_SUITE("utf8") {
  TEST_CASE("the typed outputs Faasm carried and those that killed its planner") {
    CHECK(isValidUtf8(typedCount(74)));             // "\x01J\0\0\0\0\0\0\0": carried
    CHECK_FALSE(isValidUtf8(typedCount(78500)));    // A4 32 01 ...: a continuation byte first
    CHECK_FALSE(isValidUtf8(typedCount(1570796)));  // EC F7 17 ...: a lead without its continuations
  }

  TEST_CASE("well-formed sequences of every length, U+0000 included") {
    CHECK(isValidUtf8(""));
    CHECK(isValidUtf8(std::string("a\0b", 3)));
    CHECK(isValidUtf8("\xc3\xa9"));          // U+00E9
    CHECK(isValidUtf8("\xe2\x82\xac"));      // U+20AC
    CHECK(isValidUtf8("\xed\x9f\xbf"));      // U+D7FF, the last before the surrogates
    CHECK(isValidUtf8("\xf0\x9f\x98\x80"));  // U+1F600
    CHECK(isValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  }

  TEST_CASE("what protobuf refuses: overlongs, surrogates, beyond U+10FFFF, truncation, stray bytes") {
    CHECK_FALSE(isValidUtf8("\xc0\xaf"));  // overlong '/'
    CHECK_FALSE(isValidUtf8("\xc1\xbf"));
    CHECK_FALSE(isValidUtf8("\xe0\x9f\xbf"));      // overlong U+07FF
    CHECK_FALSE(isValidUtf8("\xf0\x8f\xbf\xbf"));  // overlong U+FFFF
    CHECK_FALSE(isValidUtf8("\xed\xa0\x80"));      // U+D800
    CHECK_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // U+110000
    CHECK_FALSE(isValidUtf8("\xf5\x80\x80\x80"));
    CHECK_FALSE(isValidUtf8("\xe2\x82"));  // truncated
    CHECK_FALSE(isValidUtf8("\x80"));
    CHECK_FALSE(isValidUtf8("\xff"));
  }
}
