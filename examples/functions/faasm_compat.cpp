// faasm_compat: a function written only against Faasm's C API (<faasm/faasm.h>, <faasm/input.h>), the way
// Faasm's own demos are, to show that such sources build unmodified with faasm.js.
//
// It chains `doubler` by pointer with each number of its input ("1 2 3" by default), reads every callee's
// output with faasmAwaitCallOutput (host-allocated, freed here), appends the results to an append log,
// keeps their sum in a state value, and outputs "sum of doubles: N".
#include <faasm/faasm.h>
#include <faasm/input.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>

#define SUM_KEY "faasm_compat_sum"
#define LOG_KEY "faasm_compat_log"
#define MAX_NUMBERS 8

int doubler() {
  int value = faasm::getIntInput();
  std::string result = std::to_string(2 * value);
  faasm::setStringOutput(result.c_str());
  return 0;
}

int main() {
  // getStringInput allocates a copy of a real input (never of the default), which is ours to free.
  bool hasInput = faasmGetInputSize() > 0;
  const char* input = faasm::getStringInput("1 2 3");
  int* numbers = faasm::parseStringToIntArray(input, MAX_NUMBERS);
  if (hasInput) {
    delete[] input;
  }

  unsigned int callIds[MAX_NUMBERS];
  int nCalls = 0;
  for (int i = 0; i < MAX_NUMBERS && numbers[i] != 0; i++) {
    std::string arg = std::to_string(numbers[i]);
    callIds[nCalls++] = faasmChain(doubler, reinterpret_cast<const uint8_t*>(arg.c_str()), arg.size());
  }
  delete[] numbers;

  faasmClearAppendedState(LOG_KEY);
  long sum = 0;
  for (int i = 0; i < nCalls; i++) {
    char* output;
    int outputLen;
    unsigned int result = faasmAwaitCallOutput(callIds[i], &output, &outputLen);
    if (result != 0) {
      printf("Chained call %u failed\n", callIds[i]);
      free(output);
      return 1;
    }
    std::string text(output, output + outputLen);
    free(output);

    long doubled = strtol(text.c_str(), nullptr, 10);
    faasmAppendState(LOG_KEY, BYTES(&doubled), sizeof(long));
    sum += doubled;
  }

  long logged[MAX_NUMBERS];
  faasmReadAppendedState(LOG_KEY, BYTES(logged), sizeof(logged), nCalls);
  long logSum = 0;
  for (int i = 0; i < nCalls; i++) {
    logSum += logged[i];
  }

  faasmWriteState(SUM_KEY, BYTES(&sum), sizeof(long));
  faasmPushState(SUM_KEY);
  long readBack = 0;
  faasmReadState(SUM_KEY, BYTES(&readBack), sizeof(long));

  if (logSum != sum || readBack != sum) {
    printf("Sums differ: %li %li %li\n", sum, logSum, readBack);
    return 1;
  }

  std::string output = "sum of doubles: " + std::to_string(sum);
  faasm::setStringOutput(output.c_str());
  return 0;
}
