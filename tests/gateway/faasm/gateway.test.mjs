// A real faasmjs-gateway started with --faasm in front of the fixture's Faasm cluster (FAASMJS_FAASM_ENV), and
// the Node client (sdk/js) with no page: calls where:'cluster' run on Faasm's hosts and say so in their traces,
// and the chain example, running here in Node, sends its 4 calls by pointer and 3 by name through the gateway to
// Faasm and gets the browser's answer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { connect } from '../../../sdk/js/index.js';
import { expectedOutputs } from '../../../tools/demo/expected.mjs';
import { startGateway } from '../../../tools/demo/gateway.mjs';
import { WebSocket } from '../../js/transport/support.mjs';

for (const name of ['FAASMJS_FAASM_ENV', 'FAASMJS_GATEWAY', 'FAASMJS_WASM_DIR']) {
  if (!process.env[name]) throw new Error(`set ${name}: run this suite through ctest (tests/gateway/faasm/CMakeLists.txt)`);
}
const cluster = Object.fromEntries(fs.readFileSync(process.env.FAASMJS_FAASM_ENV, 'utf8').trim().split('\n')
  .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
const workers = cluster.FAASM_WORKERS.split(',');

let gateway;
before(async () => {
  gateway = await startGateway({
    functionDirs: [path.join(process.env.FAASMJS_WASM_DIR, 'examples', 'functions')],
    args: ['--faasm', `planner=${cluster.FAASM_PLANNER_URL},upload=${cluster.FAASM_UPLOAD_URL}`, '--call-timeout', '120000'],
  });
});
after(() => gateway?.close());

async function withClient(options, body) {
  const client = await connect(gateway.wsUrl, { token: gateway.token('faasmjs-node'), suspension: 'asyncify', webSocket: WebSocket, ...options });
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

const expected = (name, input) => expectedOutputs().find((row) => row.function === name && row.input === input);

describe('faasmjs-gateway --faasm', () => {
  it('runs hello where:cluster on one of the Faasm hosts', async () => {
    assert.match(gateway.log, /calls run on Faasm: planner http:\/\/.*16 slot\(s\)/);
    await withClient({ where: 'cluster' }, async (client) => {
      assert.equal(client.gateway.workers, 16);
      const first = await client.invoke('hello', 'Ada');
      assert.equal(first.returnValue, 0, first.error);
      assert.equal(first.outputText, expected('hello', 'Ada').output);
      assert.equal(first.trace.where, 'cluster');
      assert.equal(first.trace.backend, 'faasm');
      assert.ok(workers.includes(first.trace.host), `host ${first.trace.host} is not one of ${workers}`);
      const times = [];
      for (let i = 0; i < 10; i += 1) {
        const started = performance.now();
        const result = await client.invoke('hello', '');
        times.push(performance.now() - started);
        assert.equal(result.outputText, expected('hello', undefined).output);
      }
      times.sort((a, b) => a - b);
      console.log(`hello where:'cluster' through the gateway on Faasm, 10 calls: median ${times[5].toFixed(1)} ms`);
    });
  });

  it('sends the chain example\'s calls by pointer and by name from Node to Faasm', async () => {
    await withClient({}, async (client) => {
      const result = await client.invoke('chain');
      assert.equal(result.returnValue, 0, result.error);
      assert.equal(result.outputText, expected('chain', undefined).output);
      assert.equal(result.trace.where, 'browser');
      assert.deepEqual(result.trace.chained.map((call) => call.function).sort(),
        ['chain', 'chain', 'chain', 'chain', 'chain_worker', 'chain_worker', 'chain_worker']);
      for (const call of result.trace.chained) {
        assert.equal(call.where, 'cluster', call.function);
        assert.equal(call.backend, 'faasm', call.function);
        assert.ok(workers.includes(call.host), `${call.function} ran on ${call.host}`);
        assert.equal(call.status, 'finished', call.function);
      }
    });
  });

  it('refuses a function whose imports Faasm\'s WAMR lacks, naming them', async () => {
    await withClient({ where: 'cluster' }, async (client) => {
      const result = await client.invoke('state');
      assert.equal(result.returnValue, 1);
      assert.match(result.error, /state cannot run on Faasm: its WAMR backend lacks env\.__faasm_/);
    });
  });
});
