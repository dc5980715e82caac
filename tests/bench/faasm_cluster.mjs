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
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { chromiumVersion } from '../../tools/demo/chromium.mjs';
import { repoRoot } from '../../tools/demo/gateway.mjs';
import { buildDirArgument, linkFunctions, openBenchPage } from './browser/session.mjs';

const LATENCY_CALLS = 50;
const FORK_JOIN_CALLS = 200;
const RUNS = 3;
const USER = 'bench';
const FIXTURE = process.env.FAASMJS_FAASM_FIXTURE ?? path.join(repoRoot, '..', 'shared', 'faasm', 'faasm.sh');

const buildDir = buildDirArgument('faasm_cluster.mjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-bench-faasm-'));

// Only the functions measured: a user's first call on Faasm waits for every registered function's upload.
const functions = linkFunctions(buildDir, ['noop', 'pingpong', 'fanout'], path.join(scratch, 'functions'));

/**
 * A fresh Faasm cluster of `workers` hosts for the length of `body`, stopped whatever happens. Fresh for every
 * measure: the fixture's workers grow with every call they run and slow down (workerMemory below).
 */
let clusters = 0;
async function withCluster(workers, body) {
  const dir = path.join(scratch, `cluster-${clusters += 1}`);
  execFileSync(FIXTURE, ['build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const printed = execFileSync(FIXTURE, ['start', dir, '--workers', String(workers)], { encoding: 'utf8' });
  const env = Object.fromEntries(printed.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
  try {
    return await body(env, dir);
  } finally {
    execFileSync(FIXTURE, ['stop', dir], { stdio: 'ignore' });
  }
}

/** The resident memory of the cluster's first worker (its pid from faasm.sh's pid files), in MiB. */
function workerMemory(dir) {
  const pid = fs.readFileSync(path.join(dir, 'pids', 'worker-1.pid'), 'utf8').trim();
  const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(rss[1]) / 1024;
}

// The quickest local client: node:http on one kept-alive connection (fetch costs about 1 ms more per request).
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function plannerRequest(env, type, payload) {
  const url = new URL(env.FAASM_PLANNER_URL);
  const body = JSON.stringify({ http_type: type, payload: JSON.stringify(payload) });
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, method: 'POST', path: '/', agent }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk) => { text += chunk; }).on('end', () => resolve({ status: response.statusCode, text }));
    });
    request.on('error', reject);
    request.end(body);
  });
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

