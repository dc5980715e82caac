// Checked cereal archives and codecs: cereal's wire format, round trips, and malformed bytes as errors.
#include <doctest/doctest.h>

#include <cereal/archives/portable_binary.hpp>
#include <cstdint>
#include <faasmjs/codec.hpp>
#include <faasmjs/serialization.hpp>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "fixtures.hpp"

using faasmjs::Bytes;
using faasmjs::Errc;

namespace {

struct Point {
  double x = 0;
  double y = 0;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(x, y);
  }
  bool operator==(const Point&) const = default;
};

struct Record {
  std::int8_t small = 0;
  std::uint64_t big = 0;
  float ratio = 0;
  bool flag = false;
  std::string name;
  std::vector<std::int32_t> numbers;
  std::vector<Point> points;
  std::map<std::string, std::uint16_t> counts;
  std::optional<std::string> note;
  std::variant<std::monostate, std::int32_t, std::string> choice;
  std::pair<std::int16_t, std::string> pair;
  std::tuple<std::uint8_t, double> tuple;
  std::array<std::uint16_t, 3> fixed{};

  template <class Archive>
  void serialize(Archive& archive) {
    archive(small, big, ratio, flag, name, numbers, points, counts, note, choice, pair, tuple, fixed);
  }
  bool operator==(const Record&) const = default;
};

Record sample() {
  Record r;
  r.small = -5;
  r.big = 0x0123456789abcdefULL;
  r.ratio = 0.25f;
  r.flag = true;
  r.name = "faasm.js";
  r.numbers = {1, -2, 300000};
  r.points = {{1.5, -2.5}, {0, 1e300}};
  r.counts = {{"a", 1}, {"bb", 65535}};
  r.note = "present";
  r.choice = std::string("text");
  r.pair = {-7, "seven"};
  r.tuple = {9, 3.25};
  r.fixed = {1, 2, 3};
  return r;
}

template <class T>
Bytes cereal_reference(const T& value) {
  std::ostringstream stream(std::ios::binary);
  {
    cereal::PortableBinaryOutputArchive archive(stream);
    archive(value);
  }
  const std::string text = stream.str();
  return {text.begin(), text.end()};
}

struct Shared {
  std::shared_ptr<std::int32_t> a;
  std::shared_ptr<std::int32_t> b;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(a, b);
  }
};

}  // namespace

