// The embedded cluster's cost of a fresh instance per call, as a Markdown section on stdout:
//   node tests/bench/fresh_instance.mjs <build dir>
// Starts the build's gateway with the example functions and a scratch compile cache, waits until it has
// compiled them, then has faasmjs-worker measure each compiled module: an instance made from scratch
// (wasm2c's instantiate, the data segments, __wasm_call_ctors, _faasm_zygote, then free) against a kept
// instance reset to its snapshot (worker/warm_instances.h), which is what a call of a kept module starts on.
// Goal: ≤ 5 µs per instance after the first.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { functionsDirOf } from '../../tools/devserver/server.mjs';
import { gatewayBinary, startGateway } from '../../tools/demo/gateway.mjs';
import { STEADY_STATE_ARGS, buildDirArgument, untilReady } from './browser/session.mjs';

const COUNT = 2000;
const READY_TIMEOUT_MS = 600_000;

const buildDir = buildDirArgument('fresh_instance.mjs');
const functionsDir = functionsDirOf(buildDir);
const names = fs.readdirSync(functionsDir).filter((file) => /^\w+\.wasm$/.test(file) && !file.endsWith('.async.wasm'))
  .map((file) => file.slice(0, -5)).sort();
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-fresh-'));
const gateway = await startGateway({
  binary: gatewayBinary(buildDir), functionDirs: [functionsDir], cacheDir: cache, args: [...STEADY_STATE_ARGS],
});
const worker = path.join(path.dirname(gatewayBinary(buildDir)), 'faasmjs-worker');
const rows = [];
try {
  await untilReady(gateway, names, READY_TIMEOUT_MS);
  for (const name of names) {
    const sha = createHash('sha256').update(fs.readFileSync(path.join(functionsDir, `${name}.wasm`))).digest('hex');
    const module = fs.readdirSync(cache).find((file) => file.startsWith(sha) && file.endsWith('.so'));
    if (module === undefined) throw new Error(`${name} was not compiled:\n${gateway.log}`);
    const cost = JSON.parse(execFileSync(worker, ['--bench-instantiate', path.join(cache, module), String(COUNT)],
      { encoding: 'utf8' }));
    rows.push({ name, ...cost, kb: fs.statSync(path.join(functionsDir, `${name}.wasm`)).size / 1024 });
  }
} finally {
  await gateway.close();
  fs.rmSync(cache, { recursive: true, force: true });
}

const GOAL_US = 5;
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
console.log('| function | plain .wasm | µs from scratch | µs reset from its snapshot | vs scratch | snapshot copy | resident pages |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  const reset = row.resettable
    ? `${row.resetUs.toFixed(2)} | ${(row.resetUs / row.scratchUs).toFixed(2)}× | ${kib(row.snapshotBytes)} | ${kib(row.residentBytes)}`
    : 'not kept | | | ';
  console.log(`| \`${row.name}\` | ${kib(row.kb * 1024)} | ${row.scratchUs.toFixed(1)} | ${reset} |`);
}
console.log();
const kept = rows.filter((row) => row.resettable);
const worst = kept.reduce((max, row) => Math.max(max, row.resetUs), 0);
const scratchWorst = rows.reduce((max, row) => Math.max(max, row.scratchUs), 0);
console.log(`${kept.length} of ${rows.length} functions are kept warm; their worst reset ${worst.toFixed(2)} µs `
            + `(goal ≤ ${GOAL_US} µs: ${worst <= GOAL_US ? 'met' : 'missed'}), against ${scratchWorst.toFixed(1)} µs `
            + 'for the worst instance from scratch. A reset copies back the pages of memory that were not zero after the '
            + 'constructors and zygote, zeroes the others (clearing those the first call touched, discarding the rest), '
            + 'takes back what the call grew, and restores the instance struct and the table. Before each reset the '
            + 'instance runs `_start` with no input and its host calls refused (a function that chains or uses state stops at that '
            + `host call). Averages over ${COUNT} instances after a first, in one faasmjs-worker process. "Snapshot copy" is `
            + 'what a kept instance adds to the worker beyond its own memory; "resident pages" is that memory in RAM '
            + 'after a reset (Faasm reports ~90 KB PSS per Proto-Faaslet). A function is not kept when its constructors '
            + 'call an import, or its module has state beyond one memory and its function table.');
