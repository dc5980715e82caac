// where: 'auto' end to end: sdk/js connected to a REAL faasmjs-gateway (FAASMJS_GATEWAY, started by
// tools/demo/gateway.mjs), in Node with the ws package's WebSocket. Calls placed automatically run in both
// places while the policy explores, then where its estimates say is cheaper; every trace names the place, the
// reason and the estimates, and the estimates are the client's real measurements (round trip, run times).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { connect } from '../../../sdk/js/index.js';
import { PLACEMENT_DEFAULTS } from '../../../sdk/js/placement.js';
import { startGateway } from '../../../tools/demo/gateway.mjs';
import { WebSocket } from './support.mjs';

const wasmDir = process.env.FAASMJS_WASM_DIR;
if (!wasmDir) throw new Error('set FAASMJS_WASM_DIR to a wasm sub-build directory (e.g. build/wasm-clang)');
if (!process.env.FAASMJS_GATEWAY) throw new Error('set FAASMJS_GATEWAY to a faasmjs-gateway binary');

let gateway;
before(async () => {
  gateway = await startGateway({ functionDirs: [path.join(wasmDir, 'examples', 'functions')], args: ['--call-timeout', '20000'] });
});
after(() => gateway?.close());

async function withClient(options, body) {
  const client = await connect(gateway.wsUrl, { token: gateway.token('js-placement'), suspension: 'asyncify', webSocket: WebSocket, ...options });
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

// A trace of an automatically placed call says where it ran and why, consistently with its estimates.
function checkPlaced(trace, label) {
  const { placement } = trace;
  assert.ok(placement, `${label}: no placement in the trace`);
  assert.equal(placement.where, trace.where, label);
  assert.ok(['explore', 'cheaper', 'reexplore'].includes(placement.reason), `${label}: reason ${placement.reason}`);
  assert.equal(typeof placement.detail, 'string');
  const { browserMs, clusterMs } = placement.estimates;
  if (placement.reason === 'cheaper') {
    assert.equal(placement.where, clusterMs < browserMs ? 'cluster' : 'browser', `${label}: ${placement.detail}`);
  } else if (placement.reason === 'reexplore') {
    assert.equal(placement.where, clusterMs < browserMs ? 'browser' : 'cluster', `${label}: ${placement.detail}`);
  }
  return placement;
}

describe('where: auto against the gateway', () => {
  it('explores both places, then places each call where it measured it cheaper, saying so in the trace', async () => {
    await withClient({ where: 'auto', chain: 'browser' }, async (client) => {
      const placements = [];
      for (let i = 0; i < 30; i += 1) {
        const result = await client.invoke('echo', `call ${i}`);
        assert.equal(result.returnValue, 0, result.error);
        assert.equal(result.outputText, `call ${i}`);
        placements.push(checkPlaced(result.trace, `echo call ${i}`));
      }
      const samples = PLACEMENT_DEFAULTS.samples;
      // Each place: a cold start, then `samples` measurements.
      const exploring = 2 * (samples + 1);
      assert.deepEqual(placements.slice(0, exploring).map((p) => [p.where, p.reason]),
        Array.from({ length: exploring }, (_, i) => [i % 2 === 0 ? 'browser' : 'cluster', 'explore']));
      const settled = placements.slice(exploring);
      assert.ok(settled.every((p) => p.reason !== 'explore'), JSON.stringify(settled.map((p) => p.reason)));
      const last = settled.at(-1).estimates;
      // Measured, not assumed: both run times, and the round trip from the small calls in the cluster.
      assert.ok(last.browserRunMs > 0 && last.clusterRunMs > 0 && last.rttMs > 0, JSON.stringify(last));
      assert.ok(last.samples.browser >= samples && last.samples.cluster >= samples);
    });
  });

  it('takes where: auto per call, and a compute-heavy call\'s trace carries the cluster\'s own timings when it ran there', async () => {
    await withClient({}, async (client) => {
      const results = [];
      for (let i = 0; i < 2 * (PLACEMENT_DEFAULTS.samples + 1); i += 1) {
        results.push(await client.invoke('pi', '1 2000000', { where: 'auto', chain: 'browser' }));
      }
      for (const [i, result] of results.entries()) {
        assert.equal(result.returnValue, 0, result.error);
        assert.match(result.outputText, /^Pi estimate from 1 x 2000000 samples: 3\.1/);
        checkPlaced(result.trace, `pi call ${i}`);
      }
      const inCluster = results.filter((r) => r.trace.where === 'cluster');
      assert.equal(inCluster.length, PLACEMENT_DEFAULTS.samples + 1);
      assert.ok(inCluster.every((r) => r.trace.runUs > 0));
      // A call with a fixed place has no placement to explain.
      const fixed = await client.invoke('echo', 'x');
      assert.equal(fixed.trace.where, 'browser');
      assert.equal(fixed.trace.placement, undefined);
    });
  });

  it('refuses a place that is none with a TypeError', async () => {
    await withClient({}, async (client) => {
      await assert.rejects(client.invoke('echo', 'x', { where: 'sometimes' }), {
        name: 'TypeError', message: 'invoke options.where must be \'browser\', \'cluster\' or \'auto\', got sometimes',
      });
    });
  });
});
