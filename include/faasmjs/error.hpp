// Errors as values: the one error type of the SDK and the result type every fallible call returns.
//
// Section map
//   1. Errc                  what went wrong, as a closed set of codes
//   2. Error                 a code plus a human-readable message
//   3. Result<T>, Status     a value or an Error; [[nodiscard]] so that no failure is dropped silently
//   4. FAASMJS_TRY, FAASMJS_TRY_ASSIGN   early return of an error from a function returning Result/Status
//
// Why not exceptions: Faasm functions run without exception support (a throw becomes a trapping import), so
// every host return code is converted into a Result at the wrapper that calls the host.
#ifndef FAASMJS_ERROR_HPP
#define FAASMJS_ERROR_HPP

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "faasmjs/config.hpp"

namespace faasmjs {

// 1. The codes are stable (documented in docs/sdk-reference.md#errors); zero is deliberately not a code.
enum class Errc : int {
  invalid_argument = 1,  // the call cannot be made as asked: empty or NUL-containing key, empty value, ...
  not_found = 2,         // a state key that does not exist (Faasm reports its size as 0)
  out_of_range = 3,      // an offset or length outside the value it addresses
  size_mismatch = 4,     // a value whose stored size differs from the size the caller works with
  decode_failed = 5,     // bytes that are not a valid encoding of the requested type
  call_failed = 6,       // a chained call that returned non-zero
  host_error = 7,        // the host answered something the ABI rules out (e.g. a null state pointer)
};

constexpr std::string_view to_string(Errc code) noexcept {
  switch (code) {
    case Errc::invalid_argument:
      return "invalid_argument";
    case Errc::not_found:
      return "not_found";
    case Errc::out_of_range:
      return "out_of_range";
    case Errc::size_mismatch:
      return "size_mismatch";
    case Errc::decode_failed:
      return "decode_failed";
    case Errc::call_failed:
      return "call_failed";
    case Errc::host_error:
      return "host_error";
  }
  return "unknown";
}

// 2.
class Error {
 public:
  Error(Errc code, std::string message) : code_(code), message_(std::move(message)) {}

  Errc code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }

  // "<code>: <message>", the form written as a failed call's output.
  std::string describe() const {
    std::string text(to_string(code_));
    text += ": ";
    text += message_;
    return text;
  }

  friend bool operator==(const Error& a, Errc b) noexcept { return a.code_ == b; }

 private:
  Errc code_;
  std::string message_;
};

template <class T>
class Result;

namespace detail {
template <class T>
struct is_result : std::false_type {};
template <class T>
struct is_result<Result<T>> : std::true_type {};
}  // namespace detail

// 3. Result<T> holds a T or an Error. Reading the value of a failed Result is a bug, caught by FAASMJS_ASSERT.
template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T> && !std::is_same_v<std::remove_cv_t<T>, Error>,
                "Result<T> holds a value: T cannot be a reference or Error");

 public:
  Result(const T& value) : state_(std::in_place_index<0>, value) {}
  Result(T&& value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  // Lets `return x;` work where x only converts to T (a string literal for Result<std::string>, ...).
  template <class U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
           !std::is_same_v<std::remove_cvref_t<U>, Error> && !detail::is_result<std::remove_cvref_t<U>>::value)
      Result(U&& value)
      : state_(std::in_place_index<0>, std::forward<U>(value)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return *checked(); }
  const T& value() const& { return *checked(); }
  T&& value() && { return std::move(*checked()); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return checked(); }
  const T* operator->() const { return checked(); }

  template <class U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }
  template <class U>
  T value_or(U&& fallback) && {
    return ok() ? std::move(std::get<0>(state_)) : static_cast<T>(std::forward<U>(fallback));
  }

  const Error& error() const& {
    FAASMJS_ASSERT(!ok(), "Result::error() called on a successful result");
    return std::get<1>(state_);
  }
  Error error() && {
    FAASMJS_ASSERT(!ok(), "Result::error() called on a successful result");
    return std::move(std::get<1>(state_));
  }

 private:
  T* checked() {
    FAASMJS_ASSERT(ok(), "Result::value() called on an error result");
    return std::get_if<0>(&state_);
  }
  const T* checked() const {
    FAASMJS_ASSERT(ok(), "Result::value() called on an error result");
    return std::get_if<0>(&state_);
  }

  std::variant<T, Error> state_;
};

// Success without a value, or an Error. A default-constructed Status is success.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  const Error& error() const& {
    FAASMJS_ASSERT(!ok(), "Status::error() called on a successful status");
    return *error_;
  }
  Error error() && {
    FAASMJS_ASSERT(!ok(), "Status::error() called on a successful status");
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status ok() noexcept { return {}; }

}  // namespace faasmjs

// 4. Propagation: `FAASMJS_TRY(status_or_result);` returns its error from the enclosing function, and
//    `FAASMJS_TRY_ASSIGN(auto x, result);` declares x from a successful result. The enclosing function must
//    return a Result<U> or Status (both are constructible from Error).
#define FAASMJS_DETAIL_CONCAT_IMPL(a, b) a##b
#define FAASMJS_DETAIL_CONCAT(a, b) FAASMJS_DETAIL_CONCAT_IMPL(a, b)

#define FAASMJS_TRY(...)                                               \
  do {                                                                 \
    auto&& faasmjs_try_result_ = (__VA_ARGS__);                        \
    if (!faasmjs_try_result_.ok()) {                                   \
      return ::faasmjs::Error(std::move(faasmjs_try_result_).error()); \
    }                                                                  \
  } while (false)

#define FAASMJS_TRY_ASSIGN(declaration, ...) \
  FAASMJS_DETAIL_TRY_ASSIGN(FAASMJS_DETAIL_CONCAT(faasmjs_try_, __LINE__), declaration, __VA_ARGS__)

#define FAASMJS_DETAIL_TRY_ASSIGN(temporary, declaration, ...) \
  auto&& temporary = (__VA_ARGS__);                            \
  if (!temporary.ok()) {                                       \
    return ::faasmjs::Error(std::move(temporary).error());     \
  }                                                            \
  declaration = std::move(temporary).value()

#endif  // FAASMJS_ERROR_HPP
