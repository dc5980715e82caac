// Typed input and output of the running call.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <faasmjs/io.hpp>
#include <map>
#include <string>

#include "fixtures.hpp"

using faasmjs::Bytes;
using faasmjs::Errc;

TEST_SUITE("io") {
  TEST_CASE_FIXTURE(HostFixture, "no input: size 0, empty bytes and text, input_or falls back") {
    CHECK(faasmjs::input_size() == 0);
    CHECK(faasmjs::input_bytes().empty());
    CHECK(faasmjs::input_string().empty());
    CHECK(*faasmjs::input_or<std::int32_t>(4) == 4);
    std::array<std::uint8_t, 4> buffer{};
    CHECK(faasmjs::read_input(buffer) == 0);
  }

  TEST_CASE_FIXTURE(HostFixture, "input as bytes, text, and a truncating read") {
    host.set_input(Bytes{'a', 0, 'b', 255});
    CHECK(faasmjs::input_size() == 4);
    CHECK(faasmjs::input_bytes() == Bytes{'a', 0, 'b', 255});
    CHECK(faasmjs::input_string() == std::string("a\0b\xff", 4));
    std::array<std::uint8_t, 2> small{};
    CHECK(faasmjs::read_input(small) == 2);
    CHECK(small == std::array<std::uint8_t, 2>{'a', 0});
    std::array<std::uint8_t, 8> large{};
    CHECK(faasmjs::read_input(large) == 4);
    CHECK(faasmjs::read_input(std::span<std::uint8_t>{}) == 0);
  }

  TEST_CASE_FIXTURE(HostFixture, "typed input decodes through the codec; malformed input is an error value") {
    host.set_input(faasmjs::serialize(std::map<std::string, std::int32_t>{{"x", 1}}));
    const auto map = faasmjs::input<std::map<std::string, std::int32_t>>();
    REQUIRE(map.ok());
    CHECK(map->at("x") == 1);

    host.set_input("not cereal");
    const auto number = faasmjs::input<std::int32_t>();
    REQUIRE_FALSE(number);
    CHECK(number.error().code() == Errc::decode_failed);
    CHECK(faasmjs::input_or<std::int32_t>(4).error().code() == Errc::decode_failed);
    CHECK(*faasmjs::input<std::string>() == "not cereal");
  }

  TEST_CASE_FIXTURE(HostFixture, "output: text, bytes and values; the last write wins") {
    faasmjs::set_output("first");
    CHECK(host.output_text() == "first");
    faasmjs::set_output(std::string("second"));
    CHECK(host.output_text() == "second");
    faasmjs::set_output(Bytes{0, 1, 2});
    CHECK(host.output() == Bytes{0, 1, 2});
    faasmjs::set_output(std::uint16_t{258});
    CHECK(host.output() == Bytes{1, 2, 1});
    faasmjs::set_output("");
    CHECK(host.output().empty());
  }
}
