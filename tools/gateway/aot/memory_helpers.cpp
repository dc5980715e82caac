// Why the AOT compiler rewrites three lines of wasm2c's memory access helpers and adds two flags to `cc`.
//
// wasm2c 1.0.32 writes, before any code of the module, one small inline helper per load and store:
//
//     static inline f64 f64_load(wasm_rt_memory_t* mem, u64 addr) {
//       f64 result; wasm_rt_memcpy(&result, &mem->data[addr], 8); wasm_asm("" ::"r"(result)); return result; }
//     static inline void f64_store(wasm_rt_memory_t* mem, u64 addr, f64 value) {
//       f64 wrapped = value; wasm_rt_memcpy(&mem->data[addr], &wrapped, 8); }
//
// with `mem->data` the base of the linear memory. Bounds are checked by guard pages (MEMCHECK is empty): an
// out-of-bounds access faults into the runtime's SIGSEGV handler, which traps. Two costs come with it.
//
// The barrier. A wasm load traps when it is out of bounds even when its value is never used (`i32.load` then
// `drop`); a C compiler deletes a load whose value is unused, and the fault with it, hence the empty asm that
// "uses" the value. But the asm, volatile, pins every load into a register of its own at its place: no load is
// folded into the arithmetic (`addsd (mem),%xmm0`), and its "r" even moves floats to an integer register
// (wabt later made that "x", WebAssembly/wabt#2808). GCC can keep those loads without it: with
// -fnon-call-exceptions an instruction that may fault may throw, and in C (-fno-delete-dead-exceptions, the
// default there, said explicitly) an instruction that may throw is never deleted as dead, by any of GCC's
// passes (the guarantee Java's and Ada's null checks by SIGSEGV were built on). A load only counts if it is
// one: a memcpy into a local that is never read is deleted whole, flags or not, so the loads become plain
// dereferences too, and FAASMJS_FORCE_READ is empty for GCC. Other compilers (clang deletes such loads with
// the flags too) keep the barrier, with "x"/"w" for floats.
//
// The stores' type. The memcpy is a store of chars, and a char store may, for C's aliasing rules, overwrite
// any object, `mem->data` included: the compiler reloads the base after every store (matmul's inner loop:
// `mov 0x20(%rbx),%rax` after each `movsd %xmm0,(...)`). Loads and stores of more than one byte go through
// members of one packed union of wasm's non-char types instead. GCC gives an access through a union member
// the union's alias set (its documented type-punning extension, "provided the memory is accessed through the
// union type"), which has each member's set as a subset and no pointer or char in it, so:
//   - such a store may not overwrite a pointer: the base stays in a register across stores, which is true, as
//     the linear memory never holds the memory's own descriptor (the memory never moving is not needed: a
//     call, memory.grow's too, still makes the compiler read the base again);
//   - every load and store of the union shares one alias set, so accesses of different wasm types to the
//     same bytes keep their order (accesses typed as themselves, f64 through double and i32 through
//     uint32_t, would be free to pass each other: undefined behaviour for wasm's mixed-type accesses; and
//     two unions are two alias sets that do not conflict, which the first try of this, loads and stores in
//     unions of their own, showed by breaking pi);
//   - the union is packed: a wasm address has no alignment, and the compiler must not assume one.
// One-byte accesses are of uint8_t or int8_t, char types, which alias everything, as the memcpys did. Clang
// gives union accesses no alias set (may alias anything): correct, and no faster. The addresses are the same,
// so an out-of-bounds access faults as before.
//
// Measured (tests/bench/cluster_compute.mjs, best of 5; cluster worker run time over the same source built
// natively by GCC 12 at -O2, in the same run, on a 2-core machine busy with other work; 2026-12-04 for the
// first and last rows, 2026-12-05 for the others):
//
//     barrier, loads and stores                      matmul      stencil     sort
//     wasm2c 1.0.32's ("r"), memcpys                 1.84×       3.00×       1.26×
//     "x" for floats, memcpys                        1.56×       1.37–1.39×  1.13–1.14×
//     "x" for floats, union stores                   1.34–1.40×  1.29–1.37×  1.09–1.14×
//     none (not conforming), union stores            1.22×       1.08×       1.13×
//     GCC keeps the loads, union loads and stores    1.22–1.23×  1.09×       1.12–1.16×  (this)
//     explicit bounds checks, memcpys                2.14×       2.33×       1.22×
//
// pi and hash are 0.99–1.12× in each. What is left of matmul's cost is wasm's 32-bit addresses: each is an
// i32 sum that wraps, so the compiler computes it in 32 bits and zero-extends it before adding the base (a
// `lea` and a `mov` per access), where native code steps a 64-bit pointer. Explicit checks (wasm2c's other
// mode, which needs no barrier) cost more than any of this.
//
// Each rewrite keeps the text's length, so it is done in place and touches only the template wasm2c writes
// before anything taken from the module (the first use of the helpers ends it). Only the little-endian
// helpers' accesses are rewritten: the big-endian ones are not compiled here.
#include "aot/memory_helpers.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <string>
#include <vector>

