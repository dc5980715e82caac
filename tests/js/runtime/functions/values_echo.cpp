// values_echo: a typed function for the typed-values tests (values.hpp). It
// decodes any Sample, changes every kind of field in a way JavaScript can
// predict, and returns it, so that a value travels JavaScript → C++ →
// JavaScript through invoke(name, value, { input, output }).
#include <cstddef>
#include <faasmjs/faasmjs.hpp>
#include <string>

#include "values.hpp"

namespace {

Sample echo(const Sample& in) {
  Sample out = in;
  out.i8 = static_cast<std::int8_t>(-in.i8 / 2);
  out.u64 = in.u64 / 2;
  out.i64 = in.i64 / 2;
  out.f64 = in.f64 * 2;
  out.flag = !in.flag;
  out.name = in.name + "!";
  out.tags.push_back("c++");
  out.scores["c++"] = static_cast<std::int32_t>(in.tags.size());
  out.extra = in.extra ? std::optional<double>() : std::optional<double>(0.25);
  out.missing = in.missing ? std::optional<Inner>() : std::optional<Inner>(Inner{42, "found"});
  for (Inner& inner : out.inners) {
    inner.label += "+";
  }
  out.position = {in.position[2], in.position[1], in.position[0]};
  out.pair.second = std::to_string(in.pair.first);
  out.blob.push_back(static_cast<std::uint8_t>(in.blob.size()));
  for (std::size_t i = 0; i < out.bits.size(); i++) {
    out.bits[i] = !in.bits[i];
  }
  out.series[static_cast<std::uint32_t>(in.series.size())] = {in.i64};
  return out;
}

}  // namespace

FAASMJS_MAIN(echo)
