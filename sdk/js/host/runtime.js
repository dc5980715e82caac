// The rest of env: configuration flags, diagnostics (Faasm's host-interface test hook fails the call), and
// the C++ exception entry points, which trap as on Faasm (its libc++ is built without exceptions).
import { fault } from './faults.js';
import { Guest } from './guest.js';

// Faasm's fixed flags (faasm-interfaces.md 1.2); others come from the client's confFlags, else 0.
const FIXED_FLAGS = Object.freeze({ ALWAYS_ON: 1, ALWAYS_OFF: 0 });

export function __faasm_conf_flag(ctx, key) {
  const name = new Guest(ctx.memory, 'conf_flag').cString(key, 'flag name');
  return FIXED_FLAGS[name] ?? ctx.confFlags[name] ?? 0;
}

export function __faasm_backtrace(ctx, depth) {
  ctx.log(`backtrace requested (depth ${depth}): stack traces are not available in the browser host`);
}

// Faasm's hook (faasm src/wasm/host_interface_test.cpp): test 1 throws from the host, as a migrated call does;
// every other number is an unrecognised test, which throws too. Either way the call fails.
export function __faasm_host_interface_test(ctx, testNumber) {
  if (testNumber === 1) fault('host_interface_test', 'exceptionPropagation');
  fault('host_interface_test', 'unknownHostInterfaceTest', { test: testNumber });
}

export function __cxa_allocate_exception() {
  fault('__cxa_allocate_exception', 'cxxException');
}

export function __cxa_throw() {
  fault('__cxa_throw', 'cxxException');
}