function uploadNoop(env) {
  const wasm = fs.readFileSync(path.join(functions, 'noop.wasm'));
  return fetch(`${env.FAASM_UPLOAD_URL}/f/${USER}/noop`, { method: 'PUT', body: wasm }).then(async (response) => {
    if (!response.ok) throw new Error(`upload of noop: ${response.status} ${await response.text()}`);
  });
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
const fresh = (hosts, measure) => withCluster(hosts, async (env, dir) => ({ ...await measure(env), memory: workerMemory(dir) }));
let embedded;
let chained;
let direct;
let invoke;
const forkJoin = {};
try {
  embedded = await onGateway([], { latency: ['latency', { calls: LATENCY_CALLS, runs: RUNS }] });
  chained = await fresh(1, (env) => onGateway(faasmArgs(env), { latency: ['latency', { calls: LATENCY_CALLS, runs: RUNS }] }));
  direct = await fresh(1, async (env) => {
    await uploadNoop(env);
    await directCall(env, 'noop');
    return { ms: await directLatency(env, LATENCY_CALLS, RUNS) };
  });
  invoke = await fresh(1, async (env) => ({
    ms: (await onGateway(faasmArgs(env), { ms: ['invokeLatency', { calls: LATENCY_CALLS, runs: RUNS }] })).ms,
  }));
  for (const hosts of [1, 2]) {
    forkJoin[hosts] = await fresh(hosts, async (env) => onGateway(faasmArgs(env), {
      rate: ['forkJoin', { calls: FORK_JOIN_CALLS, runs: RUNS }],
    }));
  }
} finally {
  agent.destroy();
  fs.rmSync(scratch, { recursive: true, force: true });
}

const ms = (value) => value.toFixed(2);
const ratio = (value, baseline) => `${(value / baseline).toFixed(2)}×`;
console.log('### Latency of one call');
console.log();
console.log('| per round trip | ms | vs raw WebSocket |');
console.log('|---|---:|---:|');
console.log(`| raw WebSocket PING/PONG through the gateway (baseline) | ${ms(chained.latency.raw)} | 1.00× |`);
console.log(`| chained no-op call, browser → embedded cluster → browser | ${ms(embedded.latency.chained)} | ${ratio(embedded.latency.chained, chained.latency.raw)} |`);
console.log(`| chained no-op call, browser → Faasm → browser | ${ms(chained.latency.chained)} | ${ratio(chained.latency.chained, chained.latency.raw)} |`);
console.log();
console.log(`Best of ${RUNS} runs of ${LATENCY_CALLS} sequential round trips: \`pingpong\` (tests/gateway/functions) `
            + 'running in the page with JSPI, each iteration chaining `noop` and awaiting it.');
console.log();
console.log('### The gateway\'s added latency');
console.log();
console.log('| one `noop` call on Faasm, one after another | ms | vs direct |');
console.log('|---|---:|---:|');
console.log(`| a local HTTP client: EXECUTE_BATCH, then EXECUTE_BATCH_STATUS every 1 ms (baseline) | ${ms(direct.ms)} | 1.00× |`);
console.log(`| \`invoke\` where:'cluster' from the page, through the gateway | ${ms(invoke.ms)} | ${ratio(invoke.ms, direct.ms)} |`);
console.log();
console.log('The baseline is node:http on one kept-alive connection polling every millisecond; the gateway uses '
            + 'libcurl and polls each call adaptively, from 3 ms growing ×1.5 to 150 ms (Faasm\'s own client polls '
            + 'every 2 s), and adds the WebSocket hop to the page.');
console.log();
console.log('### Fork-join into Faasm');
console.log();
console.log('| worker hosts | calls/s | vs 1 host |');
console.log('|---|---:|---:|');
console.log(`| 1 | ${Math.round(forkJoin[1].rate)} | 1.00× |`);
console.log(`| 2 | ${Math.round(forkJoin[2].rate)} | ${ratio(forkJoin[2].rate, forkJoin[1].rate)} |`);
console.log();
console.log(`\`fanout ${FORK_JOIN_CALLS}\` in the page: ${FORK_JOIN_CALLS} no-op calls chained into Faasm at once, then `
            + `all awaited; best of ${RUNS}. Every host has 8 slots; every host of the fixture shares this machine's `
            + `${os.cpus().length} cores with the planner, the gateway and the browser, so a second host adds slots, not `
            + `cores. Headless ${chromiumVersion()}.`);
console.log();
console.log('### The fixture\'s Faasm worker over many calls');
console.log();
console.log('| after | resident memory of the first worker |');
console.log('|---|---:|');
console.log(`| ${LATENCY_CALLS * RUNS + 1} sequential no-op calls (the direct client's run) | ${Math.round(direct.memory)} MiB |`);
console.log(`| ${FORK_JOIN_CALLS * RUNS + 16} no-op calls in fork-joins (the one-host row) | ${Math.round(forkJoin[1].memory)} MiB |`);
console.log();
console.log('Faasm\'s worker (pool_runner, WAMR) grows with every call it runs and slows down with it, so every '
            + 'measure above runs on a fresh cluster of its own: with one cluster for all of them, the later measures '
            + 'ran 3-4× slower than the same measures on a fresh one. A long-lived Faasm cluster behind the gateway '
            + 'needs its workers restarted now and then (or a Faasm without this growth).');
