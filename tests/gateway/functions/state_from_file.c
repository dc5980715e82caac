// __faasm_write_state_from_file (WAVM's host interface; Faasm's WAMR backend does not link it): writes the
// file named by the input into state key "from_file", then reads the value back. Output
// "length=N value=[...]". For gateway.worker.files.
#include <stdio.h>
#include <string.h>

#include "faasmjs/detail/host_abi.h"

int main(void) {
  char path[128] = {0};
  __faasm_read_input((unsigned char*)path, sizeof(path) - 1);
  const unsigned int length = __faasm_write_state_from_file("from_file", path);
  unsigned char value[128] = {0};
  __faasm_read_state("from_file", value, length < sizeof(value) ? length : sizeof(value) - 1);
  char out[256];
  const int n = snprintf(out, sizeof out, "length=%u value=[%s]", length, (const char*)value);
  __faasm_write_output(out, n);
  return 0;
}
