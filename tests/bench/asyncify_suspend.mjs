// Cost of one suspension through sdk/js/asyncify.js, as a Markdown table on stdout.
//   node tests/bench/asyncify_suspend.mjs <build dir>
// A loop of calls to a blocking import that returns an already-resolved Promise, transformed by the build's
// faasmjs-asyncify, timed per call against two baselines in the same run: the same import answering
// synchronously (plain binary), and a bare Asyncify driver (unwind, await, rewind, nothing else), which
// the design brief measured at 0.36–0.44 µs in Chromium. Goal: the driver within 2× of the bare one.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { instantiate } from '../../sdk/js/asyncify.js';

const buildDir = process.argv[2];
if (!buildDir) {
  console.error('usage: asyncify_suspend.mjs <build dir>');
  process.exit(2);
}
const tool = path.join(buildDir, 'tools/asyncify/faasmjs-asyncify');
const CALLS = 200_000;
const RUNS = 5;
const DATA = 1024;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-suspend-'));
const plainFile = path.join(scratch, 'loop.wasm');
const asyncFile = path.join(scratch, 'loop.async.wasm');
fs.writeFileSync(path.join(scratch, 'loop.wat'), `(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start") (param $n i32) (result i32) (local $sum i32)
    (block $done (loop $again
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $sum (i32.add (local.get $sum) (call $await (local.get $n))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $again)))
    (local.get $sum))
  (func (export "malloc") (param i32) (result i32) (i32.const ${DATA})))`);
execFileSync('wat2wasm', [path.join(scratch, 'loop.wat'), '-o', plainFile]);
execFileSync(tool, [plainFile, '-o', asyncFile]);
const plain = fs.readFileSync(plainFile);
const asyncified = fs.readFileSync(asyncFile);
fs.rmSync(scratch, { recursive: true });

const microseconds = (start) => ((performance.now() - start) * 1000) / CALLS;

async function synchronous() {
  const { instance } = await WebAssembly.instantiate(plain, { env: { __faasm_await_call: (id) => id } });
  const start = performance.now();
  instance.exports._start(CALLS);
  return microseconds(start);
}

async function bare() {
  let exports;
  let value;
  const { instance } = await WebAssembly.instantiate(asyncified, { env: { __faasm_await_call: (id) => {
    if (exports.asyncify_get_state() === 2) {
      exports.asyncify_stop_rewind();
      return value;
    }
    value = Promise.resolve(id);
    new Int32Array(exports.memory.buffer, DATA, 2).set([DATA + 8, DATA + 4096]);
    exports.asyncify_start_unwind(DATA);
    return 0;
  } } });
  exports = instance.exports;
  const start = performance.now();
  exports._start(CALLS);
  while (exports.asyncify_get_state() === 1) {
    exports.asyncify_stop_unwind();
    value = await value;
    exports.asyncify_start_rewind(DATA);
    exports._start(CALLS);
  }
  return microseconds(start);
}

async function driver() {
  const { instance } = await instantiate(asyncified, { env: { __faasm_await_call: (id) => Promise.resolve(id) } },
                                         { suspending: ['env.__faasm_await_call'] });
  const start = performance.now();
  await instance.exports._start(CALLS);
  return microseconds(start);
}

async function best(measure) {
  let fastest = Infinity;
  for (let run = 0; run < RUNS; run += 1) fastest = Math.min(fastest, await measure());
  return fastest;
}

const results = { synchronous: await best(synchronous), bare: await best(bare), driver: await best(driver) };
console.log('| per call | µs | vs bare driver |');
console.log('|---|---:|---:|');
console.log(`| synchronous import (plain binary) | ${results.synchronous.toFixed(3)} | ${(results.synchronous / results.bare).toFixed(2)}× |`);
console.log(`| bare Asyncify driver | ${results.bare.toFixed(3)} | 1.00× |`);
console.log(`| sdk/js/asyncify.js | ${results.driver.toFixed(3)} | ${(results.driver / results.bare).toFixed(2)}× |`);
console.log();
console.log(`Best of ${RUNS} runs of ${CALLS} calls, each suspending on an already-resolved Promise; Node ${process.versions.node}.`);
console.log(`Goal: sdk/js/asyncify.js within 2× of the bare driver.`);
