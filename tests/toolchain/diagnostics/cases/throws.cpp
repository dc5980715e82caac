// A throw fails at build time (no Faasm host can run it), not as a trap at run time.
// expect: cannot use 'throw' with exceptions disabled
#include <stdexcept>

#include "faasmjs/faasmjs.hpp"

int half(int value) {
  if (value % 2 != 0) {
    throw std::invalid_argument("odd value");
  }
  return value / 2;
}

FAASMJS_MAIN(half)
