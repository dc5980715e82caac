// The input by mutable reference: the SDK owns the decoded value.
// expect: faasmjs: a typed function takes its input by value or by const reference
#include <string>

#include "faasmjs/faasmjs.hpp"

std::string shout(std::string& text) {
  text += "!";
  return text;
}

FAASMJS_MAIN(shout)
