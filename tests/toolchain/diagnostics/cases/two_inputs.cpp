// Two parameters: a typed function takes one input.
// expect: faasmjs: a typed function must be a plain function `Out f\(\)` or `Out f\(In\)`
// expect: pass several values as one struct
#include "faasmjs/faasmjs.hpp"

int add(int a, int b) { return a + b; }

FAASMJS_MAIN(add)
