#include "worker/trap_messages.h"

namespace faasmjs::gateway::worker {

const char* trap_message(wasm_rt_trap_t trap) {
  // V8's RuntimeError messages where one wasm2c code has one V8 counterpart; wasm2c joins what V8 tells
  // apart (a divide overflow and a float conversion out of range are both INT_OVERFLOW), so those say both.
  switch (trap) {
    case WASM_RT_TRAP_NONE:
      return "no trap";
    case WASM_RT_TRAP_OOB:
      return "memory access out of bounds";
    case WASM_RT_TRAP_INT_OVERFLOW:
      return "integer overflow (divide result or float unrepresentable)";
    case WASM_RT_TRAP_DIV_BY_ZERO:
      return "divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION:
      return "float unrepresentable in integer range";
    case WASM_RT_TRAP_UNREACHABLE:
      return "unreachable";
    case WASM_RT_TRAP_CALL_INDIRECT:
      return "null function or function signature mismatch";
    case WASM_RT_TRAP_UNCAUGHT_EXCEPTION:
      return "uncaught exception";
    case WASM_RT_TRAP_EXHAUSTION:
      return "call stack exhausted";
  }
  return wasm_rt_strerror(trap);
}

}  // namespace faasmjs::gateway::worker
