// hello: the smallest faasm.js function. Greets whoever the input names, or Faasm when there is no input.
//
// A typed function is an ordinary C++ function; FAASMJS_MAIN makes it the entry point, reading its input
// (text, raw) and writing what it returns as the output.
#include <faasmjs/faasmjs.hpp>
#include <string>

namespace {

std::string greet(const std::string& name) { return "Hello " + (name.empty() ? std::string("Faasm") : name) + "!"; }

}  // namespace

FAASMJS_MAIN(greet)
