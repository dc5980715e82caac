// The boundary every import crosses: its body runs as C++ (faults are exceptions), and once every C++ object
// of the body is gone, a fault or proc_exit unwinds out of the guest with wasm2c's trap longjmp. Nothing with
// a destructor may live in the frames that longjmp skips: only this guard's trivial locals and wasm2c's C.
#pragma once

#include <exception>
#include <type_traits>

#include "worker/call_context.h"

namespace faasmjs::gateway::worker {

// Leaves the guest: run_call.cpp reads call.exit_code / call.fault to tell this from a real trap.
[[noreturn]] void leave_guest();

template <class Body>
auto guarded(Call& call, Body&& body) -> decltype(body()) {
  using Result = decltype(body());
  bool failed = false;
  if constexpr (std::is_void_v<Result>) {
    try {
      body();
    } catch (const std::exception& error) {
      call.fault = error.what();
      failed = true;
    }
    if (failed) leave_guest();
  } else {
    static_assert(std::is_trivially_destructible_v<Result>);
    Result result{};
    try {
      result = body();
    } catch (const std::exception& error) {
      call.fault = error.what();
      failed = true;
    }
    if (failed) leave_guest();
    return result;
  }
}

}  // namespace faasmjs::gateway::worker
