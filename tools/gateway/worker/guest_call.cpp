#include "worker/guest_call.h"

#include "wasm-rt-impl.h"
#include "worker/import_guard.h"

namespace faasmjs::gateway::worker {

namespace {

// The jump target lives in this frame while the guest runs, and nothing here has a destructor, so the
// longjmp of a trap lands safely. Returns the trap, 0 when malloc returned.
[[gnu::noinline]] int malloc_behind_target(Call& call, std::uint32_t size, std::uint32_t& address) {
  WASM_RT_UNWIND_TARGET* const outer = wasm_rt_get_unwind_target();
  WASM_RT_UNWIND_TARGET inner;
  const int trap = WASM_RT_SETJMP(inner);
  if (trap == 0) {
    wasm_rt_set_unwind_target(&inner);
    address = call.guest_malloc(call.instance, size);
  }
  wasm_rt_set_unwind_target(outer);
  return trap;
}

}  // namespace

std::uint32_t call_guest_malloc(Call& call, std::uint32_t size) {
  std::uint32_t address = 0;
  if (const int trap = malloc_behind_target(call, size, address); trap != 0) {
    throw NestedTrap(static_cast<wasm_rt_trap_t>(trap));
  }
  return address;
}

}  // namespace faasmjs::gateway::worker
