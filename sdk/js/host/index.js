// The `env` imports of a Faasm function: one function per import in io.js, chaining.js, state.js, runtime.js
// and files.js, each taking the invocation's context first. This module binds them to one invocation, checks
// at every entry and resumption that the call has not been abandoned (closed client, timeout), and reports
// each suspension, so that the import functions themselves only implement Faasm's semantics.
//
// The context an invocation provides (see invocation.js):
//   memory, table        the instance's memory and exported function table (null if none)
//   input, output        the call's input bytes; output is set by write_output
//   malloc(size)         the guest's allocator, called synchronously
//   chain(target, bytes) → id; awaitCall(id) → Promise<{ returnValue, output }>
//   tier, invocation     the client's local state tier and this invocation's id in it
//   confFlags, readFile(path), log(message)
//   duplicateFd(fd)      → a new descriptor number for the same open file (the WASI layer's Wasi.duplicate)
//   enter(call)          throws if the call was abandoned
//   suspend(call, promise) → promise, counted and reported
import { isThenable } from '../sync-or-async.js';
import * as chaining from './chaining.js';
import * as files from './files.js';
import * as io from './io.js';
import * as runtime from './runtime.js';
import * as state from './state.js';

const IMPLEMENTATIONS = Object.freeze({ ...io, ...chaining, ...state, ...runtime, ...files });

/** Every env import the browser host provides. */
export const HOST_IMPORTS = Object.freeze(Object.keys(IMPLEMENTATIONS));

/**
 * The imports that may wait, the closed set of tools/asyncify/faasm_abi.h: the only ones whose functions
 * may return a Promise. Chaining is not among them: it returns an id at once; nor are the unlocks, whose
 * answers the invocation's end waits for (state/local-tier.js).
 */
export const BLOCKING_IMPORTS = Object.freeze([
  '__faasm_await_call', '__faasm_await_call_output',
  '__faasm_read_state', '__faasm_read_state_ptr', '__faasm_read_state_offset', '__faasm_read_state_offset_ptr',
  '__faasm_pull_state', '__faasm_push_state', '__faasm_push_state_partial', '__faasm_push_state_partial_mask',
  '__faasm_append_state', '__faasm_read_appended_state', '__faasm_clear_appended_state',
  '__faasm_lock_state_read', '__faasm_lock_state_write',
]);

/** The env import object for one invocation. */
export function createHostImports(ctx) {
  const env = {};
  for (const [name, implementation] of Object.entries(IMPLEMENTATIONS)) {
    env[name] = (...args) => {
      ctx.enter(name);
      const result = implementation(ctx, ...args);
      return isThenable(result) ? ctx.suspend(name, result) : result;
    };
  }
  return env;
}
