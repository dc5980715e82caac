// The boundary every import crosses: its body runs as C++ (faults are exceptions), and once every C++ object
// of the body is gone, a fault or proc_exit unwinds out of the guest with wasm2c's trap longjmp. Nothing with
// a destructor may live in the frames that longjmp skips: only this guard's trivial locals and wasm2c's C.
#pragma once

#include <exception>
#include <type_traits>

#include "wasm-rt.h"
#include "worker/call_context.h"

namespace faasmjs::gateway::worker {

// Leaves the guest: run_call.cpp reads call.exit_code / call.fault to tell this from a real trap. `trap` is the
// code the call's entry sees: a guest function that an import called (malloc) and that trapped passes its own.
[[noreturn]] void leave_guest(wasm_rt_trap_t trap = WASM_RT_TRAP_UNREACHABLE);

// A trap inside a guest function that an import called (guest_call.h): carried as an exception through the
// import's C++ frames, so that their destructors run, and raised again once they are gone.
class NestedTrap : public std::exception {
 public:
  explicit NestedTrap(wasm_rt_trap_t trap) : trap_(trap) {}
  wasm_rt_trap_t trap() const { return trap_; }
  const char* what() const noexcept override { return "trap in a guest function called by an import"; }

 private:
  wasm_rt_trap_t trap_;
};

template <class Body>
auto guarded(Call& call, Body&& body) -> decltype(body()) {
  using Result = decltype(body());
  // A void body gets a placeholder result, so that one path serves both kinds of import.
  using Value = std::conditional_t<std::is_void_v<Result>, char, Result>;
  static_assert(std::is_trivially_destructible_v<Value>);
  Value result{};
  bool failed = false;
  wasm_rt_trap_t trap = WASM_RT_TRAP_UNREACHABLE;
  try {
    if constexpr (std::is_void_v<Result>) {
      body();
    } else {
      result = body();
    }
  } catch (const NestedTrap& nested) {
    trap = nested.trap();
    failed = true;
  } catch (const std::exception& error) {
    call.fault = error.what();
    failed = true;
  }
  if (failed) leave_guest(trap);
  if constexpr (!std::is_void_v<Result>) return result;
}

}  // namespace faasmjs::gateway::worker
