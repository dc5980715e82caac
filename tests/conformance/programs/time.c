/* Clocks (faasm/cpp func/demo/time.cpp, gettime.cpp, time_of_day.cpp): the monotonic clock advances, the
 * realtime clock, time() and gettimeofday() agree on a plausible date, and clock() counts. Times
 * themselves differ on every run, so only facts about them are printed. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#define YEAR_2024 1704067200LL
#define YEAR_2100 4102444800LL

static long long nanoseconds(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
  struct timespec before;
  struct timespec after;
  clock_gettime(CLOCK_MONOTONIC, &before);
  volatile unsigned long spin = 0;
  for (unsigned long i = 0; i < 20000000UL; i++) {
    spin += i;
  }
  clock_gettime(CLOCK_MONOTONIC, &after);
  printf("monotonic clock advances: %s\n", nanoseconds(after) > nanoseconds(before) ? "yes" : "no");

  struct timespec realtime;
  clock_gettime(CLOCK_REALTIME, &realtime);
  const time_t now = time(NULL);
  struct timeval of_day;
  gettimeofday(&of_day, NULL);
  printf("time() after 2024 and before 2100: %s\n",
         (long long)now > YEAR_2024 && (long long)now < YEAR_2100 ? "yes" : "no");
  printf("realtime within 2 s of time(): %s\n",
         realtime.tv_sec - now <= 2 && now - realtime.tv_sec <= 2 ? "yes" : "no");
  printf("gettimeofday within 2 s of time(): %s\n",
         of_day.tv_sec - now <= 2 && now - of_day.tv_sec <= 2 ? "yes" : "no");
  printf("gettimeofday microseconds below 1000000: %s\n",
         of_day.tv_usec >= 0 && of_day.tv_usec < 1000000 ? "yes" : "no");

  struct tm utc;
  gmtime_r(&now, &utc);
  printf("gmtime year after 2023: %s\n", utc.tm_year + 1900 > 2023 ? "yes" : "no");
  printf("clock() not negative: %s\n", clock() >= 0 ? "yes" : "no");
  return 0;
}
