// The gateway in front of a real Faasm cluster (../shared/faasm: faabric's planner, faasm's WAMR workers), as
// Markdown sections on stdout:
//   node tests/bench/faasm_cluster.mjs <build dir>
// In headless Chromium against faasmjs-gateway --faasm (browser/gateway.js does the measuring):
//   - a chained no-op call browser → Faasm → browser, against the same through the embedded cluster and against
//     a raw WebSocket round trip through the same gateway;
//   - the gateway's added latency: `noop` invoked from the page through the gateway, against the same call made
//     directly by a local HTTP client (EXECUTE_BATCH, then EXECUTE_BATCH_STATUS polled every millisecond);
//   - fork-join throughput into Faasm with 1 and with 2 worker hosts.
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromiumVersion } from '../../tools/demo/chromium.mjs';
import { repoRoot } from '../../tools/demo/gateway.mjs';
import { benchFunctionDirs, buildDirArgument, openBenchPage } from './browser/session.mjs';

const LATENCY_CALLS = 50;
const FORK_JOIN_CALLS = 200;
const RUNS = 3;
const USER = 'bench';
const FIXTURE = process.env.FAASMJS_FAASM_FIXTURE ?? path.join(repoRoot, '..', 'shared', 'faasm', 'faasm.sh');

const buildDir = buildDirArgument('faasm_cluster.mjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-bench-faasm-'));

// Only the functions measured: a user's first call on Faasm waits for every registered function's upload.
const functions = path.join(scratch, 'functions');
fs.mkdirSync(functions);
const testFunctions = benchFunctionDirs(buildDir)[1];
for (const name of ['noop', 'pingpong', 'fanout']) {
  for (const suffix of ['.wasm', '.async.wasm', '.manifest.json']) {
    fs.symlinkSync(path.join(testFunctions, name + suffix), path.join(functions, name + suffix));
  }
}

