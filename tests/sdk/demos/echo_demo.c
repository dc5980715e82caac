#include <faasm/faasm.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char* argv[]) {
  (void)argc;
  (void)argv;
  long inputSize = faasmGetInputSize();

  if (inputSize == 0) {
    const char* output = "Nothing to echo";
    faasmSetOutput(output, strlen(output));
    return 0;
  }

  uint8_t* inputBuffer = malloc(inputSize * sizeof(uint8_t));
  faasmGetInput(inputBuffer, inputSize);
  faasmSetOutput((const char*)inputBuffer, inputSize);
  free(inputBuffer);

  return 0;
}
