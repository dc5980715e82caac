// The value the typed-values tests (tests/js/runtime/values.test.mjs) send
// between JavaScript and C++: one field of every kind faasmjs/values describes,
// and one fixed value of it with the edges of each type, which the test writes
// out by hand in JavaScript as well.
#ifndef FAASMJS_TESTS_VALUES_HPP
#define FAASMJS_TESTS_VALUES_HPP

#include <array>
#include <cstdint>
#include <faasmjs/faasmjs.hpp>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

struct Inner {
  std::int16_t id = 0;
  std::string label;

  bool operator==(const Inner&) const = default;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(id, label);
  }
};

struct Sample {
  std::int8_t i8 = 0;
  std::uint8_t u8 = 0;
  std::int16_t i16 = 0;
  std::uint16_t u16 = 0;
  std::int32_t i32 = 0;
  std::uint32_t u32 = 0;
  std::int64_t i64 = 0;
  std::uint64_t u64 = 0;
  float f32 = 0;
  double f64 = 0;
  bool flag = false;
  std::string name;
  std::vector<std::string> tags;
  std::map<std::string, std::int32_t> scores;
  std::optional<double> extra;
  std::optional<Inner> missing;
  std::vector<Inner> inners;
  std::array<float, 3> position{};
  std::pair<std::uint16_t, std::string> pair;
  faasmjs::Bytes blob;
  std::vector<bool> bits;
  std::unordered_map<std::uint32_t, std::vector<std::int64_t>> series;

  bool operator==(const Sample&) const = default;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(i8, u8, i16, u16, i32, u32, i64, u64, f32, f64, flag, name, tags, scores, extra, missing, inners, position,
            pair, blob, bits, series);
  }
};

inline Sample fixed_sample() {
  Sample sample;
  sample.i8 = std::numeric_limits<std::int8_t>::min();
  sample.u8 = std::numeric_limits<std::uint8_t>::max();
  sample.i16 = std::numeric_limits<std::int16_t>::min();
  sample.u16 = std::numeric_limits<std::uint16_t>::max();
  sample.i32 = std::numeric_limits<std::int32_t>::min();
  sample.u32 = std::numeric_limits<std::uint32_t>::max();
  sample.i64 = std::numeric_limits<std::int64_t>::min();
  sample.u64 = std::numeric_limits<std::uint64_t>::max();
  sample.f32 = 1.5f;
  sample.f64 = -0.1;
  sample.flag = true;
  sample.name = "h\xc3\xa9llo \xe2\x9c\x93";
  sample.tags = {"a", "", "c"};
  sample.scores = {{"a", 1}, {"b", -2}};
  sample.extra = 2.5;
  sample.inners = {{1, "one"}, {-2, "two"}};
  sample.position = {0.5f, -1.0f, 3.25f};
  sample.pair = {7, "seven"};
  sample.blob = {0, 255, 128};
  sample.bits = {true, false, true};
  sample.series = {{3, {-1, std::int64_t{1} << 40}}};
  return sample;
}

#endif  // FAASMJS_TESTS_VALUES_HPP