/** A Faasm cluster of `workers` hosts for the length of `body`, stopped whatever happens. */
async function withCluster(workers, body) {
  const dir = path.join(scratch, `cluster-${workers}`);
  execFileSync(FIXTURE, ['build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const printed = execFileSync(FIXTURE, ['start', dir, '--workers', String(workers)], { encoding: 'utf8' });
  const env = Object.fromEntries(printed.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
  try {
    return await body(env);
  } finally {
    execFileSync(FIXTURE, ['stop', dir], { stdio: 'ignore' });
  }
}

async function plannerRequest(env, type, payload) {
  const response = await fetch(env.FAASM_PLANNER_URL, {
    method: 'POST',
    body: JSON.stringify({ http_type: type, payload: JSON.stringify(payload) }),
  });
  return { status: response.status, text: await response.text() };
}

// What a local client of Faasm does for one call, as fast as it can: submit it, then poll every millisecond.
async function directCall(env, function_) {
  const appId = randomInt(1, 0x7fffffff);
  const message = { id: randomInt(1, 0x7fffffff), appId, user: USER, function: function_ };
  const submitted = await plannerRequest(env, 'EXECUTE_BATCH', { appId, user: USER, function: function_, messages: [message] });
  if (submitted.status !== 200) throw new Error(`EXECUTE_BATCH: ${submitted.status} ${submitted.text}`);
  for (let polls = 0; polls < 60_000; polls += 1) {
    const answer = await plannerRequest(env, 'EXECUTE_BATCH_STATUS', { appId, expectedNumMessages: 1 });
    if (answer.status === 200) {
      const status = JSON.parse(answer.text);
      if (status.finished) {
        if (status.messageResults?.[0]?.returnValue) throw new Error(`${function_} failed on Faasm: ${answer.text}`);
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`${function_} did not finish on Faasm within 60,000 polls`);
}

async function directLatency(env, calls, runs) {
  const times = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) await directCall(env, 'noop');
    times.push((performance.now() - started) / calls);
  }
  return Math.min(...times);
}

/** Runs page measures against a gateway with `gatewayArgs`, closing it afterwards. */
async function onGateway(gatewayArgs, measures) {
  const { page, close, gateway } = await openBenchPage(buildDir, {}, { gateway: true, functionDirs: [functions], gatewayArgs });
  try {
    const results = {};
    for (const [key, [name, options]] of Object.entries(measures)) {
      results[key] = await page.evaluate(
        async ([which, args]) => (await import('/__bench__/gateway.js'))[which](args), [name, options]);
    }
    return results;
  } catch (error) {
    console.error(gateway.log);
    throw error;
  } finally {
    await close();
  }
}

const faasmArgs = (env) => ['--faasm', `planner=${env.FAASM_PLANNER_URL},upload=${env.FAASM_UPLOAD_URL}`, '--call-timeout', '120000'];
let embedded;
let oneHost;
let twoHosts;
try {
  embedded = await onGateway([], { latency: ['latency', { calls: LATENCY_CALLS, runs: RUNS }] });
  oneHost = await withCluster(1, async (env) => {
    const measured = await onGateway(faasmArgs(env), {
      latency: ['latency', { calls: LATENCY_CALLS, runs: RUNS }],
      invoke: ['invokeLatency', { calls: LATENCY_CALLS, runs: RUNS }],
      forkJoin: ['forkJoin', { calls: FORK_JOIN_CALLS, runs: RUNS }],
    });
    // After the gateway's calls: they uploaded noop to Faasm under this user.
    return { ...measured, direct: await directLatency(env, LATENCY_CALLS, RUNS) };
  });
  twoHosts = await withCluster(2, (env) => onGateway(faasmArgs(env), {
    forkJoin: ['forkJoin', { calls: FORK_JOIN_CALLS, runs: RUNS }],
  }));
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

const ms = (value) => value.toFixed(2);
const ratio = (value, baseline) => `${(value / baseline).toFixed(2)}×`;
console.log('### Latency of one call');
console.log();
console.log('| per round trip | ms | vs raw WebSocket |');
console.log('|---|---:|---:|');
console.log(`| raw WebSocket PING/PONG through the gateway (baseline) | ${ms(oneHost.latency.raw)} | 1.00× |`);
console.log(`| chained no-op call, browser → embedded cluster → browser | ${ms(embedded.latency.chained)} | ${ratio(embedded.latency.chained, oneHost.latency.raw)} |`);
console.log(`| chained no-op call, browser → Faasm → browser | ${ms(oneHost.latency.chained)} | ${ratio(oneHost.latency.chained, oneHost.latency.raw)} |`);
console.log();
console.log(`Best of ${RUNS} runs of ${LATENCY_CALLS} sequential round trips: \`pingpong\` (tests/gateway/functions) `
            + 'running in the page with JSPI, each iteration chaining `noop` and awaiting it.');
console.log();
console.log('### The gateway\'s added latency');
console.log();
console.log('| one `noop` call on Faasm, one after another | ms | vs direct |');
console.log('|---|---:|---:|');
console.log(`| a local HTTP client: EXECUTE_BATCH, then EXECUTE_BATCH_STATUS every 1 ms (baseline) | ${ms(oneHost.direct)} | 1.00× |`);
console.log(`| \`invoke\` where:'cluster' from the page, through the gateway | ${ms(oneHost.invoke)} | ${ratio(oneHost.invoke, oneHost.direct)} |`);
console.log();
console.log('The baseline is Node\'s fetch (kept-alive connections) polling every millisecond; the gateway uses '
            + 'libcurl and polls each call adaptively, from 3 ms growing ×1.5 to 150 ms (Faasm\'s own client polls '
            + 'every 2 s), and adds the WebSocket hop to the page.');
console.log();
console.log('### Fork-join into Faasm');
console.log();
console.log('| worker hosts | calls/s | vs 1 host |');
console.log('|---|---:|---:|');
console.log(`| 1 | ${Math.round(oneHost.forkJoin)} | 1.00× |`);
console.log(`| 2 | ${Math.round(twoHosts.forkJoin)} | ${ratio(twoHosts.forkJoin, oneHost.forkJoin)} |`);
console.log();
console.log(`\`fanout ${FORK_JOIN_CALLS}\` in the page: ${FORK_JOIN_CALLS} no-op calls chained into Faasm at once, then `
            + `all awaited; best of ${RUNS}. Every host has 8 slots; every host of the fixture shares this machine's `
            + `${os.cpus().length} cores with the planner, the gateway and the browser, so a second host adds slots, not `
            + `cores. Headless ${chromiumVersion()}.`);
