// Cost of one suspend/resume round trip in headless Chromium, as a Markdown section on stdout:
//   node tests/bench/browser_suspend.mjs <build dir>
// A loop of calls to a blocking import that returns an already-resolved Promise (browser/suspend-loop.wat,
// transformed by the build's faasmjs-asyncify), timed per call: JSPI on the plain binary, Asyncify with a
// bare driver and with sdk/js/asyncify.js, against a synchronous import in the same run. The design brief
// measured JSPI at 0.13–0.26 µs and a bare Asyncify driver at 0.36–0.44 µs on this kind of machine; the
// runtime's suspensions should stay within 2× of those.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromiumVersion } from '../../tools/demo/chromium.mjs';
import { buildDirArgument, openBenchPage } from './browser/session.mjs';

const CALLS = 200_000;
const RUNS = 7;

const buildDir = buildDirArgument('browser_suspend.mjs');
const tool = path.join(buildDir, 'tools/asyncify/faasmjs-asyncify');
const wat = fileURLToPath(new URL('browser/suspend-loop.wat', import.meta.url));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-suspend-'));
let plain;
let asyncified;
try {
  execFileSync('wat2wasm', [wat, '-o', path.join(scratch, 'loop.wasm')]);
  execFileSync(tool, [path.join(scratch, 'loop.wasm'), '-o', path.join(scratch, 'loop.async.wasm')]);
  plain = fs.readFileSync(path.join(scratch, 'loop.wasm'));
  asyncified = fs.readFileSync(path.join(scratch, 'loop.async.wasm'));
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

const { page, close } = await openBenchPage(buildDir, { 'loop.wasm': plain, 'loop.async.wasm': asyncified });
let results;
try {
  results = await page.evaluate(async (options) => (await import('/__bench__/suspend.js')).measure(options),
    { plainUrl: '/__bench__/loop.wasm', asyncUrl: '/__bench__/loop.async.wasm', calls: CALLS, runs: RUNS });
} finally {
  await close();
}

const row = (label, value, base) => `| ${label} | ${value.toFixed(3)} | ${(value / base).toFixed(2)}× |`;
console.log('| per call | µs | vs synchronous import |');
console.log('|---|---:|---:|');
console.log(row('synchronous import (plain binary)', results.synchronous, results.synchronous));
console.log(row('JSPI (`WebAssembly.Suspending` + `promising`, plain binary)', results.jspi, results.synchronous));
console.log(row('bare Asyncify driver (unwind, await, rewind)', results.bare, results.synchronous));
console.log(row('sdk/js/asyncify.js', results.driver, results.synchronous));
console.log();
console.log(`Asyncify vs JSPI: ${(results.bare / results.jspi).toFixed(2)}× (bare driver), `
            + `${(results.driver / results.jspi).toFixed(2)}× (sdk/js/asyncify.js); `
            + `sdk/js/asyncify.js vs bare driver: ${(results.driver / results.bare).toFixed(2)}× (goal ≤ 2×).`);
console.log();
console.log(`Best of ${RUNS} runs of ${CALLS} calls, each suspending on an already-resolved Promise, variants `
            + `interleaved; headless ${chromiumVersion()}. performance.now() is coarsened to 0.1 ms on a page `
            + 'without cross-origin isolation, far below a run\'s length.');