TEST_SUITE("serialization") {
  TEST_CASE("serialize writes cereal's portable binary format, byte for byte") {
    CHECK(faasmjs::serialize(std::uint32_t{1}) == Bytes{1, 1, 0, 0, 0});
    CHECK(faasmjs::serialize(std::string("ab")) == Bytes{1, 2, 0, 0, 0, 0, 0, 0, 0, 'a', 'b'});
    CHECK(faasmjs::serialize(sample()) == cereal_reference(sample()));
    CHECK(faasmjs::serialize(std::vector<Point>{{1, 2}}) == cereal_reference(std::vector<Point>{{1, 2}}));
  }

  TEST_CASE("deserialize reads back what serialize and cereal's own archive write") {
    const Record original = sample();
    const auto ours = faasmjs::deserialize<Record>(faasmjs::serialize(original));
    REQUIRE(ours.ok());
    CHECK(*ours == original);
    const auto theirs = faasmjs::deserialize<Record>(cereal_reference(original));
    REQUIRE(theirs.ok());
    CHECK(*theirs == original);
  }

  TEST_CASE("big-endian encodings are converted") {
    std::ostringstream stream(std::ios::binary);
    {
      cereal::PortableBinaryOutputArchive archive(stream, cereal::PortableBinaryOutputArchive::Options::BigEndian());
      archive(std::uint32_t{0x01020304}, std::string("xy"));
    }
    const std::string text = stream.str();
    const Bytes bytes(text.begin(), text.end());
    CHECK(bytes[0] == 0);
    faasmjs::CheckedInputArchive archive(bytes);
    std::uint32_t number = 0;
    std::string word;
    archive(number, word);
    CHECK(archive.finish().ok());
    CHECK(number == 0x01020304);
    CHECK(word == "xy");
  }

  TEST_CASE("shared pointers keep their sharing") {
    Shared value;
    value.a = std::make_shared<std::int32_t>(5);
    value.b = value.a;
    const auto back = faasmjs::deserialize<Shared>(faasmjs::serialize(value));
    REQUIRE(back.ok());
    CHECK(*back->a == 5);
    CHECK(back->a == back->b);
  }

  TEST_CASE("empty input and a bad endianness byte are decode errors") {
    const auto empty = faasmjs::deserialize<std::uint32_t>(Bytes{});
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code() == Errc::decode_failed);
    CHECK(empty.error().message().find("empty input") != std::string::npos);

    const auto flag = faasmjs::deserialize<std::uint32_t>(Bytes{7, 1, 0, 0, 0});
    REQUIRE_FALSE(flag);
    CHECK(flag.error().message().find("endianness") != std::string::npos);
  }

  TEST_CASE("every truncation of a valid encoding is a decode error, never a trap") {
    const Bytes full = faasmjs::serialize(sample());
    for (std::size_t length = 0; length < full.size(); length++) {
      const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(length));
      const auto result = faasmjs::deserialize<Record>(prefix);
      REQUIRE_FALSE(result.ok());
      CHECK(result.error().code() == Errc::decode_failed);
    }
  }

  TEST_CASE("trailing bytes are a decode error (usually the wrong type)") {
    Bytes bytes = faasmjs::serialize(std::uint64_t{9});
    CHECK(faasmjs::deserialize<std::uint64_t>(bytes).ok());
    const auto as_smaller = faasmjs::deserialize<std::uint32_t>(bytes);
    REQUIRE_FALSE(as_smaller);
    CHECK(as_smaller.error().message() == "4 trailing bytes after the value");
  }

  TEST_CASE("a forged container size is refused before anything is allocated") {
    // A vector claiming 2^60 elements, followed by 4 bytes.
    Bytes bytes{1};
    const std::uint64_t huge = 1ULL << 60;
    for (int i = 0; i < 8; i++) {
      bytes.push_back(static_cast<std::uint8_t>(huge >> (8 * i)));
    }
    bytes.insert(bytes.end(), {1, 2, 3, 4});
    const auto vector = faasmjs::deserialize<std::vector<Point>>(bytes);
    REQUIRE_FALSE(vector);
    CHECK(vector.error().message().find("container size 1152921504606846976") != std::string::npos);
    CHECK(faasmjs::deserialize<std::string>(bytes).error().code() == Errc::decode_failed);
    CHECK(faasmjs::deserialize<std::vector<std::uint8_t>>(bytes).error().code() == Errc::decode_failed);
    CHECK(faasmjs::deserialize<std::map<std::string, std::string>>(bytes).error().code() == Errc::decode_failed);
  }

  TEST_CASE("a variant index outside the alternatives is a decode error") {
    using Choice = std::variant<std::int32_t, std::string>;
    CHECK(faasmjs::deserialize<Choice>(faasmjs::serialize(Choice{std::string("ok")})).ok());
    for (const std::int32_t index : {2, 17, -1}) {
      Bytes bytes{1};
      for (int i = 0; i < 4; i++) {
        bytes.push_back(static_cast<std::uint8_t>(static_cast<std::uint32_t>(index) >> (8 * i)));
      }
      const auto result = faasmjs::deserialize<Choice>(bytes);
      REQUIRE_FALSE(result);
      CHECK(result.error().message().find("variant index") != std::string::npos);
    }
  }

  TEST_CASE("a reference to a shared pointer never defined is a decode error") {
    // Shared{a, b}: a's id 1 (without the "new pointer" bit) references nothing yet.
    const Bytes bytes{1, 1, 0, 0, 0, 1, 0, 0, 0};
    const auto result = faasmjs::deserialize<Shared>(bytes);
    REQUIRE_FALSE(result);
    CHECK(result.error().message().find("shared pointer id 1") != std::string::npos);
  }

  TEST_CASE("random bytes decode to a value or to decode_failed") {
    std::mt19937 random(1234);
    std::size_t decoded = 0;
    for (int round = 0; round < 3000; round++) {
      Bytes bytes(random() % 96);
      for (auto& b : bytes) {
        b = static_cast<std::uint8_t>(random());
      }
      if (!bytes.empty()) {
        bytes[0] = static_cast<std::uint8_t>(random() % 2);
      }
      const auto result = faasmjs::deserialize<Record>(bytes);
      if (result.ok()) {
        decoded++;
      } else {
        CHECK(result.error().code() == Errc::decode_failed);
      }
    }
    CHECK(decoded < 3000);
  }
}

TEST_SUITE("codec") {
  TEST_CASE("text and bytes travel raw, other types as cereal portable binary") {
    CHECK(faasmjs::encode("hi") == bytes_of("hi"));
    CHECK(faasmjs::encode(std::string("hi")) == bytes_of("hi"));
    CHECK(faasmjs::encode(std::string_view("hi")) == bytes_of("hi"));
    CHECK(faasmjs::encode(Bytes{0, 255}) == Bytes{0, 255});
    CHECK(faasmjs::encode(std::int32_t{2}) == Bytes{1, 2, 0, 0, 0});
    CHECK(*faasmjs::decode<std::string>(bytes_of("raw")) == "raw");
    CHECK(*faasmjs::decode<Bytes>(Bytes{0, 1}) == Bytes{0, 1});
    CHECK(*faasmjs::decode<std::int32_t>(Bytes{1, 2, 0, 0, 0}) == 2);
    CHECK(faasmjs::decode<std::int32_t>(bytes_of("2")).error().code() == Errc::decode_failed);
  }
}

namespace {
struct Celsius {
  int degrees = 0;
};
}  // namespace

template <>
struct faasmjs::Codec<Celsius> {
  static Bytes encode(const Celsius& value) { return bytes_of(std::to_string(value.degrees) + "C"); }
  static Result<Celsius> decode(ByteView bytes) {
    const std::string text(as_chars(bytes));
    if (text.empty() || text.back() != 'C') {
      return Error(Errc::decode_failed, "not a temperature: " + text);
    }
    return Celsius{std::stoi(text.substr(0, text.size() - 1))};
  }
};

TEST_SUITE("codec") {
  TEST_CASE("a Codec specialisation replaces the default encoding") {
    CHECK(faasmjs::encode(Celsius{21}) == bytes_of("21C"));
    CHECK(faasmjs::decode<Celsius>(bytes_of("-4C"))->degrees == -4);
    CHECK(faasmjs::decode<Celsius>(bytes_of("4F")).error().message() == "not a temperature: 4F");
  }
}
