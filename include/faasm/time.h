/*
 * Faasm's timing helpers (libfaasm's <faasm/time.h>), header-only.
 *
 * FAASM_PROF_START(name) / FAASM_PROF_END(name) print "TIME: name <ms>" measured with clock(), natively or
 * when WASM_PROF is 1; in other wasm builds they expand to nothing, as in libfaasm.
 */
#ifndef FAASM_TIME_H
#define FAASM_TIME_H

#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#if (defined(WASM_PROF) && WASM_PROF == 1) || !defined(__wasm__)
#define FAASM_PROF_START(profVar) clock_t profVar = clock();
#define FAASM_PROF_END(profVar)                                            \
  float diff_##profVar = ((clock() - profVar) * 1000.0f) / CLOCKS_PER_SEC; \
  printf("TIME: %s %f\n", #profVar, diff_##profVar);
#else
#define FAASM_PROF_START(profVar)
#define FAASM_PROF_END(profVar)
#endif

namespace faasm {

// Wall-clock seconds since the Unix epoch, with microseconds.
inline double getSecondsSinceEpoch() {
  struct timeval now {};
  gettimeofday(&now, nullptr);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_usec) / 1e6;
}

}  // namespace faasm

#endif /* FAASM_TIME_H */
