// The embedded cluster's cost of a fresh instance per call, as a Markdown section on stdout:
//   node tests/bench/fresh_instance.mjs <build dir>
// Starts the build's gateway with the example functions and a scratch compile cache, waits until it has
// compiled them, then has faasmjs-worker instantiate each compiled module (wasm2c's instantiate, the data
// segments, __wasm_call_ctors, _faasm_zygote, then free) many times. Goal: ≤ 100 µs after the first.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { functionsDirOf } from '../../tools/devserver/server.mjs';
import { gatewayBinary, startGateway } from '../../tools/demo/gateway.mjs';
import { buildDirArgument } from './browser/session.mjs';

const COUNT = 2000;
const READY_TIMEOUT_MS = 600_000;

const buildDir = buildDirArgument('fresh_instance.mjs');
const functionsDir = functionsDirOf(buildDir);
const names = fs.readdirSync(functionsDir).filter((file) => /^\w+\.wasm$/.test(file) && !file.endsWith('.async.wasm'))
  .map((file) => file.slice(0, -5)).sort();
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-fresh-'));
const gateway = await startGateway({ binary: gatewayBinary(buildDir), functionDirs: [functionsDir], cacheDir: cache });
const worker = path.join(path.dirname(gatewayBinary(buildDir)), 'faasmjs-worker');
const rows = [];
try {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (names.some((name) => !gateway.log.includes(`${name} ready`)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const name of names) {
    const sha = createHash('sha256').update(fs.readFileSync(path.join(functionsDir, `${name}.wasm`))).digest('hex');
    const module = fs.readdirSync(cache).find((file) => file.startsWith(sha) && file.endsWith('.so'));
    if (module === undefined) throw new Error(`${name} was not compiled:\n${gateway.log}`);
    const us = Number(execFileSync(worker, ['--bench-instantiate', path.join(cache, module), String(COUNT)], { encoding: 'utf8' }));
    rows.push({ name, us, kb: fs.statSync(path.join(functionsDir, `${name}.wasm`)).size / 1024 });
  }
} finally {
  await gateway.close();
  fs.rmSync(cache, { recursive: true, force: true });
}

console.log('| function | plain .wasm | µs per fresh instance |');
console.log('|---|---:|---:|');
for (const { name, us, kb } of rows) console.log(`| \`${name}\` | ${kb.toFixed(0)} KiB | ${us.toFixed(1)} |`);
console.log();
const worst = rows.reduce((max, row) => Math.max(max, row.us), 0);
console.log(`Worst ${worst.toFixed(1)} µs (goal ≤ 100 µs after the first): instantiate (linear memory reserved with guard `
            + 'pages, data segments copied), `__wasm_call_ctors`, `_faasm_zygote` and free, averaged over '
            + `${COUNT} instances after a first one, in one faasmjs-worker process.`);
