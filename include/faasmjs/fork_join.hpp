// Fork-join over chained calls: start many, then await them all.
//
// Section map
//   1. fork<F>, fork_all<F>      chain a typed function of this binary (faasmjs/entry.hpp) by pointer
//   2. chain_all                 chain a named function once per input
//   3. join                      await every handle; all values or the first error
//
// Blocking: forking never blocks, so the calls run concurrently; join blocks until every call it was given
// has finished (in a browser it suspends the function). join awaits every handle even after a failure, so
// no call is left behind un-awaited.
#ifndef FAASMJS_FORK_JOIN_HPP
#define FAASMJS_FORK_JOIN_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "faasmjs/chain.hpp"
#include "faasmjs/entry.hpp"
#include "faasmjs/error.hpp"

namespace faasmjs {

// 1. The input is converted to F's input type first, so that what is encoded is what F decodes.
//    An F that is no typed function gets entry.hpp's static_asserts and nothing more.
template <auto F>
Call<output_of<F>> fork() {
  if constexpr (detail::typed_function_ok<F>()) {
    static_assert(std::is_void_v<input_of<F>>, "this function takes an input: fork<F>(input)");
    return chain<output_of<F>>(&entry<F>);
  } else {
    return Call<output_of<F>>(Error(Errc::invalid_argument, "not a typed function"));
  }
}

template <auto F, class Input>
Call<output_of<F>> fork(const Input& input) {
  if constexpr (detail::typed_function_ok<F>()) {
    static_assert(!std::is_void_v<input_of<F>>, "this function takes no input: fork<F>()");
    return chain<output_of<F>>(&entry<F>, static_cast<const input_of<F>&>(input));
  } else {
    return Call<output_of<F>>(Error(Errc::invalid_argument, "not a typed function"));
  }
}

template <auto F, class Inputs>
std::vector<Call<output_of<F>>> fork_all(const Inputs& inputs) {
  std::vector<Call<output_of<F>>> calls;
  for (const auto& input : inputs) {
    calls.push_back(fork<F>(input));
  }
  return calls;
}

// 2.
template <class T = Bytes, class Inputs>
std::vector<Call<T>> chain_all(std::string_view name, const Inputs& inputs) {
  std::vector<Call<T>> calls;
  for (const auto& input : inputs) {
    calls.push_back(chain<T>(name, input));
  }
  return calls;
}

// 3.
namespace detail {

inline Error join_error(std::size_t failed, std::size_t total, const Error& first) {
  if (failed == 1) {
    return first;
  }
  return Error(first.code(), std::to_string(failed) + " of " + std::to_string(total) +
                                 " chained calls failed; first: " + first.message());
}

}  // namespace detail

// Result<std::vector<T>> in the handles' order, or Status for Call<void>.
template <class T>
auto join(std::vector<Call<T>>& calls) -> std::conditional_t<std::is_void_v<T>, Status, Result<std::vector<T>>> {
  std::vector<Result<T>> results;
  results.reserve(calls.size());
  for (Call<T>& call : calls) {
    results.push_back(call.get());
  }
  std::size_t failed = 0;
  const Error* first = nullptr;
  for (const Result<T>& result : results) {
    if (!result) {
      first = failed++ == 0 ? &result.error() : first;
    }
  }
  if (first != nullptr) {
    return detail::join_error(failed, calls.size(), *first);
  }
  if constexpr (std::is_void_v<T>) {
    return {};
  } else {
    std::vector<T> values;
    values.reserve(results.size());
    for (Result<T>& result : results) {
      values.push_back(std::move(result).value());
    }
    return values;
  }
}

// Heterogeneous: join(a, b) with Call<A> a, Call<B> b gives Result<std::tuple<A, B>>.
template <class... Ts>
Result<std::tuple<Ts...>> join(Call<Ts>&... calls) {
  static_assert(sizeof...(Ts) > 0 && (!std::is_void_v<Ts> && ...),
                "join(calls...) needs handles with outputs; join a std::vector<Call<void>> instead");
  std::tuple<Result<Ts>...> results{calls.get()...};
  std::size_t failed = 0;
  const Error* first = nullptr;
  std::apply(
      [&](const auto&... result) {
        ((!result ? (first = failed++ == 0 ? &result.error() : first, void()) : void()), ...);
      },
      results);
  if (first != nullptr) {
    return detail::join_error(failed, sizeof...(Ts), *first);
  }
  return std::apply([](auto&&... result) { return std::tuple<Ts...>(std::move(result).value()...); },
                    std::move(results));
}

}  // namespace faasmjs

#endif  // FAASMJS_FORK_JOIN_HPP
