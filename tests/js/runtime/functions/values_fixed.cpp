// values_fixed: C++'s side of the typed-values round trip with a value both
// sides know (values.hpp). The input and the state value "values_from_js", both
// encoded by faasmjs/values, must equal fixed_sample() here; then it stores
// fixed_sample() as "values_from_cpp", pushes it, and outputs it, for
// JavaScript to decode.
#include <faasmjs/faasmjs.hpp>
#include <string>

#include "values.hpp"

namespace {

// The first field where the two differ, so that a failure says which encoding
// disagrees.
std::string first_difference(const Sample& a, const Sample& b) {
  const std::pair<bool, const char*> fields[] = {
      {a.i8 == b.i8, "i8"},
      {a.u8 == b.u8, "u8"},
      {a.i16 == b.i16, "i16"},
      {a.u16 == b.u16, "u16"},
      {a.i32 == b.i32, "i32"},
      {a.u32 == b.u32, "u32"},
      {a.i64 == b.i64, "i64"},
      {a.u64 == b.u64, "u64"},
      {a.f32 == b.f32, "f32"},
      {a.f64 == b.f64, "f64"},
      {a.flag == b.flag, "flag"},
      {a.name == b.name, "name"},
      {a.tags == b.tags, "tags"},
      {a.scores == b.scores, "scores"},
      {a.extra == b.extra, "extra"},
      {a.missing == b.missing, "missing"},
      {a.inners == b.inners, "inners"},
      {a.position == b.position, "position"},
      {a.pair == b.pair, "pair"},
      {a.blob == b.blob, "blob"},
      {a.bits == b.bits, "bits"},
      {a.series == b.series, "series"},
  };
  for (const auto& [same, name] : fields) {
    if (!same) {
      return name;
    }
  }
  return "";
}

faasmjs::Status expect_fixed(const Sample& value, const std::string& what) {
  if (value == fixed_sample()) {
    return {};
  }
  return faasmjs::Error(faasmjs::Errc::invalid_argument,
                        what + " differs from fixed_sample() in field " + first_difference(value, fixed_sample()));
}

faasmjs::Result<Sample> check_and_store(const Sample& input) {
  FAASMJS_TRY(expect_fixed(input, "the input"));
  const faasmjs::state::Value<Sample> from_js("values_from_js");
  FAASMJS_TRY_ASSIGN(const Sample stored, from_js.get());
  FAASMJS_TRY(expect_fixed(stored, "state value values_from_js"));
  const faasmjs::state::Value<Sample> from_cpp("values_from_cpp");
  FAASMJS_TRY(from_cpp.set(fixed_sample()));
  FAASMJS_TRY(from_cpp.push());
  return fixed_sample();
}

}  // namespace

FAASMJS_MAIN(check_and_store)
