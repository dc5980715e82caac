// A `throw` must link and become a call to the host's `env.__cxa_throw`, which traps, as on Faasm.
#include <stdexcept>

int checkedHalf(int value) {
  if (value % 2 != 0) {
    throw std::invalid_argument("odd value");
  }
  return value / 2;
}

int main(int argc, char**) { return checkedHalf(argc); }
