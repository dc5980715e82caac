// Node side of the browser benchmarks: a page in headless Chromium (the browser tests' session: the dev
// server, or a real faasmjs-gateway, on a free port; Debian's Chromium) that can import this folder's page
// modules from /__bench__/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startGateway } from '../../../tools/demo/gateway.mjs';
import { functionsDirOf } from '../../../tools/devserver/server.mjs';
import { startGatewaySession, startSession } from '../../browser/support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

// What a benchmark of the cluster's steady state runs on: the optimising compiler's code from the first call
// (the default --tiers both would run the first calls on the quick tier's, first_call.mjs measures that).
export const STEADY_STATE_ARGS = Object.freeze(['--tiers', 'optimised']);
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

/**
 * @param {string} buildDir the native build directory (or a wasm sub-build), as tests/bench/run.sh passes it
 * @param {Record<string, Uint8Array>} extra further files served at /__bench__/<name>
 * @param {{ gateway?: boolean, functionDirs?: string[], gatewayArgs?: string[] }} options gateway: served by
 *   faasmjs-gateway instead of the dev server, with the functions of functionDirs (default: the examples and
 *   the gateway's test functions, benchFunctionDirs) and gatewayArgs added to its options
 * @returns {Promise<{ page: import('playwright-core').Page, close(): Promise<void>, gateway?: object }>}
 */
export async function openBenchPage(buildDir, extra = {}, { gateway = false, functionDirs, gatewayArgs = [] } = {}) {
  const session = gateway
    // The pages say HELLO as user bench without a token: the benchmarks measure the transport, not auth.
    ? await startGatewaySession(functionDirs ?? benchFunctionDirs(buildDir),
      ['--allow-anonymous', ...STEADY_STATE_ARGS, ...gatewayArgs])
    : await startSession(functionsDirOf(buildDir));
  try {
    await session.context.route(`${session.url}__bench__/*`, (route) => {
      const name = path.basename(new URL(route.request().url()).pathname);
      const file = path.join(here, name);
      const body = extra[name] ?? (name.endsWith('.js') && fs.existsSync(file) ? fs.readFileSync(file) : null);
      if (body === null) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ contentType: TYPES[path.extname(name)], body: Buffer.from(body) });
    });
    const page = await session.open();
    return { page, close: () => session.close(), gateway: session.gateway };
  } catch (error) {
    await session.close();
    throw error;
  }
}

/**
 * Runs `body(gateway)` against a faasmjs-gateway started with `options` (tools/demo/gateway.mjs) and
 * STEADY_STATE_ARGS: its log goes to stderr if the body fails, and the gateway is closed whatever happens.
 * @template T
 * @param {object} options startGateway's
 * @param {(gateway: object) => Promise<T>} body
 * @returns {Promise<T>}
 */
export async function withGateway(options, body) {
  const gateway = await startGateway({ ...options, args: [...STEADY_STATE_ARGS, ...(options.args ?? [])] });
  try {
    return await body(gateway);
  } catch (error) {
    console.error(gateway.log);
    throw error;
  } finally {
    await gateway.close();
  }
}

/** The examples and the gateway's test functions (noop, pingpong, fanout, ...) of a build. */
export function benchFunctionDirs(buildDir) {
  const examples = functionsDirOf(buildDir);
  return [examples, path.join(examples, '..', '..', 'tests', 'gateway', 'functions')];
}

/** The build directory from argv, or exit 2 with the usage line. */
export function buildDirArgument(script) {
  const buildDir = process.argv[2];
  if (!buildDir || !fs.existsSync(buildDir)) {
    console.error(`usage: node tests/bench/${script} <build dir>`);
    process.exit(2);
  }
  return path.resolve(buildDir);
}

/**
 * A functions directory at `into` with links to the named functions of the bench's dirs (benchFunctionDirs),
 * so that a gateway registers, and compiles, only those.
 * @param {string} buildDir @param {string[]} names @param {string} into
 * @returns {string} into
 */
export function linkFunctions(buildDir, names, into) {
  fs.mkdirSync(into, { recursive: true });
  for (const dir of benchFunctionDirs(buildDir)) {
    for (const file of fs.readdirSync(dir).filter((name) => names.includes(name.split('.')[0]))) {
      fs.symlinkSync(path.join(dir, file), path.join(into, file));
    }
  }
  return into;
}

/** Resolves once the gateway's log says each named function is ready; throws after timeoutMs. */
export async function untilReady(gateway, names, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (names.some((name) => !gateway.log.includes(`${name} ready`))) {
    if (Date.now() > deadline) throw new Error(`${names.join(', ')} not compiled within ${timeoutMs} ms:\n${gateway.log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The middle value of a list of numbers (the upper one of the two middle ones for an even count). */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
