// The transformed test functions, run through sdk/js/asyncify.js with imports that answer later: every way
// of reaching a blocking call (direct, virtual, function pointer, std::function, recursion) must unwind,
// rewind and return the right values, and what lives in locals and on the shadow stack must survive.
//
// FAASMJS_WASM_DIR: a wasm sub-build's binary directory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { awaitCallResult, blockingImportsOf, CHAIN_ID, callOutput, runFunction, stateValue } from './host.mjs';

const wasmDir = process.env.FAASMJS_WASM_DIR;
assert.ok(wasmDir, 'FAASMJS_WASM_DIR must name a wasm sub-build directory');
const functionsDir = path.join(wasmDir, 'tests/asyncify/functions');

const run = (name, input) => runFunction(path.join(functionsDir, `${name}.async.wasm`), input, {
  options: { suspending: blockingImportsOf(functionsDir, `${name}.wasm`) },
});

// JavaScript twins of the C++ functions, with awaitCallResult standing for __faasm_await_call.
const innermost = (x) => awaitCallResult(x) + x * 7;
const middle = (x) => innermost(x + 5) * 2 + innermost(x + 6) + x + 5;
const outer = (x) => middle(x) - middle(x * 2);

const descend = (depth, accumulated) => {
  if (depth === 0) return accumulated;
  const below = descend(depth - 1, accumulated + awaitCallResult(depth));
  return below + awaitCallResult(depth + 100) - depth;
};

const pureCompute = (n) => {
  let [a, b] = [0, 1];
  for (let i = 0; i < n; i += 1) [a, b] = [b, (Math.imul(a, 31) + b) >>> 0];
  return b;
};

describe(`asyncified functions of ${path.basename(wasmDir)}`, () => {
  it('unwinds and rewinds through direct calls', async () => {
    const { host } = await run('direct_call', 4);
    assert.equal(host.output, `direct ${outer(4)} ${outer(5)}`);
    assert.equal(host.suspensions, 8);
  });

  for (const n of [3, 4]) {
    it(`unwinds and rewinds through a virtual call (input ${n})`, async () => {
      const { host } = await run('virtual_call', n);
      const remote = n % 2 === 1;
      assert.equal(host.output, remote ? `virtual ${awaitCallResult(n)} ${2 * (n + 1)}`
        : `virtual ${2 * n} ${awaitCallResult(n + 1)}`);
      assert.equal(host.suspensions, 1);
    });
  }

  it('unwinds and rewinds through function pointers, one of them to the import itself', async () => {
    const n = 4;
    const fetchers = [(id) => awaitCallResult(id) + 1, (id) => id * 3, awaitCallResult];
    const expected = [0, 1, 2].map((i) => fetchers[(n + i) % 3](n + i));
    const { host } = await run('function_pointer', n);
    assert.equal(host.output, `pointer ${expected.join(' ')}`);
    assert.equal(host.suspensions, 2);
  });

  it('unwinds and rewinds through std::function', async () => {
    const n = 5;
    const steps = [(id) => awaitCallResult(id) + 3 * n, (id) => -id];
    let sum = 0;
    for (let i = 0; i < 4; i += 1) sum += steps[(n + i) % 2](n + i);
    const { host } = await run('std_function', n);
    assert.equal(host.output, `function ${sum}`);
    assert.equal(host.suspensions, 2);
  });

  it('suspends many times in one call, at every depth of a recursion', async () => {
    const depth = 6;
    let total = 0;
    for (let round = 0; round < 3; round += 1) total += descend(depth, round);
    const { host } = await run('nested_suspensions', depth);
    assert.equal(host.output, `nested ${total}`);
    assert.equal(host.suspensions, 3 * 2 * depth);
  });

  it('keeps the shadow stack and locals intact, and lets the host allocate while suspended', async () => {
    const n = 9;
    const state = stateValue('shadow');
    const { host } = await run('shadow_stack', n);
    assert.equal(host.output, `shadow intact 0 ${callOutput(n)} ${state.length} ${state}`);
    assert.equal(host.suspensions, 2);
  });

  it('runs uninstrumented compute beside a blocking call', async () => {
    const n = 50;
    const checksum = pureCompute(n);
    const { host, instance } = await run('compute_and_block', n);
    assert.equal(host.output, `compute ${checksum} ${awaitCallResult(checksum % 1000)}`);
    assert.equal(await instance.exports.pure_compute(n), checksum);
  });

  it('runs a function without blocking imports, which was not asyncified', async () => {
    const { host, instance } = await run('no_blocking', 0);
    assert.equal(host.output, `chained ${CHAIN_ID}`);
    assert.equal(host.suspensions, 0);
    assert.equal(instance.asyncify.asyncified, false);
  });
});
