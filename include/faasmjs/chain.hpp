// Chained calls: start another function (by name, or by pointer into this same binary) and await it later
// through a typed handle.
//
// Section map
//   1. FunctionPtr, Reply    what a pointer-chained function looks like; a finished call's raw answer
//   2. Call<T>               the handle: id(), reply(), get()
//   3. chain                 by name or by function pointer, with or without input
//
// Blocking: chain() never blocks (the host returns an id at once, so many calls overlap); Call::get() and
// Call::reply() block until the call has finished (in a browser they suspend the function, never the page).
//
// A pointer-chained call runs in a fresh instance of this binary, never in the caller's memory: pass
// everything it needs as input. Faasm's WAMR runtime reports 0 as the return value of every pointer-chained
// call, so on WAMR a failure shows only in the output.
//
// Ownership: chain() copies its input. The host allocates a finished call's output inside this module with
// its exported malloc; reply() copies it into the Reply and frees it.
#ifndef FAASMJS_CHAIN_HPP
#define FAASMJS_CHAIN_HPP

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "faasmjs/bytes.hpp"
#include "faasmjs/codec.hpp"
#include "faasmjs/detail/abi_args.hpp"
#include "faasmjs/detail/host_abi.h"
#include "faasmjs/error.hpp"
#include "faasmjs/output_encoding.hpp"

namespace faasmjs {

// 1. The same type as Faasm's FaasmFuncPtr.
using FunctionPtr = int (*)();

struct Reply {
  int return_value = 0;
  Bytes output;

  bool ok() const noexcept { return return_value == 0; }
  std::string_view output_text() const noexcept { return as_chars(output); }
};

namespace detail {

struct FreeDeleter {
  void operator()(char* pointer) const noexcept { std::free(pointer); }
};

inline Reply await_reply(unsigned id) {
  char* output = nullptr;
  int length = 0;
  Reply reply;
  reply.return_value = __faasm_await_call_output(id, &output, &length);
  const std::unique_ptr<char, FreeDeleter> owned(output);
  if (output != nullptr && length > 0) {
    reply.output.assign(output, output + length);
  }
  return reply;
}

// A failed call's output is usually its error text; enough of it is kept to say why. The cut falls on a UTF-8
// character boundary, so that quoting valid UTF-8 keeps the message valid UTF-8 (on Faasm, where it may become
// an output, anything else kills the planner: faasmjs/output_encoding.hpp).
inline Error call_failed(unsigned id, const std::string& target, int return_value, std::string_view output) {
  std::size_t kept = 256;
  while (kept < output.size() && (static_cast<unsigned char>(output[kept]) & 0xC0) == 0x80) {
    kept--;
  }
  std::string message =
      "chained call " + std::to_string(id) + " (" + target + ") returned " + std::to_string(return_value);
  if (!output.empty()) {
    message += ": ";
    message += output.substr(0, kept);
    if (output.size() > kept) {
      message += "...";
    }
  }
  return Error(Errc::call_failed, std::move(message));
}

}  // namespace detail

// 2. T is what the callee's output decodes to (faasmjs/output_encoding.hpp: text and bytes raw, other types
//    UTF-8-safe cereal, as set_output writes them); Call<void> ignores the output.
//    Move-only: one handle owns the await. A refused chain (bad name, no function) never reached the host:
//    its handle reports the reason from get() and reply().
template <class T = Bytes>
class [[nodiscard]] Call {
 public:
  Call(unsigned id, std::string target) : id_(id), target_(std::move(target)) {}
  explicit Call(Error refused) : target_("refused"), refused_(std::move(refused)) {}

  Call(Call&&) noexcept = default;
  Call& operator=(Call&&) noexcept = default;
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  unsigned id() const noexcept { return id_; }
  bool started() const noexcept { return !refused_.has_value(); }
  const std::string& target() const noexcept { return target_; }

  // Awaits the call once; later calls return the same answer without asking the host again.
  Result<Reply> reply() {
    if (refused_) {
      return *refused_;
    }
    return awaited();
  }

  // The call's output as T, or Errc::call_failed (non-zero return) or Errc::decode_failed.
  Result<T> get() {
    if (refused_) {
      return *refused_;
    }
    if constexpr (std::is_void_v<T>) {
      // Without a use for the output, the plain await spares the host copying it in.
      const int return_value = reply_ ? reply_->return_value : awaited_return_value();
      if (return_value != 0) {
        return detail::call_failed(id_, target_, return_value, reply_ ? reply_->output_text() : "");
      }
      return {};
    } else {
      const Reply& answer = awaited();
      if (!answer.ok()) {
        return detail::call_failed(id_, target_, answer.return_value, answer.output_text());
      }
      Result<T> value = decode_output<T>(answer.output);
      if (!value) {
        return Error(Errc::decode_failed, "output of chained call " + std::to_string(id_) + " (" + target_ +
                                              "): " + value.error().message());
      }
      return value;
    }
  }

 private:
  const Reply& awaited() {
    if (!reply_) {
      reply_ = detail::await_reply(id_);
    }
    return *reply_;
  }

  int awaited_return_value() {
    if (!return_value_) {
      return_value_ = __faasm_await_call(id_);
    }
    return *return_value_;
  }

  unsigned id_ = 0;
  std::string target_;
  std::optional<Error> refused_;
  std::optional<Reply> reply_;
  std::optional<int> return_value_;
};

// 3.
namespace detail {

inline Result<long> chain_input_length(ByteView input) { return abi_length(input.size(), "chained call input"); }

template <class T>
Call<T> chain_name_bytes(std::string_view name, ByteView input) {
  if (name.empty() || name.find('\0') != std::string_view::npos) {
    return Call<T>(Error(Errc::invalid_argument, "chained function name " + quoted(name) + " is not valid"));
  }
  const Result<long> length = chain_input_length(input);
  if (!length) {
    return Call<T>(length.error());
  }
  const std::string terminated(name);
  const unsigned id = __faasm_chain_name(terminated.c_str(), input.data(), *length);
  return Call<T>(id, terminated);
}

template <class T>
Call<T> chain_pointer_bytes(FunctionPtr function, ByteView input) {
  if (function == nullptr) {
    return Call<T>(Error(Errc::invalid_argument, "chained function pointer is null"));
  }
  const Result<long> length = chain_input_length(input);
  if (!length) {
    return Call<T>(length.error());
  }
  const unsigned id = __faasm_chain_ptr(function, input.data(), *length);
  return Call<T>(id, "function pointer");
}

}  // namespace detail

// By name: another function of the same user, deployed as `name`.
template <class T = Bytes>
Call<T> chain(std::string_view name) {
  return detail::chain_name_bytes<T>(name, {});
}

template <class T = Bytes, class Input>
Call<T> chain(std::string_view name, const Input& input) {
  const Bytes bytes = encode(input);
  return detail::chain_name_bytes<T>(name, bytes);
}

// By pointer: a function `int f()` of this same binary (it reads its own input with faasmjs::input<...>()).
template <class T = Bytes>
Call<T> chain(FunctionPtr function) {
  return detail::chain_pointer_bytes<T>(function, {});
}

template <class T = Bytes, class Input>
Call<T> chain(FunctionPtr function, const Input& input) {
  const Bytes bytes = encode(input);
  return detail::chain_pointer_bytes<T>(function, bytes);
}

}  // namespace faasmjs

#endif  // FAASMJS_CHAIN_HPP