namespace faasmjs::gateway::aot {

const std::string_view kMemoryHelpersHeader =
    R"(/* faasmjs-gateway's AOT compiler: wasm2c's memory access helpers, rewritten (memory_helpers.cpp). */
#include <stdint.h>
#if defined(__GNUC__) && !defined(__clang__)
/* With kMemoryHelpersFlags, GCC deletes no load that may fault. */
#define FAASMJS_FORCE_READ(value) ((void)0)
#elif defined(__TINYC__)
/* The quick tier's tcc does not optimise: it stores every loaded value into its local, loading it. */
#define FAASMJS_FORCE_READ(value) ((void)0)
#else
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
#endif
typedef union __attribute__((packed)) {
  uint16_t as_u16;
  int16_t as_s16;
  uint32_t as_u32;
  int32_t as_s32;
  uint64_t as_u64;
  float as_f32;
  double as_f64;
} faasmjs_cell;
/* The bytes at `address` as the helper's type in memory (wasm2c's t1), an lvalue. */
#define FAASMJS_CELL_u8(address) (*(uint8_t*)(address))
#define FAASMJS_CELL_s8(address) (*(int8_t*)(address))
#define FAASMJS_CELL_u16(address) (((faasmjs_cell*)(address))->as_u16)
#define FAASMJS_CELL_s16(address) (((faasmjs_cell*)(address))->as_s16)
#define FAASMJS_CELL_u32(address) (((faasmjs_cell*)(address))->as_u32)
#define FAASMJS_CELL_s32(address) (((faasmjs_cell*)(address))->as_s32)
#define FAASMJS_CELL_u64(address) (((faasmjs_cell*)(address))->as_u64)
#define FAASMJS_CELL_f32(address) (((faasmjs_cell*)(address))->as_f32)
#define FAASMJS_CELL_f64(address) (((faasmjs_cell*)(address))->as_f64)
#define FAASMJS_LOAD(type, result, address) ((result) = FAASMJS_CELL_##type(address))
#define FAASMJS_STORE(type, address, value) (FAASMJS_CELL_##type(address) = (value))
)";

namespace {

struct Rewrite {
  std::string_view wasm2c;
  std::string_view ours;
};

// Inside DEFINE_LOAD and DEFINE_STORE, whose parameter t1 is the type in memory (u8 ... f64).
constexpr std::array<Rewrite, 3> kRewrites = {{
    {R"(wasm_asm("" ::"r"(result));)", "FAASMJS_FORCE_READ(result);"},
    {"wasm_rt_memcpy(&result, &mem->data[addr], sizeof(t1));",
     "FAASMJS_LOAD(t1, result, &mem->data[addr]);           "},
    {"wasm_rt_memcpy(&mem->data[addr], &wrapped, sizeof(t1));",
     "FAASMJS_STORE(t1, &mem->data[addr], wrapped);          "},
}};
static_assert(std::ranges::all_of(kRewrites, [](const Rewrite& r) { return r.wasm2c.size() == r.ours.size(); }),
              "rewritten in place");
// The template ends where it first uses the helpers, well within its first 64 KiB.
constexpr std::string_view kTemplateEnd = "DEFINE_LOAD(i32_load,";
constexpr std::size_t kTemplateMaxBytes = 64 << 10;

constexpr const char* kUnexpected =
    "wasm2c's output has no memory access helpers where wasm2c 1.0.32 writes them (another wasm2c?)";

}  // namespace

Expected<void> rewrite_memory_helpers(const std::filesystem::path& c_file) {
  std::fstream file(c_file, std::ios::in | std::ios::out | std::ios::binary);
  if (!file.is_open()) return fail(ErrorCode::Internal, "cannot open wasm2c's output to rewrite its memory helpers");
  std::string head(kTemplateMaxBytes, '\0');
  file.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(file.gcount()));
  const std::size_t end = head.find(kTemplateEnd);
  if (end == std::string::npos) return fail(ErrorCode::Internal, kUnexpected);
  // Every rewrite is found before any is written: the output of another wasm2c is left as it was.
  std::array<std::vector<std::size_t>, kRewrites.size()> places;
  for (std::size_t i = 0; i < kRewrites.size(); ++i) {
    for (std::size_t at = head.find(kRewrites[i].wasm2c); at < end; at = head.find(kRewrites[i].wasm2c, at + 1)) {
      places[i].push_back(at);
    }
    if (places[i].empty()) return fail(ErrorCode::Internal, kUnexpected);
  }
  for (std::size_t i = 0; i < kRewrites.size(); ++i) {
    for (const std::size_t at : places[i]) {
      file.clear();
      file.seekp(static_cast<std::streamoff>(at));
      file.write(kRewrites[i].ours.data(), static_cast<std::streamsize>(kRewrites[i].ours.size()));
    }
  }
  file.flush();
  if (!file) return fail(ErrorCode::Internal, "cannot rewrite the memory helpers of wasm2c's output");
  return {};
}

}  // namespace faasmjs::gateway::aot
