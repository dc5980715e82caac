// Page side of the gateway benchmarks (tests/bench/gateway.mjs): each measure runs in headless Chromium
// against a real faasmjs-gateway on the page's origin and returns plain numbers. Baselines use the same
// browser, socket and server: a raw WebSocket speaking only PING/PONG of the wire protocol (the gateway
// echoes, executing nothing), and synchronous XMLHttpRequests to the same gateway.
import { connect } from '/sdk/js/index.js';

const PING = 0x30;
const PONG = 0x8F;
const HELLO = 0x01;
const CONTINUE = 0x7F;
const MORE = 0x01;

const gatewayUrl = () => `ws://${location.host}/ws`;
const best = (values) => Math.min(...values);

function message(type, id, body, flags = 0) {
  const bytes = new Uint8Array(12 + body.length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, type);
  view.setUint8(1, flags);
  view.setUint32(4, id, true);
  view.setUint32(8, body.length, true);
  bytes.set(body, 12);
  return bytes;
}

// A PING whose payload is `bytes` (u32 length + raw), cut into chunks of at most `chunk` bytes of body.
function pingFrames(id, bytes, chunk) {
  const body = new Uint8Array(4 + bytes.length);
  new DataView(body.buffer).setUint32(0, bytes.length, true);
  body.set(bytes, 4);
  const frames = [];
  for (let at = 0; at < body.length || at === 0; at += chunk) {
    const part = body.subarray(at, at + chunk);
    const more = at + chunk < body.length ? MORE : 0;
    frames.push(message(at === 0 ? PING : CONTINUE, id, part, more));
    if (body.length === 0) break;
  }
  return frames;
}

