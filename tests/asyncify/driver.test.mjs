// The rules of sdk/js/asyncify.js itself, on the transformed test functions: WebAssembly.instantiate's API
// shape, a free event loop while suspended, one call in flight, rejections, misuse and a too small data
// region each ending in a clear error.
//
// FAASMJS_WASM_DIR: a wasm sub-build's binary directory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextMacrotask } from 'node:timers/promises';

import { AsyncifyError, DEFAULT_DATA_SIZE, Instance, State, instantiate } from '../../sdk/js/asyncify.js';
import { awaitCallResult, loadFunction, start, TestHost } from './host.mjs';

const wasmDir = process.env.FAASMJS_WASM_DIR;
assert.ok(wasmDir, 'FAASMJS_WASM_DIR must name a wasm sub-build directory');
const file = (name) => path.join(wasmDir, 'tests/asyncify/functions', name);

// compute_and_block suspends exactly once, in __faasm_await_call(pure_compute(input) % 1000).
const load = (options, host = new TestHost(1)) => loadFunction(file('compute_and_block.async.wasm'), { host, options });

// A host whose __faasm_await_call answers only when the test says so.
function heldHost() {
  const host = new TestHost(1);
  host.awaitCall = (id) => new Promise((resolve) => {
    host.release = () => resolve(awaitCallResult(id));
  });
  return host;
}

describe('asyncify driver', () => {
  it('mirrors WebAssembly.instantiate and WebAssembly.Instance', async () => {
    const bytes = fs.readFileSync(file('compute_and_block.async.wasm'));
    const host = new TestHost(1);
    const module = new WebAssembly.Module(bytes);
    const result = await instantiate(bytes, host.importsFor(module));
    assert.ok(result.module instanceof WebAssembly.Module);
    assert.ok(result.instance instanceof Instance && result.instance instanceof WebAssembly.Instance);
    assert.ok((await instantiate(module, host.importsFor(module))) instanceof Instance);
    const synchronous = new Instance(module, host.importsFor(module));
    assert.ok(synchronous.exports.memory instanceof WebAssembly.Memory);
    assert.equal(typeof synchronous.exports.asyncify_get_state(), 'number', 'control exports stay synchronous');
    assert.ok(synchronous.exports.pure_compute(3) instanceof Promise, 'other exports become async');
    assert.equal(synchronous.asyncify.dataSize, DEFAULT_DATA_SIZE);
  });

  it('returns to the event loop while suspended, and resumes when the Promise settles', async () => {
    const { host, instance } = await load(undefined, heldHost());
    const call = start(instance.exports._start);
    await nextMacrotask();
    assert.equal(instance.asyncify.suspendedAt, 'env.__faasm_await_call');
    assert.equal(instance.asyncify.state, State.Normal);
    assert.equal(host.output, '');
    host.release();
    await call;
    assert.match(host.output, /^compute \d+ \d+$/);
    assert.equal(instance.asyncify.suspendedAt, null);
  });

  it('refuses a second call while one is suspended', async () => {
    const { host, instance } = await load(undefined, heldHost());
    const call = start(instance.exports._start);
    await nextMacrotask();
    await assert.rejects(instance.exports.pure_compute(3),
                         (error) => error instanceof AsyncifyError && /one call at a time/.test(error.message)
                           && /_start is suspended in env.__faasm_await_call/.test(error.message));
    host.release();
    await call;
    assert.equal(await instance.exports.pure_compute(2), 32);
  });

  it('throws a rejection into the suspended call and stays usable', async () => {
    const host = new TestHost(1);
    host.awaitCall = () => Promise.reject(new Error('remote call failed'));
    const { instance } = await load(undefined, host);
    await assert.rejects(start(instance.exports._start), /remote call failed/);
    assert.equal(instance.asyncify.state, State.Normal);
    assert.equal(await instance.exports.pure_compute(2), 32);
  });

  it('allocates one data region with the guest malloc and reuses it', async () => {
    const { instance } = await load();
    assert.equal(instance.asyncify.dataAddress, null);
    await start(instance.exports._start);
    const address = instance.asyncify.dataAddress;
    assert.ok(address > 0);
    await start(instance.exports._start);
    assert.equal(instance.asyncify.dataAddress, address);
  });

  it('uses a caller-provided data region', async () => {
    // Low in the 4 MiB stack, which grows down from its top and never gets near this in these tests.
    const { host, instance } = await load({ dataAddress: 1024, dataSize: 4096 });
    await start(instance.exports._start);
    assert.equal(instance.asyncify.dataAddress, 1024);
    assert.match(host.output, /^compute /);
  });

  it('wraps any function of the instance as an entry point', async () => {
    const { host, instance } = await load();
    await start(instance.asyncify.wrap(instance.asyncify.rawExports._start, 'entry'));
    assert.match(host.output, /^compute /);
  });

  it('refuses a Promise from an import that may not suspend', async () => {
    const { instance } = await load({ suspending: ['env.__faasm_read_state'] });
    await assert.rejects(start(instance.exports._start),
                         (error) => error instanceof AsyncifyError
                           && /env.__faasm_await_call returned a Promise, but it is not one of the imports/
                             .test(error.message));
  });

  it('refuses a Promise from a module that was not asyncified', async () => {
    const { instance } = await loadFunction(file('compute_and_block.wasm'), { host: new TestHost(1) });
    assert.equal(instance.asyncify.asyncified, false);
    await assert.rejects(start(instance.exports._start),
                         (error) => error instanceof AsyncifyError && /not asyncified/.test(error.message));
  });

  it('reports a data region too small for the suspended stack, then refuses further calls', async () => {
    const { instance } = await loadFunction(file('nested_suspensions.async.wasm'),
                                            { host: new TestHost(8), options: { dataSize: 16 } });
    await assert.rejects(start(instance.exports._start),
                         (error) => error instanceof AsyncifyError && /did not fit the 16-byte/.test(error.message));
    await assert.rejects(instance.exports._start(), /instance is unusable/);
  });

  it('checks its options', async () => {
    const module = new WebAssembly.Module(fs.readFileSync(file('compute_and_block.async.wasm')));
    const imports = new TestHost().importsFor(module);
    await assert.rejects(instantiate(module, imports, { dataSize: 6 }), RangeError);
    await assert.rejects(instantiate(module, imports, { dataAddress: -4 }), RangeError);
    await assert.rejects(instantiate(module, imports, { suspending: 'env.__faasm_await_call' }), TypeError);
  });
});
