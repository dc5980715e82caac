#include <faasm/faasm.h>
#include <stdio.h>

#include <vector>

#include "faasm/core.h"

static const long chainDataLength = 3 * sizeof(int);

int chainCheckInput(int first) {
  int values[3];
  faasmGetInput(BYTES(values), chainDataLength);

  std::vector<int> actual(values, values + 3);
  std::vector<int> expected = {first, first + 1, first + 2};
  if (actual != expected) {
    printf("Unexpected chained input starting %i\n", actual[0]);
    return 1;
  }
  return 0;
}

int chainFirst() { return chainCheckInput(1); }

int chainSecond() { return chainCheckInput(2); }

int chainNestedInner() { return chainCheckInput(4); }

int chainNestedOuter() {
  if (chainCheckInput(3) != 0) {
    return 1;
  }

  int nested[3] = {4, 5, 6};
  unsigned int callId = faasmChain(chainNestedInner, BYTES(nested), chainDataLength);
  return faasmAwaitCall(callId) == 0 ? 0 : 1;
}

int main(int argc, char* argv[]) {
  FaasmFuncPtr funcs[3] = {chainFirst, chainSecond, chainNestedOuter};
  unsigned int callIds[3];

  for (int i = 0; i < 3; i++) {
    int data[3] = {i + 1, i + 2, i + 3};
    callIds[i] = faasmChain(funcs[i], BYTES(data), chainDataLength);
  }

  for (unsigned int callId : callIds) {
    if (faasmAwaitCall(callId) != 0) {
      printf("Chained call %u failed\n", callId);
      return 1;
    }
  }

  printf("%s: chained calls succeeded\n", argc > 0 ? argv[0] : "chain_demo");
  return 0;
}