/** A raw protocol socket: HELLO done; echo(bytes) sends a PING and resolves when its whole PONG is in. */
async function rawSocket() {
  const socket = new WebSocket(gatewayUrl(), 'faasmjs.v1');
  socket.binaryType = 'arraybuffer';
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error('raw socket: cannot connect'));
  });
  const user = new TextEncoder().encode('bench');
  const hello = new Uint8Array(2 + 2 + user.length + 2 + 8);
  const view = new DataView(hello.buffer);
  view.setUint16(0, 1, true);
  view.setUint16(2, user.length, true);
  hello.set(user, 4);
  let waiting = null;
  let welcome = null;
  socket.onmessage = ({ data }) => {
    const frame = new DataView(data);
    for (let at = 0; at + 12 <= data.byteLength; at += 12 + frame.getUint32(at + 8, true)) {
      const type = frame.getUint8(at);
      if (type === 0x81) welcome = new DataView(data, at + 12);
      const last = (frame.getUint8(at + 1) & MORE) === 0;
      if ((type === PONG || type === CONTINUE) && last && waiting) {
        const done = waiting;
        waiting = null;
        done();
      }
    }
  };
  socket.send(message(HELLO, 1, hello));
  for (let i = 0; i < 200 && welcome === null; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  if (welcome === null) throw new Error('raw socket: no WELCOME');
  // WELCOME: u16 version, u64 session, u8 resumed, u32 maxFrame, u32 chunkSize.
  const chunk = welcome.getUint32(2 + 8 + 1 + 4, true);
  let nextId = 2;
  return {
    echo(bytes) {
      const frames = pingFrames(nextId++, bytes, chunk);
      const done = new Promise((resolve) => { waiting = resolve; });
      for (const frame of frames) socket.send(frame);
      return done;
    },
    close() { socket.close(); },
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Per round trip, in ms: raw PING/PONG, a chained no-op call, an INVOKE of the no-op from the page (no
 * function running in it), a synchronous XHR; and the cluster's own part of the chained calls, the median of
 * their traces' queue wait plus run time, in µs.
 */
export async function latency({ calls, runs }) {
  const raw = await rawSocket();
  const client = await connect(gatewayUrl(), { user: 'bench' });
  const small = new Uint8Array(16);
  const results = { raw: [], chained: [], invoke: [], syncXhr: [], clusterUs: [] };
  try {
    await client.invoke('pingpong', '20', { where: 'browser', chain: 'cluster' });
    for (let run = 0; run < runs; run += 1) {
      let started = performance.now();
      for (let i = 0; i < calls; i += 1) await raw.echo(small);
      results.raw.push((performance.now() - started) / calls);

      started = performance.now();
      const result = await client.invoke('pingpong', String(calls), { where: 'browser', chain: 'cluster' });
      results.chained.push((performance.now() - started) / calls);
      if (result.returnValue !== 0) throw new Error(`pingpong failed: ${result.error}`);
      results.clusterUs.push(median(result.trace.chained.map((call) => call.queuedUs + call.runUs)));

      started = performance.now();
      for (let i = 0; i < calls; i += 1) {
        const invoked = await client.invoke('noop', '', { where: 'cluster' });
        if (invoked.returnValue !== 0) throw new Error(`noop failed: ${invoked.error}`);
      }
      results.invoke.push((performance.now() - started) / calls);

      started = performance.now();
      for (let i = 0; i < calls; i += 1) {
        const request = new XMLHttpRequest();
        request.open('GET', '/functions/noop.manifest.json', false);
        request.send();
        if (request.status !== 200) throw new Error(`sync XHR: ${request.status}`);
      }
      results.syncXhr.push((performance.now() - started) / calls);
    }
  } finally {
    raw.close();
    await client.close();
  }
  return {
    raw: best(results.raw), chained: best(results.chained), invoke: best(results.invoke),
    syncXhr: best(results.syncXhr), clusterUs: median(results.clusterUs),
  };
}

// One `fanout` of `calls` no-op calls, chained all at once from a function running `where`: calls per second.
async function fanoutRate(client, calls, where) {
  const options = where === 'browser' ? { where, chain: 'cluster' } : { where };
  const started = performance.now();
  const result = await client.invoke('fanout', String(calls), options);
  const rate = calls / ((performance.now() - started) / 1000);
  if (result.outputText !== `${calls} calls, 0 failed`) throw new Error(`fanout in the ${where}: ${result.outputText} ${result.error}`);
  return rate;
}

/** Calls per second: a fork-join from a browser function, and invokes from the page, all pipelined. */
export async function throughput({ calls, runs }) {
  const client = await connect(gatewayUrl(), { user: 'bench' });
  const forkJoin = [];
  const pageInvokes = [];
  const inCluster = [];
  try {
    await client.invoke('fanout', '100', { where: 'browser', chain: 'cluster' });
    for (let run = 0; run < runs; run += 1) {
      forkJoin.push(await fanoutRate(client, calls, 'browser'));

      const started = performance.now();
      const results = await Promise.all(Array.from({ length: calls },
        () => client.invoke('noop', undefined, { where: 'cluster' })));
      pageInvokes.push(calls / ((performance.now() - started) / 1000));
      if (results.some((one) => one.returnValue !== 0)) throw new Error('a no-op call failed');

      inCluster.push(await fanoutRate(client, calls, 'cluster'));
    }
  } finally {
    await client.close();
  }
  return { forkJoin: Math.max(...forkJoin), pageInvokes: Math.max(...pageInvokes), inCluster: Math.max(...inCluster) };
}

/** Calls per second of a fork-join from a browser function alone (the best of `runs`). */
export async function forkJoin({ calls, runs }) {
  const client = await connect(gatewayUrl(), { user: 'bench' });
  const rates = [];
  try {
    await fanoutRate(client, Math.min(calls, 16), 'browser');
    for (let run = 0; run < runs; run += 1) rates.push(await fanoutRate(client, calls, 'browser'));
  } finally {
    await client.close();
  }
  return Math.max(...rates);
}

/** Per call, in ms: `noop` invoked where:'cluster' from the page, one after another (the best of `runs`). */
export async function invokeLatency({ calls, runs }) {
  const client = await connect(gatewayUrl(), { user: 'bench' });
  const times = [];
  try {
    await client.invoke('noop', undefined, { where: 'cluster' });
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      for (let i = 0; i < calls; i += 1) {
        const result = await client.invoke('noop', undefined, { where: 'cluster' });
        if (result.returnValue !== 0) throw new Error(`noop failed: ${result.error}`);
      }
      times.push((performance.now() - started) / calls);
    }
  } finally {
    await client.close();
  }
  return best(times);
}

/** MB/s for each size: state push (set) and pull (get) through the runtime, and a raw echo of the bytes. */
export async function stateTransfer({ sizes, runs }) {
  const raw = await rawSocket();
  const client = await connect(gatewayUrl(), { user: 'bench' });
  const rows = [];
  try {
    for (const size of sizes) {
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i += 4096) bytes[i] = i & 0xFF;
      const mb = size / 1e6;
      const push = [];
      const pull = [];
      const echo = [];
      for (let run = 0; run < runs; run += 1) {
        let started = performance.now();
        await client.state.set('bench_value', bytes);
        push.push(mb / ((performance.now() - started) / 1000));

        started = performance.now();
        const back = await client.state.get('bench_value');
        pull.push(mb / ((performance.now() - started) / 1000));
        if (back.length !== size || back[4096 % size] !== bytes[4096 % size]) throw new Error('pulled value differs');

        started = performance.now();
        await raw.echo(bytes);
        // An echo moves the bytes both ways: one way is half of it.
        echo.push(mb / ((performance.now() - started) / 2000));
      }
      rows.push({ size, push: Math.max(...push), pull: Math.max(...pull), raw: Math.max(...echo) });
    }
  } finally {
    raw.close();
    await client.close();
  }
  return rows;
}
