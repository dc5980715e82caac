// files_state_from_file: __faasm_write_state_from_file writes a file of the runtime root (seeded before the
// call) as a state value and returns its length; the value reads back with __faasm_read_state.
#include <faasm/host_interface.h>
#include <stdio.h>

int main(void) {
  unsigned length = __faasm_write_state_from_file("files_state_from_file", "/tmp/state_source.txt");
  printf("length %u\n", length);
  unsigned char value[64] = {0};
  long read = __faasm_read_state("files_state_from_file", value, (long)length);
  printf("read %ld: [%s]\n", read, (const char*)value);
  return 0;
}
