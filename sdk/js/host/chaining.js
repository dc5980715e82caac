// Chaining (faasm-interfaces.md 1.2): chain_name and chain_ptr start the call and return its id at once, so
// many calls are in flight together (fork-join); the awaits are the blocking part. await_call_output hands
// the callee's output over in a buffer allocated with the caller's own malloc, which the caller frees.
import { resumeWith } from '../asyncify.js';
import { fault } from './faults.js';
import { Guest } from './guest.js';

export function __faasm_chain_name(ctx, name, input, length) {
  const guest = new Guest(ctx.memory, 'chain_name');
  const functionName = guest.cString(name, 'function name');
  const bytes = guest.copy(input, length, 'input');
  if (functionName === '') fault('chain_name', 'emptyName');
  return ctx.chain({ name: functionName }, bytes);
}

export function __faasm_chain_ptr(ctx, index, input, length) {
  const bytes = new Guest(ctx.memory, 'chain_ptr').copy(input, length, 'input');
  const table = ctx.table;
  if (table === null) fault('chain_ptr', 'noTable');
  const entry = index >>> 0;
  if (entry === 0 || entry >= table.length || table.get(entry) === null) {
    fault('chain_ptr', 'badFunctionPointer', { index: entry, tableSize: table.length });
  }
  return ctx.chain({ index: entry }, bytes);
}

export function __faasm_await_call(ctx, id) {
  return ctx.awaitCall(id >>> 0).then(({ returnValue }) => returnValue);
}

export function __faasm_await_call_output(ctx, id, outputPtr, lengthPtr) {
  const guest = new Guest(ctx.memory, 'await_call_output');
  guest.check(outputPtr, 4, 'output pointer');
  guest.check(lengthPtr, 4, 'output length pointer');
  return ctx.awaitCall(id >>> 0).then(({ returnValue, output }) => resumeWith(() => {
    const address = ctx.malloc(Math.max(output.length, 1));
    if (address === 0) fault('await_call_output', 'mallocFailed', { size: output.length });
    const resumed = new Guest(ctx.memory, 'await_call_output');
    resumed.write(address, output, 'output');
    resumed.setI32(outputPtr, address, 'output pointer');
    resumed.setI32(lengthPtr, output.length, 'output length pointer');
    return returnValue;
  }));
}
