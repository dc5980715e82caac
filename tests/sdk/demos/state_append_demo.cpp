#include <faasm/faasm.h>
#include <faasm/input.h>
#include <stdio.h>

#include <string>

#define DEMO_APPEND_KEY "demo_append"

int demoAppender() {
  int count = faasm::getIntInput();
  if (count == 0) {
    printf("Append count was zero\n");
    return 1;
  }

  for (long i = 0; i < count; i++) {
    faasmAppendState(DEMO_APPEND_KEY, BYTES(&i), sizeof(long));
  }
  return 0;
}

int main() {
  faasmClearAppendedState(DEMO_APPEND_KEY);

  std::string countA = "100";
  std::string countB = "200";
  unsigned int callIdA = faasmChain(demoAppender, reinterpret_cast<const uint8_t*>(countA.c_str()), countA.size());
  unsigned int callIdB = faasmChain(demoAppender, reinterpret_cast<const uint8_t*>(countB.c_str()), countB.size());

  if (faasmAwaitCall(callIdA) != 0 || faasmAwaitCall(callIdB) != 0) {
    printf("Chained call failed\n");
    return 1;
  }

  long nElems = 300;
  long* buffer = new long[nElems];
  faasmReadAppendedState(DEMO_APPEND_KEY, BYTES(buffer), nElems * sizeof(long), nElems);

  long actualSum = 0;
  for (long i = 0; i < nElems; i++) {
    actualSum += buffer[i];
  }
  delete[] buffer;

  long expectedSum = (99 * 100) / 2 + (199 * 200) / 2;
  return actualSum == expectedSum ? 0 : 1;
}
