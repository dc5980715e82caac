// sdk/js connected to a REAL faasmjs-gateway (FAASMJS_GATEWAY, started by tools/demo/gateway.mjs on a free
// 127.0.0.1 port with a data directory of its own), in Node with the ws package's WebSocket: calls in the
// cluster, chained calls from a function running here into the cluster (by name, by pointer, a fork-join in
// one frame), state handed back and forth, typed values (faasmjs/values) with C++ in the cluster, uploads, worker
// mode owning the connection, and lost connections (a cut mid-call that resumes, a restart that fails the call
// clearly).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { ClientClosed, ConnectionLost, FunctionNotFound, GatewayError, connect } from '../../../sdk/js/index.js';
import { WorkerClient } from '../../../sdk/js/worker-client.js';
import { serve } from '../../../sdk/js/worker.js';
import { expectedOutputs } from '../../../tools/demo/expected.mjs';
import { startGateway } from '../../../tools/demo/gateway.mjs';
import { FIXED, OTHER, Sample, echoed } from '../runtime/values-sample.mjs';
import { WebSocket, splitFrame, startTcpProxy } from './support.mjs';

const wasmDir = process.env.FAASMJS_WASM_DIR;
if (!wasmDir) throw new Error('set FAASMJS_WASM_DIR to a wasm sub-build directory (e.g. build/wasm-clang)');
if (!process.env.FAASMJS_GATEWAY) throw new Error('set FAASMJS_GATEWAY to a faasmjs-gateway binary');
const examplesDir = path.join(wasmDir, 'examples', 'functions');
const FUNCTION_DIRS = [examplesDir, path.join(wasmDir, 'tests', 'gateway', 'functions'), path.join(wasmDir, 'tests', 'js', 'runtime', 'functions')];

let gateway;
before(async () => {
  gateway = await startGateway({ functionDirs: FUNCTION_DIRS, args: ['--call-timeout', '20000'] });
});
after(() => gateway?.close());

