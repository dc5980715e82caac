#include <faasm/faasm.h>
#include <faasm/input.h>
#include <stdio.h>
#include <stdlib.h>

#include <string>

int outputShort() {
  std::string output = "short one";
  faasmSetOutput(output.c_str(), output.size());
  return 0;
}

int outputLonger() {
  std::string output = "a somewhat longer output";
  faasmSetOutput(output.c_str(), output.size());
  return 0;
}

static std::string awaitOutput(unsigned int callId, unsigned int* result) {
  char* buffer;
  int bufferSize;
  *result = faasmAwaitCallOutput(callId, &buffer, &bufferSize);
  std::string output(buffer, buffer + bufferSize);
  free(buffer);
  return output;
}

int main() {
  unsigned int callIdA = faasmChain(outputShort, nullptr, 0);
  unsigned int callIdB = faasmChain(outputLonger, nullptr, 0);

  unsigned int resultA;
  unsigned int resultB;
  std::string actualA = awaitOutput(callIdA, &resultA);
  std::string actualB = awaitOutput(callIdB, &resultB);

  if (resultA != 0 || resultB != 0) {
    printf("Chained calls failed: %u %u\n", resultA, resultB);
    return 1;
  }
  if (actualA != "short one" || actualB != "a somewhat longer output") {
    printf("Unexpected outputs: %s / %s\n", actualA.c_str(), actualB.c_str());
    return 1;
  }

  faasm::setStringOutput("outputs as expected");
  return 0;
}
