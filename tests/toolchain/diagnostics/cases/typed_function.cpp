// The control: a correct typed function builds.
#include <string>

#include "faasmjs/faasmjs.hpp"

std::string greet(const std::string& name) { return "Hello, " + name; }

FAASMJS_MAIN(greet)
