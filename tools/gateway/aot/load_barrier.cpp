// Why an empty asm sits in every wasm load, and why the compiler changes its operand's register class.
//
// A wasm load traps when it is out of bounds, even when its value is never used (`i32.load` then `drop`).
// wasm2c's default runtime checks bounds with guard pages: the load helpers do no check of their own
// (MEMCHECK is empty) and an out-of-bounds access faults into the runtime's SIGSEGV handler. A C compiler
// deletes a load whose value is unused, and with it the fault, so wasm2c 1.0.32 ends each helper with
//
//     wasm_asm("" ::"r"(result));   // an asm that "uses" the value: the load must happen
//
// The "r" asks for a general-purpose register, for f32 and f64 too: every float load then pays a move from
// an SSE register to an integer one, on the critical path of matrix and stencil loops. wabt later made the
// float operand "x"/"w" (WebAssembly/wabt#2808); this rewrite does the same for 1.0.32's output. Measured
// (tests/bench/cluster_compute.mjs with each variant, best of 5 on a 2-core machine busy with other work,
// 2026-12-04; cluster worker run time over the same source built natively by GCC 12 at -O2):
//
//     the load barrier                    matmul  stencil  sort
//     wasm2c 1.0.32's ("r" always)        1.84×   3.00×    1.26×
//     this rewrite ("x" for floats)       1.61×   1.40×    1.12×
//     none (not conforming)               1.43×   1.25×    1.14×
//     explicit bounds checks instead      2.14×   2.33×    1.22×
//
// pi and hash (integer loads, few of them) are 1.00–1.12× in each. Dropping the barrier would gain little
// more and let `drop (i32.load ...)` past the end of memory run on where the browser traps; explicit checks
// (wasm2c's other mode, which needs no barrier) cost more than they save. A cost of the same size on matmul
// is not the barrier's: wasm2c's stores are memcpys that may, for the C compiler, overwrite the memory's base
// pointer, so it reloads the base after every store (stores that cannot, typed ones, which break C's aliasing
// rules between wasm's mixed-type accesses, give matmul 1.45×, stencil 1.36× with this barrier).
//
// The rewrite keeps the text's length, so it is done in place and touches only the template wasm2c writes
// before anything taken from the module (the first use of the helpers ends it).
#include "aot/load_barrier.h"

#include <fstream>
#include <string>

namespace faasmjs::gateway::aot {

const std::string_view kLoadBarrierHeader =
    R"(/* faasmjs-gateway's AOT compiler: the barrier of wasm2c's load helpers (load_barrier.cpp). */
#if defined(__x86_64__)
#define FAASMJS_FLOAT_REGISTER "x"
#elif defined(__aarch64__)
#define FAASMJS_FLOAT_REGISTER "w"
#else
#define FAASMJS_FLOAT_REGISTER "r"
#endif
#define FAASMJS_FORCE_READ(value)                                            \
  do {                                                                       \
    if (__builtin_types_compatible_p(__typeof__(value), float) ||            \
        __builtin_types_compatible_p(__typeof__(value), double))             \
      __asm__("" ::FAASMJS_FLOAT_REGISTER(value));                           \
    else                                                                     \
      __asm__("" ::"r"(value));                                              \
  } while (0)
)";

namespace {

constexpr std::string_view kWasm2cBarrier = R"(wasm_asm("" ::"r"(result));)";
constexpr std::string_view kBarrier = "FAASMJS_FORCE_READ(result);";
static_assert(kWasm2cBarrier.size() == kBarrier.size(), "rewritten in place");
// The template ends where it first uses the helpers, well within its first 64 KiB.
constexpr std::string_view kTemplateEnd = "DEFINE_LOAD(i32_load,";
constexpr std::size_t kTemplateMaxBytes = 64 << 10;

constexpr const char* kUnexpected =
    "wasm2c's output has no load helpers where wasm2c 1.0.32 writes them (another wasm2c?)";

}  // namespace

Expected<void> retarget_load_barriers(const std::filesystem::path& c_file) {
  std::fstream file(c_file, std::ios::in | std::ios::out | std::ios::binary);
  if (!file.is_open()) return fail(ErrorCode::Internal, "cannot open wasm2c's output to rewrite its load helpers");
  std::string head(kTemplateMaxBytes, '\0');
  file.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(file.gcount()));
  const std::size_t end = head.find(kTemplateEnd);
  if (end == std::string::npos) return fail(ErrorCode::Internal, kUnexpected);
  int rewritten = 0;
  for (std::size_t at = head.find(kWasm2cBarrier); at < end; at = head.find(kWasm2cBarrier, at + 1)) {
    file.clear();
    file.seekp(static_cast<std::streamoff>(at));
    file.write(kBarrier.data(), static_cast<std::streamsize>(kBarrier.size()));
    ++rewritten;
  }
  file.flush();
  if (rewritten == 0) return fail(ErrorCode::Internal, kUnexpected);
  if (!file) return fail(ErrorCode::Internal, "cannot rewrite the load helpers of wasm2c's output");
  return {};
}

}  // namespace faasmjs::gateway::aot
