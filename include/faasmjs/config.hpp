// faasm.js SDK configuration: every macro a user may define before including any faasm.js header.
//
// Section map
//   1. FAASMJS_WITH_CEREAL       structured values through cereal
//   2. FAASMJS_ASSERT            what a broken precondition does
//   3. FAASMJS_ERROR_OUTPUT      whether a failing typed entry writes its error as output
//
// Each macro is guarded with #ifndef, so a definition on the command line (-DFAASMJS_...) or before the first
// include wins. Define them identically in every translation unit of a function: they change inline code.
// docs/sdk-reference.md#configuration lists them with their effects.
#ifndef FAASMJS_CONFIG_HPP
#define FAASMJS_CONFIG_HPP

// 1. Structured values (faasmjs/serialization.hpp, and the default Codec of faasmjs/codec.hpp) need cereal's
//    headers. Detected by default so that a function using only bytes and strings builds without cereal;
//    define to 0 to keep cereal out even where it is installed.
#ifndef FAASMJS_WITH_CEREAL
#if __has_include(<cereal/cereal.hpp>)
#define FAASMJS_WITH_CEREAL 1
#else
#define FAASMJS_WITH_CEREAL 0
#endif
#endif

// 2. Misuse the SDK cannot turn into an error value (reading the value of a failed Result) ends the
//    function: functions run without exceptions, and carrying on would read garbage. The default prints the
//    message to stderr and aborts, which every host reports as a failed call. Redefine to route it
//    elsewhere; it must not return.
#ifndef FAASMJS_ASSERT
#define FAASMJS_ASSERT(condition, message) \
  ((condition) ? static_cast<void>(0) : ::faasmjs::detail::assert_failed(message, __FILE__, __LINE__))
#endif

// 3. faasmjs::entry<F> (and FAASMJS_MAIN) report a failed typed function by returning 1. With this on (the
//    default) they also write the error's text as the call's output, so a browser caller sees why. Faasm
//    itself replaces the output of any failed call with "Call failed (return value=N)", so the text only
//    survives on faasm.js hosts. Define to 0 to leave the output untouched.
#ifndef FAASMJS_ERROR_OUTPUT
#define FAASMJS_ERROR_OUTPUT 1
#endif

#include <cstdio>
#include <cstdlib>

namespace faasmjs::detail {

[[noreturn]] inline void assert_failed(const char* message, const char* file, int line) noexcept {
  // fputs rather than printf: the assertion must not pull printf's formatting code into every binary.
  std::fputs("faasm.js: ", stderr);
  std::fputs(message, stderr);
  std::fputs(" (", stderr);
  std::fputs(file, stderr);
  char digits[16];
  int n = 0;
  for (unsigned value = line > 0 ? static_cast<unsigned>(line) : 0u; n == 0 || value != 0; value /= 10) {
    digits[n++] = static_cast<char>('0' + value % 10);
  }
  std::fputc(':', stderr);
  while (n > 0) {
    std::fputc(digits[--n], stderr);
  }
  std::fputs(")\n", stderr);
  std::abort();
}

}  // namespace faasmjs::detail

#endif  // FAASMJS_CONFIG_HPP
