#include "worker/trap_backtrace.h"

#include <pthread.h>
#include <unwind.h>

#include <array>
#include <cstdint>

#include "wasm-rt-impl.h"

namespace {

// Native frames recorded, the host's own among them, and wasm frames shown: enough for any backtrace worth
// reading; a stack exhausted by recursion shows its innermost frames.
constexpr int kMaxAddresses = 64;
constexpr int kMaxFrames = 32;

// The frame pointer in the DWARF numbering _Unwind_GetGR takes (the worker builds for these two only,
// sandbox.cpp).
#if defined(__x86_64__)
constexpr int kFramePointerRegister = 6;  // rbp
#else
constexpr int kFramePointerRegister = 29;  // x29
#endif

// One call at a time per worker process (main.cpp), so one record. An address is the instruction a frame
// was executing (where the fault or trap happened) or, for its callers, the one after their call.
struct Frame {
  std::uintptr_t address;
  bool exact;
};
std::array<Frame, kMaxAddresses> g_frames;
int g_count = 0;
bool g_skip_next = false;

// What the handler may walk by frame pointers: the main thread's stack (guest code runs on it) up to its
// top, and the code of a module without unwind tables, which the unwinder cannot step out of.
std::uintptr_t g_stack_high = 0;
std::uintptr_t g_walk_begin = 0;
std::uintptr_t g_walk_end = 0;

struct Unwinding {
  std::uintptr_t last_frame_pointer = 0;
  std::uintptr_t last_stack_pointer = 0;
  std::uintptr_t last_address = 0;
};

_Unwind_Reason_Code record(struct _Unwind_Context* context, void* argument) {
  auto& unwinding = *static_cast<Unwinding*>(argument);
  if (g_count == kMaxAddresses) return _URC_END_OF_STACK;
  int before = 0;
  const std::uintptr_t address = _Unwind_GetIPInfo(context, &before);
  g_frames[g_count++] = {address, before != 0};
  unwinding.last_address = address;
  unwinding.last_frame_pointer = _Unwind_GetGR(context, kFramePointerRegister);
  unwinding.last_stack_pointer = _Unwind_GetCFA(context);
  return _URC_NO_REASON;
}

// Code compiled without unwind tables (tcc's) keeps a frame pointer chain: [fp] is the caller's frame
// pointer, [fp + 8] the return address. Followed only while it stays between the last frame's stack pointer
// and the stack's top, which is all mapped (the stack grew down to there), and goes up.
void walk_frame_pointers(std::uintptr_t frame, std::uintptr_t stack_low) {
  while (g_count < kMaxAddresses && frame >= stack_low && frame + 2 * sizeof(void*) <= g_stack_high &&
         frame % sizeof(void*) == 0) {
    const auto* slots = reinterpret_cast<const std::uintptr_t*>(frame);
    const std::uintptr_t caller = slots[0];
    const std::uintptr_t returns_to = slots[1];
    if (returns_to < g_walk_begin || returns_to >= g_walk_end) return;
    g_frames[g_count++] = {returns_to, false};
    if (caller <= frame) return;
    frame = caller;
  }
}

}  // namespace

extern "C" void faasmjs_on_trap(wasm_rt_trap_t code) {
  g_count = 0;
  if (g_skip_next) {
    g_skip_next = false;
    WASM_RT_LONGJMP(wasm_rt_jmp_buf, code);
  }
  Unwinding unwinding;
  _Unwind_Backtrace(record, &unwinding);
  if (unwinding.last_address >= g_walk_begin && unwinding.last_address < g_walk_end) {
    walk_frame_pointers(unwinding.last_frame_pointer, unwinding.last_stack_pointer);
  }
  WASM_RT_LONGJMP(wasm_rt_jmp_buf, code);
}

namespace faasmjs::gateway::worker {

void prepare_trap_backtraces() {
  // The unwinder loads what it needs on first use, and the main thread's stack bounds come from
  // /proc/self/maps: both before the sandbox shuts them out.
  Unwinding unwinding;
  _Unwind_Backtrace(record, &unwinding);
  g_count = 0;
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
    void* low = nullptr;
    std::size_t size = 0;
    if (pthread_attr_getstack(&attributes, &low, &size) == 0)
      g_stack_high = reinterpret_cast<std::uintptr_t>(low) + size;
    pthread_attr_destroy(&attributes);
  }
}

void begin_trap_backtrace(const GuestSymbols& symbols) {
  g_count = 0;
  g_skip_next = false;
  const auto code = symbols.code_without_unwind_tables();
  g_walk_begin = code.first;
  g_walk_end = code.second;
}

void skip_next_trap_backtrace() { g_skip_next = true; }

std::string trap_backtrace_lines(const faasmjs_module& module, const GuestSymbols& symbols) {
  std::string lines;
  std::string inner;  // the frame shown last
  for (int i = 0, shown = 0; i < g_count && shown < kMaxFrames; ++i) {
    // A caller's address is the instruction after its call, which may already be the next function's.
    const std::uintptr_t address = g_frames[i].exact ? g_frames[i].address : g_frames[i].address - 1;
    const auto function = symbols.function_at(address);
    if (!function) continue;
    std::string name;
    if (function->index) {
      const std::uint32_t index = *function->index;
      const char* given = index < module.function_count ? module.function_names[index] : nullptr;
      name = given != nullptr ? given : "wasm-function[" + std::to_string(index) + "]";
    } else if (function->export_name == inner) {
      continue;  // the export wrapper of the function just shown: the same wasm frame
    } else {
      name = function->export_name;
    }
    lines += "\n    at " + name;
    inner = std::move(name);
    ++shown;
  }
  return lines;
}

}  // namespace faasmjs::gateway::worker
