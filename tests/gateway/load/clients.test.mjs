// 1,000 WebSocket clients at once on loopback, each making calls and state requests and checking every
// reply; then, once they have left and the resume grace has passed, the gateway's open descriptors are back
// to what they were before, and a second round grows its memory far less than the first did (what the
// first grew is the allocator's and the caches' high-water mark, not a leak).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { Gateway, functionsDir, scratchDir } from '../protocol/harness.mjs';
import { percentile, residentKiB, round, settled, workerProcesses } from './clients.mjs';

const CLIENTS = 1000;
const GRACE_S = 1;
const SLACK_KIB = 16 << 10;

describe('1,000 concurrent clients', { timeout: 400_000 }, () => {
  let gateway;
  after(async () => { await gateway?.stop(); });

  test('every reply right, no descriptor kept, memory flat from one round to the next', async (t) => {
    const scratch = scratchDir();
    gateway = await Gateway.start({ data: join(scratch, 'data'), functions: functionsDir(scratch),
      args: ['--resume-grace', String(GRACE_S)] });
    const { pid } = gateway;
    // A warm-up round brings the worker pool and the compiled module to their steady state.
    await round(gateway, { count: 50, tag: 'w' });
    const baseline = { fds: await settled(pid, GRACE_S), kib: residentKiB(pid), workers: workerProcesses(pid) };
    const rounds = [];
    for (const tag of ['a', 'b']) {
      const { latencies, peakDescriptors } = await round(gateway, { count: CLIENTS, tag });
      assert.equal(latencies.length, CLIENTS * 2);
      rounds.push({ fds: await settled(pid, GRACE_S), kib: residentKiB(pid), workers: workerProcesses(pid), peakDescriptors, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
    }
    t.diagnostic(`baseline ${baseline.fds} fds besides ${baseline.workers} worker(s), ${baseline.kib} KiB; ` + rounds.map((r, i) =>
      `round ${i + 1}: peak ${r.peakDescriptors} fds, after ${r.fds} fds besides ${r.workers} worker(s), ${r.kib} KiB, INVOKE p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms`).join('; '));
    for (const [i, r] of rounds.entries()) {
      assert.ok(r.fds <= baseline.fds, `round ${i + 1} left ${r.fds - baseline.fds} descriptor(s) open (${r.fds} against ${baseline.fds})`);
    }
    const first = rounds[0].kib - baseline.kib;
    const second = rounds[1].kib - rounds[0].kib;
    assert.ok(second <= SLACK_KIB + first / 2, `memory grew ${first} KiB in round 1 and again ${second} KiB in round 2`);
  });
});
