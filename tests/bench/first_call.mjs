// How long a function's first call waits for the compiler, as a Markdown section on stdout:
//   node tests/bench/first_call.mjs <build dir>
// A gateway starts with every function of the clang sub-build registered (--functions) and an empty compile
// cache, and the page-less client measures start → the first result of `hello`, then the upload of a 200 KB
// function (sleeper, made unique per run so that no cache has it) → its first result. Once with `--tiers
// optimised` (the baseline: every compile is cc -O2, as before the quick tier) and once with the default
// `--tiers both` (tcc first, cc -O2 swapped in after), alternating, median of RUNS each. Then what the quick
// tier's code costs while it serves: pi on each tier's code, best of RUNS, same input.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import WebSocket from 'ws';

import { connect } from '../../sdk/js/index.js';
import { gatewayBinary, startGateway } from '../../tools/demo/gateway.mjs';
import { functionsDirOf } from '../../tools/devserver/server.mjs';
import { buildDirArgument, median } from './browser/session.mjs';

const RUNS = 3;
const PI_INPUT = '1 20000000';

const buildDir = buildDirArgument('first_call.mjs');
const subBuild = path.join(functionsDirOf(buildDir), '..', '..');

// Every folder of the sub-build holding function binaries, the examples last so that their `hello` wins.
function functionDirs() {
  const dirs = [];
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'CMakeFiles') visit(path.join(dir, entry.name));
    }
    if (fs.readdirSync(dir).some((file) => file.endsWith('.wasm') && !file.endsWith('.async.wasm'))) dirs.push(dir);
  };
  visit(subBuild);
  const examples = path.resolve(functionsDirOf(buildDir));
  return [...dirs.filter((dir) => path.resolve(dir) !== examples), examples];
}

const dirs = functionDirs();
const registered = new Set(dirs.flatMap((dir) => fs.readdirSync(dir)
  .filter((file) => file.endsWith('.wasm') && !file.endsWith('.async.wasm')))).size;
const sleeper = fs.readFileSync(path.join(subBuild, 'tests', 'gateway', 'functions', 'sleeper.wasm'));

// The same binary with a custom section of its own: another SHA-256, so a compile of its own.
function unique(wasm, tag) {
  const name = Buffer.from(`bench-${tag}`);
  return Buffer.concat([wasm, Buffer.from([0, name.length + 1, name.length]), name]);
}

async function withFreshGateway(tiers, body) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-first-call-'));
  try {
    const started = performance.now();
    const gateway = await startGateway({
      binary: gatewayBinary(buildDir), functionDirs: dirs, dataDir, cacheDir: path.join(dataDir, 'cache'),
      args: ['--tiers', tiers],
    });
    try {
      const client = await connect(gateway.wsUrl, { token: gateway.token('bench'), webSocket: WebSocket });
      try {
        return await body(client, started, gateway);
      } finally {
        client.close();
      }
    } catch (error) {
      console.error(gateway.log);
      throw error;
    } finally {
      await gateway.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function result(client, name, input) {
  const answer = await client.invoke(name, input, { where: 'cluster' });
  if (answer.returnValue !== 0) throw new Error(`${name} failed: ${answer.error}`);
  return answer;
}

async function firstCalls(tiers, run) {
  return withFreshGateway(tiers, async (client, started) => {
    await result(client, 'hello', '');
    const startMs = performance.now() - started;
    const uploading = performance.now();
    const { compileMs } = await client.upload('uploaded', unique(sleeper, `${tiers}-${run}`));
    await result(client, 'uploaded', 'bench 0');
    return { startMs, uploadMs: performance.now() - uploading, compileMs };
  });
}

// pi's run time in its worker on the code of one tier (its own compile waited for by a first call).
async function piRunMs(tiers) {
  return withFreshGateway(tiers, async (client) => {
    await result(client, 'pi', '1 1000');
    let best = Infinity;
    for (let i = 0; i < RUNS; i += 1) {
      const answer = await result(client, 'pi', PI_INPUT);
      best = Math.min(best, [answer.trace, ...answer.trace.chained].reduce((sum, call) => sum + call.runUs, 0) / 1000);
    }
    return best;
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const measured = { optimised: [], both: [] };
for (let run = 0; run < RUNS; run += 1) {
  for (const tiers of ['optimised', 'both']) measured[tiers].push(await firstCalls(tiers, run));
}
const quickPi = await piRunMs('quick');
const optimisedPi = await piRunMs('optimised');

const row = (what, key) => {
  const baseline = median(measured.optimised.map((m) => m[key]));
  const quick = median(measured.both.map((m) => m[key]));
  return `| ${what} | ${seconds(baseline)} | ${seconds(quick)} | ${(baseline / quick).toFixed(1)}× |`;
};
console.log(`With ${registered} functions registered and an empty compile cache, on a fresh gateway; median of ${RUNS} runs each, alternating.`);
console.log('');
console.log('| first result | `--tiers optimised` (cc -O2 only) | `--tiers both` (default) | faster |');
console.log('|---|---:|---:|---:|');
console.log(row('start → `hello`', 'startMs'));
console.log(row('upload of a 200 KB function → its result', 'uploadMs'));
const compileMs = median(measured.both.map((m) => m.compileMs));
console.log('');
console.log(`No call waits for the optimising compiler (goal): with \`--tiers both\` the upload's compile took ${compileMs} ms ` +
  "(the quick tier's checks, wasm2c and tcc); the rest of its time is mostly faasmjs-asyncify making the browser " +
  'variant, at the same time. cc -O2 then builds each function in the background, and the calls that start ' +
  'after it is done run on its code, in the same workers.');
console.log('');
console.log(`What the quick tier's code costs until the optimised module replaces it: pi (\`${PI_INPUT}\`) runs in ` +
  `${optimisedPi.toFixed(0)} ms on cc -O2's code and ${quickPi.toFixed(0)} ms on tcc's ` +
  `(${(quickPi / optimisedPi).toFixed(1)}×), best of ${RUNS}.`);
