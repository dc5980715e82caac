// Clocks, sleeping and randomness: values differ from run to run, so only their relations are printed.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int64_t ns(clockid_t id) {
  struct timespec t;
  if (clock_gettime(id, &t) != 0) return -1;
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int main(void) {
  time_t now = time(NULL);
  int64_t real = ns(CLOCK_REALTIME);
  printf("realtime agrees with time(): %d\n", real / 1000000000 - now <= 1 && real / 1000000000 >= now);
  printf("realtime after 2020: %d\n", now > 1577836800);

  int64_t last = ns(CLOCK_MONOTONIC);
  int monotonic = last >= 0;
  for (int i = 0; i < 1000; i++) {
    int64_t t = ns(CLOCK_MONOTONIC);
    monotonic &= t >= last;
    last = t;
  }
  printf("monotonic never goes back: %d\n", monotonic);

  struct timespec resolution;
  printf("clock_getres: %d\n", clock_getres(CLOCK_MONOTONIC, &resolution) == 0 && resolution.tv_sec == 0);
  printf("process cputime readable: %d\n", ns(CLOCK_PROCESS_CPUTIME_ID) >= 0);
  printf("clock() readable: %d\n", clock() != (clock_t)-1);

  int64_t before = ns(CLOCK_MONOTONIC);
  struct timespec nap = {0, 20 * 1000000};
  int slept = nanosleep(&nap, NULL) == 0;
  printf("nanosleep 20 ms: %d, monotonic moved by at least that: %d\n", slept,
         ns(CLOCK_MONOTONIC) - before >= 20 * 1000000);
  before = ns(CLOCK_MONOTONIC);
  usleep(5000);
  printf("usleep 5 ms seen: %d\n", ns(CLOCK_MONOTONIC) - before >= 5 * 1000000);

  unsigned char bytes[64] = {0};
  int got = getentropy(bytes, sizeof bytes) == 0;
  int nonzero = 0;
  for (unsigned i = 0; i < sizeof bytes; i++) nonzero += bytes[i] != 0;
  printf("getentropy: %d, mostly non-zero: %d\n", got, nonzero > 32);
  unsigned seed;
  getentropy(&seed, sizeof seed);
  srand(seed);
  int in_range = 1;
  for (int i = 0; i < 100; i++) in_range &= rand() >= 0 && rand() <= RAND_MAX;
  printf("rand seeded from getentropy in range: %d\n", in_range);
  return 0;
}
