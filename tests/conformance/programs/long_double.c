/* long double through printf and strtold, as Faasm's long_double demo (faasm/cpp func/demo/long_double.cpp):
 * Faasm links -lc-printscan-long-double, so "%Lf" and "%Le" print instead of trapping. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  long double third = 1.0L / 3.0L;
  long double parsed = strtold("456e10", NULL);
  printf("%%Lf: %Lf\n", 1.23456L);
  printf("%%Le: %Le\n", third);
  printf("%%.20Lg: %.20Lg\n", third);
  printf("strtold: %Le\n", parsed);
  printf("as long long: %lld\n", (long long)parsed);
  printf("from int: %Le\n", (long double)123);
  printf("sizeof(long double): %zu\n", sizeof(long double));
  return 0;
}