// Every client of a test is closed at its end, whatever happens.
async function withClient(options, body, url = gateway.wsUrl) {
  const client = await connect(url, { token: gateway.token('js-transport'), suspension: 'asyncify', webSocket: WebSocket, ...options });
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

function ok(result, what) {
  assert.equal(result.returnValue, 0, `${what}: ${result.error}`);
  return result.outputText;
}

const expected = (name, input) => expectedOutputs().find((row) => row.function === name && row.input === input);

describe('calls in the cluster', () => {
  it('runs every example of the README in the cluster with the outputs the browser runtime gives', async () => {
    await withClient({ where: 'cluster' }, async (client) => {
      assert.match(client.gateway.server, /faasmjs-gateway/);
      for (const row of expectedOutputs()) {
        const label = `${row.function}(${row.input ?? ''})`;
        const result = await client.invoke(row.function, row.input);
        assert.equal(result.outputText, row.output, label);
        assert.equal(result.returnValue, row.returnValue, label);
        assert.equal(result.trace.where, 'cluster', label);
        assert.equal(result.trace.suspension, null, label);
        assert.equal(result.trace.status, 'finished', label);
        assert.ok(Number.isInteger(result.trace.runUs) && result.trace.runUs > 0, label);
      }
    });
  });

  it('maps a failing call to the browser\'s result shape and an unknown function to FunctionNotFound', async () => {
    await withClient({}, async (client) => {
      const trap = await client.invoke('probe', 'trap', { where: 'cluster' });
      assert.equal(trap.returnValue, 1);
      assert.equal(trap.trace.status, 'trapped');
      // The browser's error, backtrace included (tests/js/runtime), and in the gateway's log.
      const browser = await client.invoke('probe', 'trap', { where: 'browser' });
      assert.equal(trap.error, 'probe trapped: unreachable\n    at probe_trap_inner()\n    at probe_trap_outer()\n    at _start');
      assert.equal(browser.error, trap.error);
      assert.ok(gateway.log.includes(trap.error), `the gateway's log has no ${JSON.stringify(trap.error)}`);
      const loop = await client.invoke('runaway', 'loop', { where: 'cluster', timeoutMs: 1500 });
      assert.equal(loop.returnValue, 1);
      assert.equal(loop.trace.status, 'timedOut');
      await assert.rejects(client.invoke('no_such_function', '', { where: 'cluster' }),
        (error) => error instanceof FunctionNotFound && /no function named 'no_such_function' in the gateway's cluster/.test(error.message));
      assert.equal(ok(await client.invoke('hello', 'Ada', { where: 'cluster' }), 'hello after failures'), 'Hello Ada!');
    });
  });
});

describe('chained calls from a function running here', () => {
  it('sends the chain example\'s calls by pointer and by name to the cluster', async () => {
    await withClient({}, async (client) => {
      const result = await client.invoke('chain');
      assert.equal(ok(result, 'chain'), expected('chain', undefined).output);
      assert.equal(result.trace.where, 'browser');
      assert.deepEqual(result.trace.chained.map((call) => call.function).sort(),
        ['chain', 'chain', 'chain', 'chain', 'chain_worker', 'chain_worker', 'chain_worker']);
      for (const call of result.trace.chained) {
        assert.equal(call.where, 'cluster', call.function);
        assert.equal(call.status, 'finished', call.function);
      }
    });
  });

  it('gives the same fork-join by pointer whether it runs here, there or across', async () => {
    await withClient({}, async (client) => {
      const here = ok(await client.invoke('fork_join', '6', { chain: 'browser' }), 'here');
      const across = ok(await client.invoke('fork_join', '6'), 'across');
      const there = ok(await client.invoke('fork_join', '6', { where: 'cluster' }), 'there');
      assert.equal(across, here);
      assert.equal(there, here);
    });
  });

  it('sends a fork-join of 100 in one frame before the first await, and gets all 100 back', async () => {
    const sent = [];
    class CountingSocket extends WebSocket {
      send(data) {
        sent.push(splitFrame(new Uint8Array(data)).filter((m) => m.type === 0x02).length);
        super.send(data);
      }
    }
    await withClient({ webSocket: CountingSocket }, async (client) => {
      const result = await client.invoke('fanout', '100');
      assert.equal(ok(result, 'fanout'), '100 calls, 0 failed');
      assert.equal(result.trace.chained.length, 100);
      assert.ok(result.trace.chained.every((call) => call.where === 'cluster' && call.returnValue === 0));
      assert.deepEqual(sent.filter((count) => count > 0), [100], `INVOKEs per frame: ${sent}`);
    });
  });
});

describe('state shared with the cluster', () => {
  it('hands values, partial writes and append logs browser → cluster → browser', async () => {
    await withClient({}, async (client) => {
      const here = (input) => client.invoke('state_relay', input, { where: 'browser' });
      const there = (input) => client.invoke('state_relay', input, { where: 'cluster' });
      const steps = [
        [here, 'put relay from-browser', 'ok'], [there, 'get relay', 'from-browser'],
        [there, 'put relay from-cluster', 'ok'], [here, 'get relay', 'from-cluster'],
        [there, 'patch relay 5 CLUSTER', 'from-CLUSTER'], [here, 'get relay', 'from-CLUSTER'],
        [here, 'patch relay 0 FROM', 'FROM-CLUSTER'], [there, 'get relay', 'FROM-CLUSTER'],
        [here, 'append log b1', 'ok'], [there, 'append log c1', 'ok'], [here, 'append log b2', 'ok'],
        [there, 'log log 3', 'b1......c1......b2......'], [here, 'log log 3', 'b1......c1......b2......'],
        [there, 'clear log', 'ok'], [here, 'log log 0', ''],
      ];
      for (const [place, input, output] of steps) {
        assert.equal(ok(await place(input), input), output, `${place === here ? 'browser' : 'cluster'}: ${input}`);
      }
      // The inspector reads the gateway's global tier; keys on the wire are the function's, shown without the user.
      assert.equal(new TextDecoder().decode(await client.state.get('relay')), 'FROM-CLUSTER');
      assert.ok((await client.state.keys()).includes('relay'));
    });
  });

  it('moves a value larger than a chunk both ways intact', async () => {
    await withClient({}, async (client) => {
      const size = 3 * 1024 * 1024 + 17;
      assert.ok(size > client.gateway.chunkSize);
      assert.equal(ok(await client.invoke('state_relay', `fill big ${size}`, { where: 'browser' }), 'fill'), 'ok');
      const there = ok(await client.invoke('state_relay', 'sum big', { where: 'cluster' }), 'sum there');
      const here = ok(await client.invoke('state_relay', 'sum big', { where: 'browser' }), 'sum here');
      let sum = 0;
      for (let i = 0; i < size; i += 1) sum += i % 251;
      assert.equal(there, String(sum));
      assert.equal(here, String(sum));
      const bytes = await client.state.get('big');
      assert.equal(bytes.length, size);
      assert.equal(bytes[size - 1], (size - 1) % 251);
    });
  });

  it('runs the state example here, there and here again on one global tier', async () => {
    await withClient({}, async (client) => {
      const output = expected('state', undefined)?.output;
      for (const where of ['browser', 'cluster', 'browser']) {
        const result = await client.invoke('state', undefined, { where });
        assert.equal(result.returnValue, 0, `${where}: ${result.error}`);
        if (output !== undefined) assert.equal(result.outputText, output, where);
      }
    });
  });
});

describe('typed values with the cluster', () => {
  it('hands faasmjs/values values to C++ in the cluster and decodes what it returns and stores', async () => {
    await withClient({}, async (client) => {
      await client.state.set('values_from_js', FIXED, Sample);
      const fixed = await client.invoke('values_fixed', FIXED, { input: Sample, output: Sample, where: 'cluster' });
      assert.equal(fixed.error, null);
      assert.deepEqual(fixed.value, FIXED);
      assert.deepEqual(await client.state.get('values_from_cpp', Sample), FIXED);
      const echo = await client.invoke('values_echo', OTHER, { input: Sample, output: Sample, where: 'cluster' });
      assert.deepEqual(echo.value, echoed(OTHER));
    });
  });
});

describe('uploads and worker mode', () => {
  it('uploads a binary under a new name and runs it in the cluster', async () => {
    await withClient({}, async (client) => {
      const wasm = fs.readFileSync(path.join(examplesDir, 'hello.wasm'));
      const uploaded = await client.upload('hello_uploaded', new Uint8Array(wasm));
      assert.equal(uploaded.name, 'hello_uploaded');
      assert.match(uploaded.sha256, /^[0-9a-f]{64}$/);
      assert.equal(ok(await client.invoke('hello_uploaded', 'Ada', { where: 'cluster' }), 'uploaded'), 'Hello Ada!');
      await assert.rejects(client.upload('broken', new Uint8Array([1, 2, 3])),
        (error) => error instanceof GatewayError && error.gatewayCode === 'BadWasm');
    });
  });

  it('runs a worker-mode client that owns the connection (the worker protocol over a MessageChannel)', async () => {
    const { port1, port2 } = new MessageChannel();
    serve(port1, { webSocket: WebSocket });
    const client = new WorkerClient(port2, () => { port1.close(); port2.close(); });
    try {
      await client.connect({ token: gateway.token('js-transport'), suspension: 'asyncify', functions: `${gateway.url}functions/` }, gateway.wsUrl);
      assert.match(client.gateway.server, /faasmjs-gateway/);
      const chain = await client.invoke('chain');
      assert.equal(chain.outputText, expected('chain', undefined).output);
      assert.ok(chain.trace.chained.every((call) => call.where === 'cluster'));
      assert.equal((await client.invoke('hello', 'Ada', { where: 'cluster' })).outputText, 'Hello Ada!');
    } finally {
      await client.close();
    }
  });
});

describe('lost connections', () => {
  it('resumes a call in flight when the connection is cut, and runs it once', async () => {
    const proxy = await startTcpProxy(gateway.port);
    try {
      await withClient({}, async (client) => {
        const states = [];
        client.addEventListener('connection', ({ detail }) => states.push(detail.state));
        const call = client.invoke('sleeper', 'cut_once 1500', { where: 'cluster' });
        await new Promise((resolve) => setTimeout(resolve, 500));
        proxy.cut();
        const result = await call;
        assert.equal(ok(result, 'sleeper'), 'run #1');
        await new Promise((resolve) => setTimeout(resolve, 10));
        assert.deepEqual(states, ['reconnecting', 'resumed']);
        assert.equal(proxy.accepted, 2);
      }, `ws://127.0.0.1:${proxy.port}/ws`);
    } finally {
      await proxy.close();
    }
  });

  it('fails a call clearly, never hangs, when the gateway restarts under it; the client works on afterwards', async () => {
    await withClient({}, async (client) => {
      const states = [];
      client.addEventListener('connection', ({ detail }) => states.push(detail));
      const call = client.invoke('sleeper', 'restart_once 3000', { where: 'cluster' });
      await new Promise((resolve) => setTimeout(resolve, 700));
      await gateway.restart();
      await assert.rejects(call, (error) => error instanceof ConnectionLost
        && /sleeper/.test(error.message) && /outcome is unknown/.test(error.message));
      assert.equal(ok(await client.invoke('hello', 'Ada', { where: 'cluster' }), 'after the restart'), 'Hello Ada!');
      assert.deepEqual(states.map((s) => s.state), ['reconnecting', 'open']);
      assert.equal(states[1].sessionLost, true);
    });
  });

  it('rejects a call in flight with ClientClosed when the client closes', async () => {
    const client = await connect(gateway.wsUrl, { token: gateway.token('js-transport'), webSocket: WebSocket });
    const call = client.invoke('sleeper', 'closed 2000', { where: 'cluster' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.close();
    await assert.rejects(call, ClientClosed);
    await assert.rejects(client.invoke('hello', '', { where: 'cluster' }), ClientClosed);
  });

  it('refuses a bad user at connect with the gateway\'s reason', async () => {
    await assert.rejects(connect(gateway.wsUrl, { user: 'not-the-token-user', token: gateway.token('js-transport'), webSocket: WebSocket }),
      (error) => error instanceof GatewayError && error.gatewayCode === 'BadUser' && /user/.test(error.message));
  });

  it('refuses a client without a token with the gateway\'s reason', async () => {
    await assert.rejects(connect(gateway.wsUrl, { user: 'js-transport', webSocket: WebSocket }),
      (error) => error instanceof GatewayError && error.gatewayCode === 'BadToken' && /needs a token/.test(error.message));
  });
});
