// Typed outputs are UTF-8-safe: the byte encoding against glibc's iconv (ISO-8859-1 to UTF-8, and its strict
// UTF-8 decoder as the validity check), the decoder's refusals, and typed outputs through the native host.
#include <doctest/doctest.h>
#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <faasmjs/chain.hpp>
#include <faasmjs/entry.hpp>
#include <faasmjs/fork_join.hpp>
#include <faasmjs/io.hpp>
#include <faasmjs/output_encoding.hpp>
#include <faasmjs/serialization.hpp>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "fixtures.hpp"

using faasmjs::Bytes;
using faasmjs::Errc;

namespace {

// The bytes iconv converts `from` into `to`, or nothing when it refuses them (EILSEQ, EINVAL).
std::optional<Bytes> iconv_convert(const char* to, const char* from, const Bytes& input) {
  const iconv_t converter = iconv_open(to, from);
  REQUIRE(converter != reinterpret_cast<iconv_t>(-1));
  Bytes in = input;
  Bytes out(input.size() * 4 + 4);
  char* in_next = reinterpret_cast<char*>(in.data());
  std::size_t in_left = in.size();
  char* out_next = reinterpret_cast<char*>(out.data());
  std::size_t out_left = out.size();
  const std::size_t converted = iconv(converter, &in_next, &in_left, &out_next, &out_left);
  const int error = errno;
  iconv_close(converter);
  if (converted == static_cast<std::size_t>(-1)) {
    REQUIRE(error != E2BIG);
    return std::nullopt;
  }
  out.resize(out.size() - out_left);
  return out;
}

bool valid_utf8(const Bytes& bytes) { return iconv_convert("UTF-32LE", "UTF-8", bytes).has_value(); }

void check_encoding(const Bytes& raw) {
  const Bytes encoded = faasmjs::encode_utf8_safe(raw);
  CHECK(encoded == iconv_convert("UTF-8", "ISO-8859-1", raw));
  CHECK(valid_utf8(encoded));
  const auto decoded = faasmjs::decode_utf8_safe(encoded);
  REQUIRE(decoded.ok());
  CHECK(*decoded == raw);
}

std::string refusal(const Bytes& encoded) {
  const auto decoded = faasmjs::decode_utf8_safe(encoded);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error().code() == Errc::decode_failed);
  return decoded.error().message();
}

struct Reading {
  std::string place;
  std::vector<double> values;
  std::uint64_t stamp = 0;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(place, values, stamp);
  }
  bool operator==(const Reading&) const = default;
};

// Cereal of this value has bytes >= 0x80 (0xff in the stamp, -1.5 and 1e300 in the doubles, é in the text).
const Reading reading{"Zürich", {-1.5, 1e300}, 0xffffffffffffff01ULL};

Reading read_sensor(const std::string& place) { return {place, reading.values, reading.stamp}; }

// What a callee built without the encoding would write: cereal as it is, {0x01, 0xff, 0xff, 0xff, 0xff}.
int raw_cereal() {
  faasmjs::set_output(faasmjs::ByteView(faasmjs::serialize(std::uint32_t{0xffffffff})));
  return 0;
}

}  // namespace

