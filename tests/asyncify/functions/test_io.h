// What every asyncify test function shares: a number as input and one line of text as output, through the
// raw host ABI, so that the tests exercise the transform and not the SDK.
#ifndef FAASMJS_TESTS_ASYNCIFY_TEST_IO_H
#define FAASMJS_TESTS_ASYNCIFY_TEST_IO_H

#include <faasmjs/detail/host_abi.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

inline int inputNumber() {
  unsigned char buffer[16] = {};
  const long length = __faasm_read_input(buffer, sizeof buffer - 1);
  return length > 0 ? std::atoi(reinterpret_cast<const char*>(buffer)) : 0;
}

__attribute__((format(printf, 1, 2))) inline void outputLine(const char* format, ...) {
  char line[256];
  va_list arguments;
  va_start(arguments, format);
  const int length = std::vsnprintf(line, sizeof line, format, arguments);
  va_end(arguments);
  __faasm_write_output(line, length < 0 ? 0 : length);
}

#endif
