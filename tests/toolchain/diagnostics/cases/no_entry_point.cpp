// A function without FAASMJS_MAIN (or main): the link step says what to add.
// expect: undefined symbol: main
// expect: faasmjs_add_function\(no_entry_point\): the function has no entry point: add FAASMJS_MAIN
#include "faasmjs/faasmjs.hpp"

int answer() { return 42; }
