#include <faasm/faasm.h>

#include <string>
#include <vector>

int demoNamedCallee() {
  long size = faasmGetInputSize();
  std::vector<uint8_t> input(size);
  faasmGetInput(input.data(), size);

  std::vector<uint8_t> a = {0, 1, 2};
  std::vector<uint8_t> b = {3, 4, 5};
  return (input == a || input == b) ? 0 : 1;
}

bool callNamed(const std::string& name, std::vector<uint8_t> input) {
  unsigned int callId = faasmChainNamed(name.c_str(), input.data(), input.size());
  return faasmAwaitCall(callId) == 0;
}

int main() {
  bool success = true;
  success &= callNamed("demo_named_callee", {0, 1, 2});
  success &= callNamed("demo_named_callee", {3, 4, 5});
  success &= !callNamed("demo_named_callee", {6, 7});
  return success ? 0 : 1;
}
