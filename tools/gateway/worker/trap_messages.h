// What a trap is called in a call's error. The browser reports a trap with the engine's message ("hello
// trapped: unreachable", docs/js-runtime.md); the worker names wasm2c's trap codes with the same words, so
// that the same fault in the same .wasm reads the same in both places.
#pragma once

#include "wasm-rt.h"

namespace faasmjs::gateway::worker {

const char* trap_message(wasm_rt_trap_t trap);

}  // namespace faasmjs::gateway::worker
