// What the gateway's thread hand-offs cost one call, as a Markdown section on stdout:
//   node tests/bench/gateway_handoffs.mjs <build dir>
// A no-op INVOKE crosses four hand-offs inside the gateway that a PING does not (service thread → worker
// slot → worker process → slot → service thread). One after another, through the protocol tests' harness
// (one frame per request, so the client adds little), this measures the median latency of a PING and of an
// INVOKE of `noop`, and the pipelined INVOKE rate, against two gateways: one as started, its threads on any
// CPU, and one whose threads and processes are all confined to one CPU (taskset), where each hand-off is a
// context switch instead of a wake-up of another CPU. The difference of INVOKE − PING between the two is what
// the cross-CPU wake-ups cost here; the rates show what confining costs the throughput.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { TYPE } from '../../sdk/js/transport/codec.js';
import { gatewayBinary } from '../../tools/demo/gateway.mjs';
import { buildDirArgument, linkFunctions, median, untilReady, withGateway } from './browser/session.mjs';

const RUNS = 3;
const SEQUENTIAL = 2000;
const PIPELINED = 4000;
const WINDOW = 256;
const USER = 'bench';
const READY_TIMEOUT_MS = 600_000;

const buildDir = buildDirArgument('gateway_handoffs.mjs');
process.env.FAASMJS_GATEWAY ??= gatewayBinary(buildDir);
const { Client } = await import('../gateway/protocol/harness.mjs');

// The first CPU this process may run on: the one the confined gateway gets.
function firstAllowedCpu() {
  const allowed = fs.readFileSync('/proc/self/status', 'utf8').match(/^Cpus_allowed_list:\s*(\d+)/m);
  if (!allowed) throw new Error('gateway_handoffs.mjs: /proc/self/status names no Cpus_allowed_list');
  return allowed[1];
}


async function sequentialUs(client, type, fields, ok) {
  const times = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) {
    const started = performance.now();
    const reply = await client.request(type, fields);
    times.push((performance.now() - started) * 1000);
    if (!ok(reply)) throw new Error(`gateway_handoffs.mjs: request ${type} failed: ${JSON.stringify(reply)}`);
  }
  return median(times);
}

async function pipelinedRate(client) {
  let sent = 0;
  const lane = async () => {
    while (sent < PIPELINED) {
      sent += 1;
      const reply = await client.request(TYPE.INVOKE, { function: 'noop' });
      if (reply.status !== 'finished') throw new Error(`gateway_handoffs.mjs: noop ${JSON.stringify(reply)}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: WINDOW }, lane));
  return PIPELINED / ((performance.now() - started) / 1000);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-handoffs-'));
const functions = linkFunctions(buildDir, ['noop'], path.join(scratch, 'functions'));
const cacheDir = path.join(scratch, 'cache');
const cpu = firstAllowedCpu();
const VARIANTS = [
  { name: 'as started: its threads and workers on any of the CPUs', confine: false },
  { name: `confined: its threads and workers all on CPU ${cpu} (taskset)`, confine: true },
];
const best = new Map();
const keep = (key, value, better) => best.set(key, best.has(key) ? better(best.get(key), value) : value);
try {
  for (let run = 0; run < RUNS; run += 1) {
    for (const variant of VARIANTS) {
      await withGateway({ binary: gatewayBinary(buildDir), functionDirs: [functions], cacheDir }, async (gateway) => {
        // Before any worker starts: every thread and process it makes later inherits the mask.
        if (variant.confine) execFileSync('taskset', ['-a', '-p', '-c', cpu, String(gateway.pid)], { stdio: 'ignore' });
        await untilReady(gateway, ['noop'], READY_TIMEOUT_MS);
        const client = await Client.connect(gateway.wsUrl, { user: USER, token: gateway.token(USER) });
        try {
          await sequentialUs(client, TYPE.INVOKE, { function: 'noop' }, (reply) => reply.status === 'finished');
          const ping = await sequentialUs(client, TYPE.PING, { payload: new Uint8Array(16) }, (reply) => reply.type === TYPE.PONG);
          const invoke = await sequentialUs(client, TYPE.INVOKE, { function: 'noop' }, (reply) => reply.status === 'finished');
          keep(`${variant.name} ping`, ping, Math.min);
          keep(`${variant.name} invoke`, invoke, Math.min);
          keep(`${variant.name} rate`, await pipelinedRate(client), Math.max);
        } finally {
          await client.close();
        }
      });
    }
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}

const [free, confined] = VARIANTS.map(({ name }) => ({
  name, ping: best.get(`${name} ping`), invoke: best.get(`${name} invoke`), rate: best.get(`${name} rate`),
}));
const us = (value) => value.toFixed(0);
console.log('| gateway | PING µs | no-op INVOKE µs | INVOKE − PING µs | pipelined INVOKEs/s |');
console.log('|---|---:|---:|---:|---:|');
for (const row of [free, confined]) {
  console.log(`| ${row.name} | ${us(row.ping)} | ${us(row.invoke)} | ${us(row.invoke - row.ping)} | ${Math.round(row.rate).toLocaleString('en')} |`);
}
console.log();
console.log(`Of the ${us(free.invoke - free.ping)} µs an INVOKE takes beyond a PING on the gateway as started, `
            + `${us(free.invoke - free.ping - (confined.invoke - confined.ping))} µs go when the gateway is confined to one CPU: `
            + 'that much of a call\'s own cost is its four hand-offs waking threads and processes on another CPU of this '
            + `VM, not work. The confined gateway's pipelined rate is ${(confined.rate / free.rate).toFixed(2)}× the other's `
            + '(it leaves the other CPU to the client), but every call it runs shares that one CPU, so calls that compute '
            + 'cannot run in parallel: confining is a measurement here, not a setting. '
            + `Medians of ${SEQUENTIAL} requests one after another, best of ${RUNS} runs, the variants alternating; the `
            + `rate is ${PIPELINED} INVOKEs with ${WINDOW} in flight; one harness connection (tests/gateway/protocol/harness.mjs) `
            + `from this Node process (${process.version}), which is not confined.`);
