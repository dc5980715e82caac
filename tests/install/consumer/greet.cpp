// A typed function using a structured value, so that the installed package must also bring cereal along.
#include <faasmjs/faasmjs.hpp>
#include <string>
#include <vector>

namespace {

std::string greet(const std::vector<std::string>& names) {
  std::string greeting = "Hello";
  for (const std::string& name : names) {
    greeting += " " + name;
  }
  return greeting;
}

}  // namespace

FAASMJS_MAIN(greet)
