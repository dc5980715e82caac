// Errors as values: every stage of the tool returns a Result, and only main() turns an error into a message
// and an exit code, so no stage can abort the process half-way through writing its output.
#ifndef FAASMJS_ASYNCIFY_RESULT_H
#define FAASMJS_ASYNCIFY_RESULT_H

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace faasmjs::asyncify {

// One line, naming the culprit (a file, a function, an option), without a trailing newline.
struct Error {
  std::string message;
};

template <class T = std::monostate>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  explicit operator bool() const { return std::holds_alternative<T>(state_); }

  T& operator*() {
    assert(*this);
    return std::get<T>(state_);
  }
  const T& operator*() const {
    assert(*this);
    return std::get<T>(state_);
  }
  T* operator->() { return &**this; }
  const T* operator->() const { return &**this; }

  const Error& error() const {
    assert(!*this);
    return std::get<Error>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

using Status = Result<>;

inline Status ok() { return std::monostate{}; }

}  // namespace faasmjs::asyncify

#endif
