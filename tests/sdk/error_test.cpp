// Errors as values: Result, Status and the propagation macros.
#include <doctest/doctest.h>

#include <faasmjs/error.hpp>
#include <memory>
#include <string>

using faasmjs::Errc;
using faasmjs::Error;
using faasmjs::Result;
using faasmjs::Status;

namespace {

Result<int> parse_digit(char c) {
  if (c < '0' || c > '9') {
    return Error(Errc::invalid_argument, std::string("not a digit: ") + c);
  }
  return c - '0';
}

Result<int> add_digits(char a, char b) {
  FAASMJS_TRY_ASSIGN(const int x, parse_digit(a));
  FAASMJS_TRY_ASSIGN(const int y, parse_digit(b));
  return x + y;
}

Status check_digit(char c) {
  FAASMJS_TRY(parse_digit(c));
  return {};
}

}  // namespace

TEST_SUITE("error") {
  TEST_CASE("a Result holds a value or an Error") {
    const Result<int> good = 42;
    CHECK(good.ok());
    CHECK(static_cast<bool>(good));
    CHECK(*good == 42);
    CHECK(good.value_or(7) == 42);

    const Result<int> bad = Error(Errc::not_found, "missing");
    CHECK_FALSE(bad.ok());
    CHECK(bad.error().code() == Errc::not_found);
    CHECK(bad.error() == Errc::not_found);
    CHECK(bad.error().message() == "missing");
    CHECK(bad.error().describe() == "not_found: missing");
    CHECK(bad.value_or(7) == 7);
  }

  TEST_CASE("a Result converts from what converts to its value, and holds move-only values") {
    const Result<std::string> text = "literal";
    CHECK(*text == "literal");
    CHECK(text->size() == 7);

    Result<std::unique_ptr<int>> owned = std::make_unique<int>(5);
    const std::unique_ptr<int> taken = std::move(owned).value();
    CHECK(*taken == 5);
  }

  TEST_CASE("a default Status is success; ok() builds one") {
    const Status done;
    CHECK(done.ok());
    CHECK(faasmjs::ok().ok());
    const Status failed = Error(Errc::host_error, "boom");
    CHECK_FALSE(failed);
    CHECK(failed.error().describe() == "host_error: boom");
  }

  TEST_CASE("FAASMJS_TRY and FAASMJS_TRY_ASSIGN return the first error") {
    CHECK(*add_digits('2', '3') == 5);
    const Result<int> bad = add_digits('2', 'x');
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code() == Errc::invalid_argument);
    CHECK(bad.error().message() == "not a digit: x");
    CHECK(check_digit('1').ok());
    CHECK(check_digit('?').error().message() == "not a digit: ?");
  }

  TEST_CASE("every code has a stable name") {
    CHECK(faasmjs::to_string(Errc::invalid_argument) == "invalid_argument");
    CHECK(faasmjs::to_string(Errc::not_found) == "not_found");
    CHECK(faasmjs::to_string(Errc::out_of_range) == "out_of_range");
    CHECK(faasmjs::to_string(Errc::size_mismatch) == "size_mismatch");
    CHECK(faasmjs::to_string(Errc::decode_failed) == "decode_failed");
    CHECK(faasmjs::to_string(Errc::call_failed) == "call_failed");
    CHECK(faasmjs::to_string(Errc::host_error) == "host_error");
    CHECK(static_cast<int>(Errc::invalid_argument) == 1);
    CHECK(static_cast<int>(Errc::host_error) == 7);
  }
}
