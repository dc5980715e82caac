// Worker mode's message protocol, over a MessageChannel in Node: the page side (worker-client.js) and the
// worker side (worker.js's serve) exactly as in a browser, only without the Worker. The real module worker
// runs in the Chromium tests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { ClientClosed, FunctionNotFound } from '../../../sdk/js/index.js';
import { WorkerClient } from '../../../sdk/js/worker-client.js';
import { PROTOCOL_VERSION, serve } from '../../../sdk/js/worker.js';
import { examplesDir, wasmDirs } from './support.mjs';

const { dir } = wasmDirs[0];

async function workerPair(options = {}) {
  const { port1, port2 } = new MessageChannel();
  serve(port1);
  const client = new WorkerClient(port2, () => { port1.close(); port2.close(); });
  return client.connect({ functions: examplesDir(dir), suspension: 'asyncify', user: 'worker', ...options });
}

describe('worker protocol', () => {
  it('connects, invokes, forwards events, and closes', async () => {
    const client = await workerPair();
    assert.equal(client.suspension, 'asyncify');
    assert.equal(client.user, 'worker');
    const phases = [];
    const traces = [];
    client.addEventListener('progress', ({ detail }) => phases.push(detail.phase));
    client.addEventListener('trace', ({ detail }) => traces.push(detail));
    const result = await client.invoke('hello', 'Ada');
    assert.equal(result.outputText, 'Hello Ada!');
    assert.ok(result.output instanceof Uint8Array);
    assert.equal(new TextDecoder().decode(result.output), 'Hello Ada!');
    assert.equal(result.trace.function, 'hello');
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(phases, ['loading', 'instantiating', 'running', 'done']);
    assert.equal(traces.length, 1);
    assert.equal(traces[0].id, result.trace.id);
    await client.close();
    await assert.rejects(client.invoke('hello'), (error) => error instanceof ClientClosed);
  });

  it('chains and state work behind it; the state inspector goes through it', async () => {
    const client = await workerPair();
    assert.equal((await client.invoke('chain')).outputText, 'sum of squares 1..4 = 30; words in 3 sentences = 9');
    await client.invoke('faasm_compat');
    assert.equal(new DataView((await client.state.get('faasm_compat_sum')).buffer).getInt32(0, true), 12);
    await client.state.set('seeded', new Uint8Array([1, 2]));
    assert.deepEqual(await client.state.keys(), ['faasm_compat_sum', 'seeded']);
    await client.close();
  });

  it('errors keep their class and code across the channel', async () => {
    const client = await workerPair();
    await assert.rejects(client.invoke('no_such_function'),
      (error) => error instanceof FunctionNotFound && error.code === 'FunctionNotFound'
        && /no function named 'no_such_function'/.test(error.message));
    await assert.rejects(client.invoke('hello', 42), (error) => error instanceof TypeError && /input must be/.test(error.message));
    await client.close();
  });

  it('refuses a page of another protocol version and unknown messages', async () => {
    const { port1, port2 } = new MessageChannel();
    serve(port1);
    const answers = [];
    port2.addEventListener('message', ({ data }) => answers.push(data));
    port2.start();
    port2.postMessage({ type: 'connect', id: 1, protocol: PROTOCOL_VERSION + 1, options: {} });
    port2.postMessage({ type: 'launch', id: 2 });
    port2.postMessage({ type: 'invoke', id: 3, name: 'hello' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    port1.close();
    port2.close();
    const byId = Object.fromEntries(answers.map((answer) => [answer.id, answer.error]));
    assert.match(byId[1].message, /speaks worker protocol 2, this worker 1/);
    assert.match(byId[2].message, /unknown worker message type launch/);
    assert.equal(byId[3].code, 'ClientClosed');
  });
});
