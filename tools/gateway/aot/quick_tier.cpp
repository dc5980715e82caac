// wasm2c 1.0.32 writes clz, ctz and popcnt as GCC's bit builtins whenever __GNUC__ or __clang__ is not
// _MSC_VER, and tcc, which defines neither but has no such builtins, leaves them as calls to symbols no
// library has: the module would not load. They are defined here, in portable C; the quick tier trades speed
// for compile time anyway. Their argument is never zero: wasm2c's macros test for it first.
#include "aot/quick_tier.h"

namespace faasmjs::gateway::aot {

const std::string_view kQuickTierHeader =
    R"(/* faasmjs-gateway's AOT compiler, quick tier: GCC's bit builtins for tcc (quick_tier.cpp). */
static inline int faasmjs_clz64(unsigned long long x) {
  int n = 0;
  if (!(x >> 32)) { n += 32; x <<= 32; }
  if (!(x >> 48)) { n += 16; x <<= 16; }
  if (!(x >> 56)) { n += 8; x <<= 8; }
  if (!(x >> 60)) { n += 4; x <<= 4; }
  if (!(x >> 62)) { n += 2; x <<= 2; }
  if (!(x >> 63)) { n += 1; }
  return n;
}
static inline int faasmjs_ctz64(unsigned long long x) {
  int n = 0;
  if (!(x & 0xFFFFFFFFull)) { n += 32; x >>= 32; }
  if (!(x & 0xFFFFull)) { n += 16; x >>= 16; }
  if (!(x & 0xFFull)) { n += 8; x >>= 8; }
  if (!(x & 0xFull)) { n += 4; x >>= 4; }
  if (!(x & 0x3ull)) { n += 2; x >>= 2; }
  if (!(x & 0x1ull)) { n += 1; }
  return n;
}
static inline int faasmjs_popcount64(unsigned long long x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return (int)((x * 0x0101010101010101ull) >> 56);
}
#define __builtin_clz(x) (faasmjs_clz64((unsigned long long)(unsigned)(x)) - 32)
#define __builtin_clzll(x) faasmjs_clz64((unsigned long long)(x))
#define __builtin_ctz(x) faasmjs_ctz64((unsigned long long)(unsigned)(x))
#define __builtin_ctzll(x) faasmjs_ctz64((unsigned long long)(x))
#define __builtin_popcount(x) faasmjs_popcount64((unsigned long long)(unsigned)(x))
#define __builtin_popcountll(x) faasmjs_popcount64((unsigned long long)(x))
)";

}  // namespace faasmjs::gateway::aot
