// Typed entry points: write a function as `Out f(In)` and let the SDK read its input, write its output and
// turn errors into a failed call.
//
// Section map
//   1. Signatures            what F may look like
//   2. exit_code             a Status as a return value (writing the error as output)
//   3. entry<F>              an `int()` entry for F: the pointer to chain, or what main returns
//   4. FAASMJS_MAIN, FAASMJS_ZYGOTE
//
// 1. F is a function (not a lambda or functor: its address becomes a table entry) taking nothing or one
//    input value (by value or const reference), and returning one of:
//      void, Status                 no output
//      Out, Result<Out>             Out written as output through its Codec (text and bytes raw, other
//                                   types UTF-8-safe: faasmjs/output_encoding.hpp)
//    Malformed input, a failed Result or a failed Status make the call return 1; with FAASMJS_ERROR_OUTPUT
//    the error's text becomes the output.
#ifndef FAASMJS_ENTRY_HPP
#define FAASMJS_ENTRY_HPP

#include <type_traits>
#include <utility>

#include "faasmjs/config.hpp"
#include "faasmjs/error.hpp"
#include "faasmjs/io.hpp"

namespace faasmjs {

namespace detail {

// Pure traits, so that a wrong F reaches entry<F>'s static_asserts instead of an undefined template.
template <class F>
struct signature {
  static constexpr bool callable = false;
  static constexpr bool input_owned = true;
  using result = void;
  using input = void;
};
template <class R>
struct signature<R (*)()> {
  static constexpr bool callable = true;
  static constexpr bool input_owned = true;
  using result = R;
  using input = void;
};
template <class R>
struct signature<R (*)() noexcept> : signature<R (*)()> {};
template <class R, class A>
struct signature<R (*)(A)> {
  static constexpr bool callable = true;
  // By value or by const reference: the SDK decodes the input into a value it then hands over.
  static constexpr bool input_owned = !std::is_reference_v<A> || std::is_const_v<std::remove_reference_t<A>>;
  using result = R;
  using input = std::remove_cvref_t<A>;
};
template <class R, class A>
struct signature<R (*)(A) noexcept> : signature<R (*)(A)> {};

// The mistakes a typed function can make, each a static_assert that names it; true when there is none. Its
// callers compile nothing more for an F that fails, so that only these messages speak.
template <auto F>
constexpr bool typed_function_ok() {
  using Traits = signature<decltype(F)>;
  static_assert(Traits::callable,
                "faasmjs: a typed function must be a plain function `Out f()` or `Out f(In)` (one input at "
                "most; not a lambda, functor or member function): pass several values as one struct");
  static_assert(Traits::input_owned,
                "faasmjs: a typed function takes its input by value or by const reference, not by mutable "
                "reference");
  return Traits::callable && Traits::input_owned;
}

template <class R>
struct unwrap_result {
  using type = R;
};
template <class U>
struct unwrap_result<Result<U>> {
  using type = U;
};

}  // namespace detail

// The input type F decodes (void if none) and the output type a caller of F decodes (void if none).
template <auto F>
using input_of = typename detail::signature<decltype(F)>::input;
template <auto F>
using output_of = typename detail::unwrap_result<typename detail::signature<decltype(F)>::result>::type;

// 2.
inline int exit_code(const Status& status) {
  if (status) {
    return 0;
  }
#if FAASMJS_ERROR_OUTPUT
  set_output(status.error().describe());
#endif
  return 1;
}

namespace detail {

template <class R>
int finish(R&& result) {
  using Plain = std::remove_cvref_t<R>;
  if constexpr (std::is_same_v<Plain, Status>) {
    return exit_code(result);
  } else if constexpr (is_result<Plain>::value) {
    if (!result) {
      return exit_code(std::forward<R>(result).error());
    }
    set_output(*result);
    return 0;
  } else {
    set_output(result);
    return 0;
  }
}

}  // namespace detail

// 3.
template <auto F>
int entry() {
  using Traits = detail::signature<decltype(F)>;
  using R = typename Traits::result;
  using In = typename Traits::input;
  if constexpr (!detail::typed_function_ok<F>()) {
    return 1;
  } else if constexpr (std::is_void_v<In>) {
    if constexpr (std::is_void_v<R>) {
      F();
      return 0;
    } else {
      return detail::finish(F());
    }
  } else {
    Result<In> in = input<In>();
    if (!in) {
      return exit_code(Error(Errc::decode_failed, "input: " + in.error().message()));
    }
    if constexpr (std::is_void_v<R>) {
      F(std::move(*in));
      return 0;
    } else {
      return detail::finish(F(std::move(*in)));
    }
  }
}

}  // namespace faasmjs

// 4. `FAASMJS_MAIN(greet)` makes greet the function's entry point.
#define FAASMJS_MAIN(function) \
  int main() { return ::faasmjs::entry<function>(); }

// Runs once per instance, before the first call, as on Faasm (the build provides a default that does
// nothing); its non-zero return fails the instance. Usage: `FAASMJS_ZYGOTE() { ...; return 0; }`.
#define FAASMJS_ZYGOTE() extern "C" int _faasm_zygote()

#endif  // FAASMJS_ENTRY_HPP
