// Drives the real faasmjs-gateway for the protocol tests: starts the binary on a free 127.0.0.1 port (it is
// given --port 0 and reports the port it got) with a fresh --data, and talks faasmjs.v1 to it through the
// JavaScript runtime's own codec (sdk/js/transport/codec.js), so these tests also check the two codecs
// against each other. Each gateway gets a token key of its own (--token-key-file) unless the test passes
// --allow-anonymous, and Client.connect mints the user's token with it (sdk/js/auth/mint-token.js), so that
// every test goes through the real HELLO.
//
// Environment (set by CMakeLists.txt): FAASMJS_GATEWAY (the binary), FAASMJS_FUNCTIONS_DIR (the examples'
// wasm), FAASMJS_TEST_FUNCTIONS_DIR (tests/gateway/functions' wasm), FAASMJS_AOT_CACHE (a compile cache
// shared by the tests, so that each function is compiled once, not once per gateway).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import WebSocket from 'ws';

import { SUBPROTOCOL, TYPE, HEADER_SIZE, encode, decode, packFrames, FrameReader } from '../../../sdk/js/transport/codec.js';
import { mintToken } from '../../../sdk/js/auth/mint-token.js';

export { TYPE, HEADER_SIZE, SUBPROTOCOL, encode, decode };

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through ctest`);
  return value;
}

export const GATEWAY = required('FAASMJS_GATEWAY');

// A fresh directory, removed when the test process exits (its gateways are stopped by then).
export function scratchDir() {
  const dir = mkdtempSync(join(tmpdir(), 'faasmjs-protocol-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// A functions directory with just the functions the tests call (a gateway compiles all it registers).
export function functionsDir(scratch) {
  const dir = join(scratch, 'functions');
  mkdirSync(dir, { recursive: true });
  const sources = { hello: required('FAASMJS_FUNCTIONS_DIR'), echo: required('FAASMJS_FUNCTIONS_DIR'),
    sleeper: required('FAASMJS_TEST_FUNCTIONS_DIR') };
  for (const [name, from] of Object.entries(sources)) {
    for (const suffix of ['.wasm', '.async.wasm', '.manifest.json']) {
      if (existsSync(join(from, name + suffix))) copyFileSync(join(from, name + suffix), join(dir, name + suffix));
    }
  }
  return dir;
}

// The token keys of the running gateways, by WebSocket URL: what Client.connect mints with.
const KEYS = new Map();

const START_MS = 20_000;
const STOP_MS = 15_000;

/** A running gateway; stop() in every test's teardown. */
export class Gateway {
  #child;
  #exit;
  port = 0;
  log = '';
  key = null;  // the token key, or null with --allow-anonymous
  scheme = 'http';

  #started;

  /**
   * `key`: the token key to use (a restart keeps its gateway's); a fresh one by default.
   * `wrapper`: a command line the gateway runs under (e.g. prlimit and its options).
   * `cwd`: its working directory, against which relative paths in `data`, `cache`, `functions` and `args`
   * resolve. `cache`: its compile cache; the run's shared one (FAASMJS_AOT_CACHE) or one in `data` by default.
   */
  static async start({ data, functions, args = [], key, wrapper = [], cwd, cache }) {
    const gateway = new Gateway();
    gateway.#started = { data, functions, args, wrapper, cwd, cache };
    cache ??= process.env.FAASMJS_AOT_CACHE ?? join(data, 'aot-cache');
    const auth = [];
    if (!args.includes('--allow-anonymous') && !args.includes('--token-key-file')) {
      const keyFile = resolvePath(cwd ?? '.', `${data}.token-key`);
      gateway.key = key ?? randomBytes(32).toString('hex');
      writeFileSync(keyFile, `${gateway.key}\n`, { mode: 0o600 });
      auth.push('--token-key-file', keyFile);
    }
    if (args.includes('--tls-cert')) gateway.scheme = 'https';
    const argv = ['--port', '0', '--data', data, '--cache', cache, ...(functions ? ['--functions', functions] : []), ...auth, ...args];
    const [program, ...programArgs] = [...wrapper, GATEWAY, ...argv];
    gateway.#child = spawn(program, programArgs, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
    gateway.#exit = new Promise((resolve) => gateway.#child.on('exit', (code, signal) => resolve({ code, signal })));
    const collect = (chunk) => { gateway.log += chunk.toString(); };
    gateway.#child.stdout.on('data', collect);
    gateway.#child.stderr.on('data', collect);
    const deadline = Date.now() + START_MS;
    for (;;) {
      const match = /listening on https?:\/\/127\.0\.0\.1:(\d+)\//.exec(gateway.log);
      if (match) {
        gateway.port = Number(match[1]);
        if (gateway.key) KEYS.set(gateway.wsUrl, gateway.key);
        return gateway;
      }
      if (gateway.#child.exitCode !== null || Date.now() > deadline) {
        gateway.#child.kill('SIGKILL');
        throw new Error(`the gateway did not start:\n${gateway.log}`);
      }
      await sleep(20);
    }
  }

  get pid() { return this.#child.pid; }
  get url() { return `${this.scheme}://127.0.0.1:${this.port}`; }
  get wsUrl() { return `${this.scheme === 'https' ? 'wss' : 'ws'}://127.0.0.1:${this.port}/ws`; }

  /** A token for `user` signed with this gateway's key. */
  token(user, { role = 'upload', ttlSeconds = 600 } = {}) {
    return mintToken({ key: this.key, user, role, ttlSeconds });
  }

  /** Stops it and starts a new one on the same data, options and token key (the port may differ). */
  async restart() {
    await this.stop();
    return Gateway.start({ ...this.#started, key: this.key });
  }

  /** SIGTERM, then the exit status; SIGKILL if it does not exit in time (and then the test fails). */
  async stop() {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return this.#exit;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_MS);
    const status = await this.#exit;
    clearTimeout(timer);
    return status;
  }

  /** SIGKILL, as a crash or the OOM killer does: no shutdown at all. Resolves once it has exited. */
  async kill() {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    return this.#exit;
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const LIMITS = { maxFrame: 4 << 20, chunkSize: 1 << 20 };

/**
 * One WebSocket to the gateway. Messages arrive decoded (with the codec's field names) in `received`;
 * reply(id) waits for the next message with that id.
 */
export class Client {
  socket;
  received = [];
  closed;
  #reader = new FrameReader();
  #waiters = [];
  #nextId = 1;
  welcome = null;

  /** Opens a socket; a refused handshake rejects with `handshake refused: HTTP <status>: <the reason line>`. */
  static async open(url, { protocol = SUBPROTOCOL, headers = {}, ca } = {}) {
    const client = new Client();
    client.socket = new WebSocket(url, protocol === null ? [] : [protocol], { headers, ...(ca ? { ca } : {}) });
    client.socket.binaryType = 'nodebuffer';
    client.closed = new Promise((resolve) => client.socket.on('close', (code) => resolve(code)));
    client.socket.on('message', (data, isBinary) => client.#onMessage(data, isBinary));
    await withTimeout(new Promise((resolve, reject) => {
      client.socket.once('open', resolve);
      client.socket.once('error', reject);
      client.socket.once('unexpected-response', (_, response) => {
        let body = '';
        response.on('data', (chunk) => { body += chunk; });
        response.on('end', () => reject(new Error(`handshake refused: HTTP ${response.statusCode}: ${body.trim()}`)));
      });
    }), 10_000, `open ${url}`);
    return client;
  }

  /**
   * Opens a socket and says HELLO; resolves with WELCOME (or rejects with the ERROR). The token is by default
   * one for `user` with `role` from the gateway's key ('' for an --allow-anonymous gateway).
   */
  static async connect(url, { user = 'alice', role = 'upload', token, session = 0n, ...options } = {}) {
    if (token === undefined) token = KEYS.has(url) ? mintToken({ key: KEYS.get(url), user, role, ttlSeconds: 600 }) : '';
    const client = await Client.open(url, options);
    const reply = await client.request(TYPE.HELLO, { user, token, session });
    if (reply.type !== TYPE.WELCOME) throw new Error(`HELLO refused: ${reply.code}: ${reply.message}`);
    client.welcome = reply;
    return client;
  }

  frames = 0;  // binary frames received so far

  #onMessage(data, isBinary) {
    if (isBinary) this.frames += 1;
    if (!isBinary) {
      this.received.push({ text: data.toString() });
      return;
    }
    for (const message of this.#reader.read(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))) {
      const decoded = { id: message.id, ...decode(message.type, message.body) };
      this.received.push(decoded);
      this.#waiters = this.#waiters.filter((waiter) => !(waiter.match(decoded) && (waiter.resolve(decoded), true)));
    }
  }

  nextId() { return this.#nextId++; }

  /** Sends raw bytes as one binary frame. */
  sendRaw(bytes) { this.socket.send(bytes, { binary: true }); }

  /** Sends messages ({ type, id, fields } or { type, id, body }) coalesced into frames. */
  send(messages, limits = LIMITS) {
    const encoded = messages.map((m) => ({ type: m.type, id: m.id, body: m.body ?? encode(m.type, m.fields) }));
    for (const frame of packFrames(encoded, limits)) this.sendRaw(frame);
  }

  /** The next message matching `match` (already received or still to come). */
  next(match, ms = 30_000, what = 'a message') {
    const index = this.received.findIndex(match);
    if (index >= 0) return Promise.resolve(this.received.splice(index, 1)[0]);
    return withTimeout(new Promise((resolve) => {
      this.#waiters.push({ match, resolve: (message) => { this.received.splice(this.received.indexOf(message), 1); resolve(message); } });
    }), ms, what);
  }

  reply(id, ms = 30_000) { return this.next((m) => m.id === id, ms, `the reply to request ${id}`); }

  /** Sends one request and waits for its reply. */
  async request(type, fields, { id = this.nextId(), ms = 30_000 } = {}) {
    this.send([{ type, id, fields }]);
    return this.reply(id, ms);
  }

  async close() {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await withTimeout(this.closed, 5_000, 'close').catch(() => this.socket.terminate());
  }

  /** Drops the TCP connection without a close handshake, as a lost network does. */
  drop() { this.socket.terminate(); }
}

/** A frame holding one message with an arbitrary header (for malformed input). */
export function rawMessage(type, id, body, { flags = 0, reserved = 0, length = body.length } = {}) {
  const frame = new Uint8Array(HEADER_SIZE + body.length);
  const view = new DataView(frame.buffer);
  view.setUint8(0, type);
  view.setUint8(1, flags);
  view.setUint16(2, reserved, true);
  view.setUint32(4, id, true);
  view.setUint32(8, length, true);
  frame.set(body, HEADER_SIZE);
  return frame;
}

export const bytes = (text) => new TextEncoder().encode(text);
export const text = (data) => new TextDecoder().decode(data);
