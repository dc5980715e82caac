// isValidUtf8 against protobuf's own check (Debian's libprotobuf, the version the fixture's Faasm links), the one
// WireFormatLite::VerifyUtf8String applies to a proto3 string such as faabric.Message.outputData: every string of
// up to 3 bytes, and random longer ones made of the bytes where UTF-8's rules have edges.
#include <doctest/doctest.h>
#include <google/protobuf/stubs/common.h>

#include <array>
#include <random>
#include <string>

#include "faasm/utf8.h"

using faasmjs::gateway::faasm::isValidUtf8;

namespace {

bool protobufAccepts(const std::string& bytes) {
  return google::protobuf::internal::IsStructurallyValidUTF8(bytes.data(), static_cast<int>(bytes.size()));
}

}  // namespace

TEST_SUITE("utf8") {
  TEST_CASE("agrees with protobuf on every string of up to 3 bytes") {
    std::size_t disagreements = 0;
    std::string first;
    std::string bytes;
    for (int length = 1; length <= 3; ++length) {
      std::size_t count = std::size_t{1} << (8 * length);
      bytes.assign(static_cast<std::size_t>(length), '\0');
      for (std::size_t n = 0; n < count; ++n) {
        for (int i = 0; i < length; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
        if (isValidUtf8(bytes) != protobufAccepts(bytes) && disagreements++ == 0) first = bytes;
      }
    }
    CHECK_MESSAGE(disagreements == 0, "first disagreement on ", doctest::toString(first));
  }

  TEST_CASE("agrees with protobuf on random strings of 4 to 16 edge bytes") {
    // Leads of every length and the limits of their continuations, ASCII and bytes that are never valid.
    constexpr std::array<unsigned char, 20> edges = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
                                                     0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
    std::mt19937 random(20261202);
    std::uniform_int_distribution<std::size_t> pick(0, edges.size() - 1), length(4, 16);
    std::size_t disagreements = 0, valid = 0;
    std::string first;
    for (int round = 0; round < 2'000'000; ++round) {
      std::string bytes(length(random), '\0');
      for (char& byte : bytes) byte = static_cast<char>(edges[pick(random)]);
      bool ours = isValidUtf8(bytes);
      valid += ours;
      if (ours != protobufAccepts(bytes) && disagreements++ == 0) first = bytes;
    }
    CHECK_MESSAGE(disagreements == 0, "first disagreement on ", doctest::toString(first));
    CHECK(valid > 1000);  // the sample reached valid multi-byte strings, not only invalid ones
  }
}
