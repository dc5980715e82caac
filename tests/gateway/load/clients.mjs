// Many WebSocket clients against one gateway, for the load test and the load benchmark: each client says
// HELLO, sets a state key, INVOKEs hello, reads its key back, checks every reply, and leaves (half close
// the socket, half drop it as a lost network does, so that both ways out are reclaimed). Also what the
// gateway holds: open descriptors and resident memory, from /proc.
import { readFileSync, readdirSync } from 'node:fs';

import { Client, TYPE, bytes, sleep, text } from '../protocol/harness.mjs';

export function openDescriptors(pid) { return readdirSync(`/proc/${pid}/fd`).length; }

/** The gateway's worker processes (children of any of its threads: each slot's thread spawns its own). */
export function workerProcesses(pid) {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)).length;
}

/**
 * Descriptors other than the one channel per worker process: those of connections, sessions, files. How
 * many workers the pool keeps is the pool's business (they are counted apart).
 */
export function clientDescriptors(pid) { return openDescriptors(pid) - workerProcesses(pid); }

export function residentKiB(pid) {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
}

/**
 * Waits until the gateway has let go of what departed clients held: the resume grace for dropped sessions,
 * then until its descriptor count (clientDescriptors) stops changing (bounded). Returns the count.
 */
export async function settled(pid, graceSeconds, { steadyMs = 1000, maxMs = 30_000 } = {}) {
  await sleep(graceSeconds * 1000 + 500);
  const deadline = Date.now() + maxMs;
  let count = clientDescriptors(pid);
  let since = Date.now();
  while (Date.now() - since < steadyMs && Date.now() < deadline) {
    await sleep(100);
    const now = clientDescriptors(pid);
    if (now !== count) [count, since] = [now, Date.now()];
  }
  return count;
}

async function inBatches(count, parallel, make) {
  const results = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await make(i);
    }
  }));
  return results;
}

function expect(reply, type, what) {
  if (reply.type !== type) throw new Error(`${what}: ${reply.code ?? reply.type}: ${reply.message ?? ''}`);
  return reply;
}

/**
 * One round (`tag` names it in the calls' inputs and the values): `count` clients connected at once
 * (handshakes `parallel` at a time), then all make their calls together and leave. Returns the latency of
 * every INVOKE (ms), and the gateway's descriptors and resident memory with every client still connected and
 * every call done.
 */
export async function round(gateway, { count, invokes = 2, parallel = 200, replyMs = 120_000, tag = 'r' }) {
  // Every round has the same users and keys, so that what the store holds does not grow from round to round:
  // growth is then the gateway's own.
  const clients = await inBatches(count, parallel, (i) => Client.connect(gateway.wsUrl, { user: `load${i}` }));
  const latencies = [];
  await Promise.all(clients.map(async (client, i) => {
    const mine = bytes(`client ${i} in round ${tag}`);
    expect(await client.request(TYPE.STATE_SET, { key: 'k', value: mine }, { ms: replyMs }), TYPE.ACK, `STATE_SET ${i}`);
    for (let call = 0; call < invokes; ++call) {
      const started = performance.now();
      const result = await client.request(TYPE.INVOKE, { function: 'hello', input: bytes(`${tag}${i}.${call}`) }, { ms: replyMs });
      latencies.push(performance.now() - started);
      expect(result, TYPE.RESULT, `INVOKE ${i}`);
      if (!text(result.output).includes(`${tag}${i}.${call}`)) throw new Error(`client ${i} got another call's output: ${text(result.output)}`);
    }
    const pulled = expect(await client.request(TYPE.STATE_PULL, { key: 'k' }, { ms: replyMs }), TYPE.STATE_VALUE, `STATE_PULL ${i}`);
    if (!Buffer.from(pulled.data).equals(Buffer.from(mine))) throw new Error(`client ${i} read back ${text(pulled.data)}`);
  }));
  const peakDescriptors = clientDescriptors(gateway.pid);
  const peakKiB = residentKiB(gateway.pid);
  await Promise.all(clients.map((client, i) => (i % 2 === 0 ? client.close() : client.drop())));
  return { latencies, peakDescriptors, peakKiB };
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
