/* The call's return value is main's: 3 here, with the output printed before it flushed. */
#include <stdio.h>

int main(void) {
  printf("returning 3\n");
  return 3;
}
