// A lambda's address is not a table entry the cluster can call back.
// expect: faasmjs: a typed function must be a plain function
#include "faasmjs/faasmjs.hpp"

constexpr auto answer = [] { return 42; };

FAASMJS_MAIN(answer)
