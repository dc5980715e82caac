// Forking a function of two parameters reports the same mistake as its entry point would.
// expect: faasmjs: a typed function must be a plain function `Out f\(\)` or `Out f\(In\)`
#include "faasmjs/faasmjs.hpp"

int add(int a, int b) { return a + b; }

int twice() { return faasmjs::fork<add>(1).get().ok() ? 0 : 1; }

FAASMJS_MAIN(twice)
