// echo: the output is the input, byte for byte; an empty input gets "Nothing to echo" (as Faasm's own demo).
//
// Bytes travel raw both ways, so any binary input comes back unchanged.
#include <faasmjs/faasmjs.hpp>
#include <string_view>

namespace {

faasmjs::Bytes echo(const faasmjs::Bytes& input) {
  if (input.empty()) {
    constexpr std::string_view nothing = "Nothing to echo";
    return {nothing.begin(), nothing.end()};
  }
  return input;
}

}  // namespace

FAASMJS_MAIN(echo)