TEST_SUITE("output_encoding") {
  TEST_CASE("every byte value is its Latin-1 code point in UTF-8, and back") {
    Bytes all;
    for (int b = 0; b < 256; b++) {
      const Bytes one{static_cast<std::uint8_t>(b)};
      check_encoding(one);
      CHECK(faasmjs::encode_utf8_safe(one).size() == (b < 0x80 ? 1U : 2U));
      all.push_back(static_cast<std::uint8_t>(b));
    }
    check_encoding(all);
    CHECK(faasmjs::encode_utf8_safe(all).size() == 384);
    CHECK(faasmjs::encode_utf8_safe(Bytes{0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xff}) ==
          Bytes{0x00, 0x7f, 0xc2, 0x80, 0xc2, 0xbf, 0xc3, 0x80, 0xc3, 0xbf});
    check_encoding({});
  }

  TEST_CASE("random buffers round trip and encode to valid UTF-8") {
    std::mt19937 random(20240610);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<std::size_t> length(0, 4096);
    for (int round = 0; round < 200; round++) {
      Bytes raw(length(random));
      for (auto& b : raw) {
        b = static_cast<std::uint8_t>(byte(random));
      }
      check_encoding(raw);
    }
  }

  TEST_CASE("decoding is strict: what the encoder never writes is decode_failed, naming byte and offset") {
    const std::string prefix = "not a UTF-8-safe output: byte ";
    // A continuation byte without its lead, an overlong form, code points past U+00FF, a byte no UTF-8 has.
    CHECK(refusal({'a', 'b', 0x80}) == prefix + "0x80 at offset 2 is not ASCII, 0xc2 or 0xc3");
    CHECK(refusal({0xc0, 0x80}) == prefix + "0xc0 at offset 0 is not ASCII, 0xc2 or 0xc3");
    CHECK(refusal({0xc1, 0xbf}) == prefix + "0xc1 at offset 0 is not ASCII, 0xc2 or 0xc3");
    CHECK(refusal({0xc4, 0x80}) == prefix + "0xc4 at offset 0 is not ASCII, 0xc2 or 0xc3");
    CHECK(refusal({0xc3, 0xa9, 0xe2, 0x82, 0xac}) == prefix + "0xe2 at offset 2 is not ASCII, 0xc2 or 0xc3");
    CHECK(refusal({'x', 0xff}) == prefix + "0xff at offset 1 is not ASCII, 0xc2 or 0xc3");
    // A lead byte followed by something other than a continuation byte.
    CHECK(refusal({0xc3, 'A'}) == prefix + "0x41 at offset 1 is not a continuation byte (0x80-0xbf) after 0xc3");
    CHECK(refusal({0xc2, 0xc3, 0xa9}) == prefix + "0xc3 at offset 1 is not a continuation byte (0x80-0xbf) after 0xc2");
    // Input cut after a lead byte.
    CHECK(refusal({'x', 0xc3}) == prefix + "0xc3 at offset 1 is a lead byte at the end (truncated)");
    CHECK(refusal({0xc3, 0xbf, 0xc3}) == prefix + "0xc3 at offset 2 is a lead byte at the end (truncated)");
  }

  TEST_CASE("typed values are encoded; text and bytes stay raw") {
    const Bytes cereal = faasmjs::serialize(reading);
    CHECK_FALSE(valid_utf8(cereal));
    const Bytes output = faasmjs::encode_output(reading);
    CHECK(output == faasmjs::encode_utf8_safe(cereal));
    CHECK(valid_utf8(output));
    CHECK(*faasmjs::decode_output<Reading>(output) == reading);
    CHECK(faasmjs::decode_output<Reading>(cereal).error().code() == Errc::decode_failed);

    const std::string text("caf\xc3\xa9 \xff", 7);
    CHECK(faasmjs::encode_output(text) == bytes_of(text));
    CHECK(*faasmjs::decode_output<std::string>(bytes_of(text)) == text);
    const Bytes bytes{0x00, 0x80, 0xff};
    CHECK(faasmjs::encode_output(bytes) == bytes);
    CHECK(*faasmjs::decode_output<Bytes>(bytes) == bytes);
  }

  TEST_CASE_FIXTURE(HostFixture, "set_output writes a typed value UTF-8-safe, and text and bytes raw") {
    faasmjs::set_output(reading);
    CHECK(valid_utf8(host.output()));
    CHECK(*faasmjs::decode_output<Reading>(host.output()) == reading);
    faasmjs::set_output(std::uint32_t{0xffffffff});
    CHECK(host.output() == Bytes{0x01, 0xc3, 0xbf, 0xc3, 0xbf, 0xc3, 0xbf, 0xc3, 0xbf});
    faasmjs::set_output(Bytes{0xff});
    CHECK(host.output() == Bytes{0xff});
    faasmjs::set_output(std::string_view("\xff"));
    CHECK(host.output() == Bytes{0xff});
  }

  TEST_CASE_FIXTURE(HostFixture, "Call<T>::get reads back what a typed entry wrote, by pointer and by name") {
    FAASMJS_FOR_EACH_CHAIN_MODE(host);
    host.register_function("read_sensor", &faasmjs::entry<read_sensor>);
    auto by_pointer = faasmjs::fork<read_sensor>(std::string("Zürich"));
    auto by_name = faasmjs::chain<Reading>("read_sensor", std::string("Zürich"));
    const auto joined = faasmjs::join(by_pointer, by_name);
    REQUIRE(joined.ok());
    CHECK(std::get<0>(*joined) == reading);
    CHECK(std::get<1>(*joined) == reading);
    REQUIRE(host.chained_calls().size() == 2);
    for (const auto& call : host.chained_calls()) {
      // Inputs travel as they are; only the typed output is re-encoded.
      CHECK(call.input == bytes_of("Zürich"));
      CHECK(call.result.output == faasmjs::encode_output(reading));
      CHECK(valid_utf8(call.result.output));
    }
  }

  TEST_CASE_FIXTURE(HostFixture, "a typed input stays plain cereal") {
    const std::map<std::string, std::uint32_t> value{{"é", 0xffffffff}};
    auto call = faasmjs::chain<Bytes>(&faasmjs::entry<faasmjs::input_bytes>, value);
    const auto echoed = call.get();
    REQUIRE(echoed.ok());
    CHECK(host.chained_calls().at(0).input == faasmjs::serialize(value));
    CHECK(*echoed == faasmjs::serialize(value));
  }

  TEST_CASE_FIXTURE(HostFixture, "a typed output written raw is decode_failed, naming the first bad byte") {
    auto call = faasmjs::chain<std::uint32_t>(&raw_cereal);
    const auto result = call.get();
    REQUIRE_FALSE(result);
    CHECK(result.error().code() == Errc::decode_failed);
    CHECK(result.error().message() == "output of chained call " + std::to_string(call.id()) +
                                          " (function pointer): not a UTF-8-safe output: byte 0xff at offset 1 "
                                          "is not ASCII, 0xc2 or 0xc3");
  }
}
