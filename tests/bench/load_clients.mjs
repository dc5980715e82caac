// The gateway under many WebSocket clients at once, as a Markdown section on stdout:
//   node tests/bench/load_clients.mjs <build dir> [largest count]
// Rounds of 100, 1,000, 10,000 and again 10,000 clients (loopback; the repeat shows whether what the first
// 10,000 left grows), each client connected before any starts: HELLO, a
// STATE_SET, two INVOKEs of hello, a STATE_PULL, every reply checked (tests/gateway/load/clients.mjs, the
// same driver as the gateway.load.clients test), then half close and half drop their sockets. Reported per
// round: the latency of a call (INVOKE to RESULT) while all of them call at once, and the gateway's open
// descriptors and resident memory before, with every client connected and done, and once the clients have
// left and the resume grace has passed. Needs a descriptor limit above the largest count for this process and the gateway (run.sh
// raises the soft limit to the hard one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { gatewayBinary } from '../../tools/demo/gateway.mjs';
import { functionsDirOf } from '../../tools/devserver/server.mjs';
import { buildDirArgument } from './browser/session.mjs';

const GRACE_S = 2;
const buildDir = buildDirArgument('load_clients.mjs');
const largest = Number(process.argv[3] ?? 10_000);
process.env.FAASMJS_GATEWAY ??= gatewayBinary(buildDir);
const { Gateway } = await import('../gateway/protocol/harness.mjs');
const { clientDescriptors, percentile, residentKiB, round, settled, workerProcesses } = await import('../gateway/load/clients.mjs');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-load-'));
const functions = path.join(scratch, 'functions');
fs.mkdirSync(functions);
for (const suffix of ['.wasm', '.async.wasm', '.manifest.json']) {
  const from = path.join(functionsDirOf(buildDir), `hello${suffix}`);
  if (fs.existsSync(from)) fs.copyFileSync(from, path.join(functions, `hello${suffix}`));
}
// Every client comes from 127.0.0.1, so the per-address cap (meant for the open internet) is raised above
// the largest round.
const gateway = await Gateway.start({
  data: path.join(scratch, 'data'),
  functions,
  args: ['--resume-grace', String(GRACE_S), '--max-connections-per-address', '20000'],
});
const rows = [];
try {
  const { pid } = gateway;
  await round(gateway, { count: 50, tag: 'warm' });
  let before = { fds: await settled(pid, GRACE_S), kib: residentKiB(pid) };
  for (const [i, count] of [100, 1000, 10_000, 10_000].filter((n) => n <= largest).entries()) {
    const started = performance.now();
    const { latencies, peakDescriptors, peakKiB } = await round(gateway, { count, tag: `c${i}_`, parallel: 500 });
    const seconds = (performance.now() - started) / 1000;
    const after = { fds: await settled(pid, GRACE_S), kib: residentKiB(pid) };
    rows.push({ count, seconds, latencies, peakDescriptors, peakKiB, before, after, workers: workerProcesses(pid) });
    before = after;
  }
  if (clientDescriptors(pid) > rows[0].before.fds) throw new Error('the gateway kept descriptors of clients that left');
} finally {
  await gateway.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
}

const ms = (value) => value.toFixed(1);
const mib = (kib) => (kib / 1024).toFixed(1);
console.log('| clients at once | calls | p50 call | p99 call | max call | round | descriptors before / all connected / after | RSS MiB before / all connected / after |');
console.log('|---:|---:|---:|---:|---:|---:|---|---|');
for (const r of rows) {
  console.log(`| ${r.count.toLocaleString('en')} | ${r.latencies.length.toLocaleString('en')} | ${ms(percentile(r.latencies, 50))} ms | ` +
              `${ms(percentile(r.latencies, 99))} ms | ${ms(Math.max(...r.latencies))} ms | ${r.seconds.toFixed(1)} s | ` +
              `${r.before.fds} / ${r.peakDescriptors} / ${r.after.fds} | ${mib(r.before.kib)} / ${mib(r.peakKiB)} / ${mib(r.after.kib)} |`);
}
console.log();
console.log(`Every client is connected (HELLO answered) before any calls; then all make their calls at once, so a call's ` +
            `latency is mostly its wait for one of the gateway's ${os.cpus().length} worker slot(s) behind the others. ` +
            'Descriptors exclude the one channel per worker process (the pool kept ' +
            `${rows.at(-1)?.workers ?? 0} after the last round); "after" is once every client left and the ${GRACE_S} s resume ` +
            'grace of the dropped half passed.');
