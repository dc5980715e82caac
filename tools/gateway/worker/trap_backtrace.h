// A trap's backtrace in the worker, in the words the browser uses (sdk/js/backtrace.js): one line
// `    at NAME` per wasm frame, innermost first. wasm2c's runtime calls faasmjs_on_trap for every trap (it is
// built with WASM_RT_TRAP_HANDLER naming it): explicit ones, a host fault leaving the guest, and the
// out-of-bounds access its signal handler catches. The handler records the native frames' addresses with
// libgcc's unwinder, which steps through the host's frames and the signal frame by their unwind tables, and
// on through the frame pointers of code that has none (the quick tier's tcc output); then it longjmps as
// wasm2c would. The addresses are named only afterwards, outside the handler, through the module's symbols
// (guest_symbols.h) and the names its glue carries.
//
// What a backtrace can show is what the native code has: gcc inlines small functions into their callers
// (the AOT compiler keeps single-use functions and tail calls apart, aot_compiler.cpp).
#pragma once

#include <string>

#include "aot/module_abi.h"
#include "worker/guest_symbols.h"
#include "worker/trap_handler.h"

namespace faasmjs::gateway::worker {

// Loads what the unwinder needs on first use and reads the stack's bounds, which the sandbox would refuse
// later; call before confining the process.
void prepare_trap_backtraces();

// Forgets an earlier trap and says which module's guest is entered next; call before a call enters it.
void begin_trap_backtrace(const GuestSymbols& symbols);

// The next trap records no frames: it is proc_exit leaving the guest, which is no failure and should not
// pay for unwinding.
void skip_next_trap_backtrace();

// The lines for the last trap since clear_trap_backtrace(), of `module`'s frames only ("" when none).
std::string trap_backtrace_lines(const faasmjs_module& module, const GuestSymbols& symbols);

}  // namespace faasmjs::gateway::worker
