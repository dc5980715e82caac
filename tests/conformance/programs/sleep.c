/* Sleeping (faasm/cpp func/demo/sleep_short.cpp, sleep_long.cpp): nanosleep, usleep and sleep each take at
 * least the time asked for, measured on the monotonic clock. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void report(const char* what, long long start, long long asked_ns, int result) {
  const long long took = now_ns() - start;
  printf("%s returned %d, slept at least %lld ms: %s\n", what, result, asked_ns / 1000000,
         took >= asked_ns ? "yes" : "no");
}

int main(void) {
  long long start = now_ns();
  const struct timespec tenth = {0, 100000000L};
  report("nanosleep(100 ms)", start, 100000000LL, nanosleep(&tenth, NULL));

  start = now_ns();
  report("usleep(50000)", start, 50000000LL, usleep(50000));

  start = now_ns();
  report("sleep(1)", start, 1000000000LL, (int)sleep(1));
  return 0;
}
