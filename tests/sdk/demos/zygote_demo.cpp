#include <stdio.h>

#include "faasm/faasm.h"

int demoGlobalA = 0;
int demoGlobalB = 2;

FAASM_ZYGOTE() {
  demoGlobalA += 5;
  demoGlobalB += 100;
  return 0;
}

int main() {
  unsigned int on = getConfFlag("ALWAYS_ON");
  unsigned int off = getConfFlag("ALWAYS_OFF");
  if (on != 1 || off != 0) {
    printf("Unexpected conf flags %u %u\n", on, off);
    return 1;
  }

  if (demoGlobalA == 5 && demoGlobalB == 102) {
    return 0;
  }
  printf("Zygote did not run\n");
  return 1;
}
