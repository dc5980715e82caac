/* nanosleep, clock_nanosleep (and so usleep and sleep): one WASI poll_oneoff clock subscription, as in
 * wasi-libc. Emscripten 3.1.6 busy-waits instead, on a millisecond clock built from clock(), which overflows
 * after about 2 s and so never reaches the deadline of a longer sleep. */
#include <errno.h>
#include <time.h>
#include <wasi/api.h>

int __clock_nanosleep(clockid_t clock, int flags, const struct timespec* request, struct timespec* remaining) {
  (void)remaining;
  if (request == NULL || request->tv_nsec < 0 || request->tv_nsec >= 1000000000L || request->tv_sec < 0) {
    return EINVAL;
  }
  if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC) {
    return EINVAL;
  }
  __wasi_subscription_t subscription = {
      .type = __WASI_EVENTTYPE_CLOCK,
      .u.clock =
          {
              .id = (__wasi_clockid_t)clock,
              .timeout = (__wasi_timestamp_t)request->tv_sec * 1000000000ULL + (__wasi_timestamp_t)request->tv_nsec,
              .flags = (flags & TIMER_ABSTIME) ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0,
          },
  };
  __wasi_event_t event;
  __wasi_size_t events;
  __wasi_errno_t error = __wasi_poll_oneoff(&subscription, &event, 1, &events);
  if (error != __WASI_ERRNO_SUCCESS) {
    return error;
  }
  return event.error;
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec* request, struct timespec* remaining)
    __attribute__((alias("__clock_nanosleep")));

int nanosleep(const struct timespec* request, struct timespec* remaining) {
  int error = __clock_nanosleep(CLOCK_REALTIME, 0, request, remaining);
  if (error != 0) {
    errno = error;
    return -1;
  }
  return 0;
}
