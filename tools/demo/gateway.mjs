// The one place that starts a real faasmjs-gateway for the demo check, the end-to-end tests and the
// benchmarks: on a free 127.0.0.1 port, with a data directory of its own, serving the demo web app and the
// functions of one or more build directories. Waits until it answers HTTP; stop() sends SIGTERM and waits
// for the exit (SIGKILL after a bound), so no test leaves a gateway behind. It verifies tokens with a key
// of its own (--token-key-file) unless args has --allow-anonymous; token(user, role) mints one for pages.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { mintToken } from '../../sdk/js/auth/mint-token.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/** The gateway binary of a native build directory (FAASMJS_GATEWAY overrides). */
export function gatewayBinary(buildDir = path.join(repoRoot, 'build')) {
  return process.env.FAASMJS_GATEWAY ?? path.join(buildDir, 'tools', 'gateway', 'faasmjs-gateway');
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The gateway takes one --functions directory; several (examples and test functions) are joined by links.
function joinFunctionDirs(dirs, into) {
  fs.mkdirSync(into, { recursive: true });
  for (const dir of dirs) {
    for (const file of fs.readdirSync(dir)) {
      if (!/\.(wasm|json)$/.test(file)) continue;
      const link = path.join(into, file);
      fs.rmSync(link, { force: true });
      fs.symlinkSync(path.resolve(dir, file), link);
    }
  }
  return into;
}

async function waitUntilServing(url, child, output) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`faasmjs-gateway exited during start-up (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    try {
      if (url.startsWith('https:')) {
        // Its certificate is the test's own: serving is all that is asked here.
        await new Promise((resolve, reject) => {
          https.get(url, { rejectUnauthorized: false }, (response) => response.resume().on('end', resolve)).on('error', reject);
        });
      } else {
        const response = await fetch(url);
        await response.arrayBuffer();
      }
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`faasmjs-gateway did not serve ${url} within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

/**
 * @param {{ binary?: string, functionDirs: string[], dataDir?: string, port?: number, args?: string[],
 *   webRoot?: string | null, echo?: boolean, cacheDir?: string }} options dataDir is kept between restarts (a fresh
 *   temporary one by default); echo copies the gateway's log to this process's stderr; cacheDir is the compile
 *   cache (default $FAASMJS_AOT_CACHE, else one inside the data directory)
 * @returns {Promise<Gateway>}
 */
export async function startGateway(options) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-gateway-'));
  const settings = {
    binary: options.binary ?? gatewayBinary(),
    functions: joinFunctionDirs(options.functionDirs, path.join(scratch, 'functions')),
    dataDir: options.dataDir ?? path.join(scratch, 'data'),
    // null: the gateway's own default (an installed gateway's share/faasmjs/webapp).
    webRoot: options.webRoot === undefined ? path.join(repoRoot, 'examples', 'webapp') : options.webRoot,
    args: options.args ?? [],
    echo: options.echo ?? false,
    // Compiled functions are worth sharing between gateways of one build (tests set FAASMJS_AOT_CACHE).
    cacheDir: options.cacheDir ?? process.env.FAASMJS_AOT_CACHE,
    key: null,
    keyFile: null,
  };
  if (!settings.args.includes('--allow-anonymous')) {
    settings.key = randomBytes(32).toString('hex');
    settings.keyFile = path.join(scratch, 'token.key');
    fs.writeFileSync(settings.keyFile, `${settings.key}\n`, { mode: 0o600 });
    settings.args = ['--token-key-file', settings.keyFile, ...settings.args];
  }
  const port = options.port ?? await freePort();
  const gateway = new Gateway(settings, port, scratch);
  await gateway.start();
  return gateway;
}

export class Gateway {
  #settings;
  #scratch;
  #child = null;
  #log = '';

  constructor(settings, port, scratch) {
    this.#settings = settings;
    this.#scratch = scratch;
    this.port = port;
    const tls = settings.args.includes('--tls-cert');
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}/`;
    this.wsUrl = `${tls ? 'wss' : 'ws'}://127.0.0.1:${port}/ws`;
  }

  get dataDir() { return this.#settings.dataDir; }

  /** The --token-key-file it verifies tokens with (null with --allow-anonymous), for tools that mint their own. */
  get keyFile() { return this.#settings.keyFile; }

  /** A token for `user` signed with this gateway's key (sdk/js/auth/mint-token.js). */
  token(user, role = 'upload') {
    return mintToken({ key: this.#settings.key, user, role, ttlSeconds: 3600 });
  }

  /** Everything the gateway has logged so far (stdout and stderr, across restarts). */
  get log() { return this.#log; }

  get pid() { return this.#child?.pid; }

  async start() {
    const { binary, functions, dataDir, webRoot, args, echo, cacheDir } = this.#settings;
    if (!fs.existsSync(binary)) throw new Error(`no gateway at ${binary}: build it first (./tools/dev.sh build)`);
    const child = spawn(binary, [
      '--port', String(this.port), '--host', '127.0.0.1', ...(webRoot === null ? [] : ['--web-root', webRoot]),
      '--functions', functions,
      '--data', dataDir, ...(cacheDir ? ['--cache', cacheDir] : []), ...args,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk) => {
      this.#log += chunk;
      if (echo) process.stderr.write(chunk);
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    this.#child = child;
    await waitUntilServing(this.url, child, () => this.#log);
  }

  /** Stops the gateway (SIGTERM, then SIGKILL after a bound) and resolves with how it ended. */
  async stop(signal = 'SIGTERM') {
    const child = this.#child;
    if (child === null) return null;
    this.#child = null;
    if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
    const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops and starts it again on the same port and data directory. */
  async restart(signal = 'SIGTERM') {
    const ended = await this.stop(signal);
    await this.start();
    return ended;
  }

  /** Stops it and removes its scratch files (the data directory too, unless the caller gave one). */
  async close() {
    await this.stop();
    fs.rmSync(this.#scratch, { recursive: true, force: true });
  }
}
