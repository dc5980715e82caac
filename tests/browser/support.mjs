// What every browser test file shares: the build's functions served by tools/devserver on a free port,
// one headless Chromium (tools/demo/chromium.mjs), and a way to run functions in a page through sdk/js.
//
// FAASMJS_WASM_DIR names a wasm sub-build directory (e.g. build/wasm-clang), as ctest sets it. The browser
// benchmarks (tests/bench/browser_*.mjs) use startSession too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';

import { launchChromium, newPage } from '../../tools/demo/chromium.mjs';
import { startGateway } from '../../tools/demo/gateway.mjs';
import { startDevServer } from '../../tools/devserver/server.mjs';

export const wasmDir = process.env.FAASMJS_WASM_DIR;
export const examplesDir = wasmDir && path.join(wasmDir, 'examples', 'functions');

export const SUSPENSIONS = ['jspi', 'asyncify'];

// A same-origin page that does nothing by itself (the demo page would connect a client of its own).
const BLANK = '__test__/blank.html';
const BLANK_PAGE = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>faasm.js test</title>';

/**
 * Serves functionsDir with the dev server on a free port and starts Chromium.
 * @returns {Promise<{ url: string, context: import('playwright-core').BrowserContext,
 *   open(): Promise<import('playwright-core').Page>, close(): Promise<void> }>} open() gives a fresh blank
 *   page on the server's origin; page.problems collects its errors
 */
export async function startSession(functionsDir) {
  return sessionOn(await startDevServer({ functionsDir, port: 0 }));
}

/**
 * Starts a real faasmjs-gateway serving the functions of `dirs` and Chromium with pages on its origin.
 * session.gateway is the running gateway (tools/demo/gateway.mjs: restart(), stop(), wsUrl, log).
 */
export async function startGatewaySession(dirs, args = []) {
  // The blank page comes from the gateway itself: Chromium lets a page reach a loopback WebSocket only when
  // the page was loaded from the local network (a page fulfilled by a Playwright route counts as public).
  const webRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-webroot-'));
  fs.mkdirSync(path.join(webRoot, path.dirname(BLANK)));
  fs.writeFileSync(path.join(webRoot, BLANK), BLANK_PAGE);
  let gateway;
  try {
    gateway = await startGateway({ functionDirs: dirs, args, webRoot });
  } catch (error) {
    fs.rmSync(webRoot, { recursive: true, force: true });
    throw error;
  }
  const close = async () => {
    await gateway.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  };
  const session = await sessionOn({ url: gateway.url, close }, { routeBlank: false });
  return { ...session, gateway };
}

// Chromium with blank test pages on the origin of `server` ({ url, close() }), closed with it.
async function sessionOn(server, { routeBlank = true } = {}) {
  let browser;
  try {
    browser = await launchChromium();
    if (routeBlank) {
      await browser.context.route(`${server.url}${BLANK}`, (route) => route.fulfill({ contentType: 'text/html', body: BLANK_PAGE }));
    }
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
  return {
    url: server.url,
    context: browser.context,
    async open() {
      const page = await newPage(browser.context);
      await page.goto(`${server.url}${BLANK}`);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * A session for the tests of one file: started before them, closed after them, serving functionsDir (default:
 * the examples) at /wasm/.
 */
export function useBrowser(functionsDir = examplesDir) {
  if (!wasmDir) throw new Error('set FAASMJS_WASM_DIR to a wasm sub-build directory (e.g. build/wasm-clang)');
  const env = {};
  let session;
  before(async () => {
    session = await startSession(functionsDir);
    Object.assign(env, { url: session.url, context: session.context, open: () => session.open() });
  });
  after(() => session?.close());
  return env;
}

/**
 * Connects a client in the page, makes the calls one after another and closes it. Each outcome is either
 * the result (output as text, trace included) or, when invoke rejects, { rejected: { code, name, message } }.
 * @param {import('playwright-core').Page} page
 * @param {object} options connect options (functions defaults to '/wasm/' without a url)
 * @param {{ name: string, input?: string, options?: object }[]} calls
 * @param {string} [url] a gateway's ws:// URL; browser-local without one
 */
export function invokeAll(page, options, calls, url = undefined) {
  return page.evaluate(async ({ options, calls, url }) => {
    const { connect } = await import('/sdk/js/index.js');
    const describe = (error) => ({ code: error.code, name: error.name, message: error.message });
    let client;
    try {
      client = await connect(url, url === undefined ? { functions: '/wasm/', ...options } : options);
    } catch (error) {
      return { connectRejected: describe(error) };
    }
    const outcomes = [];
    for (const call of calls) {
      try {
        const { output, ...result } = await client.invoke(call.name, call.input, call.options);
        outcomes.push({ ...result, outputLength: output.length });
      } catch (error) {
        outcomes.push({ rejected: describe(error) });
      }
    }
    await client.close();
    return { suspension: client.suspension, outcomes };
  }, { options, calls, url });
}

/**
 * Run in a page (page.evaluate(recordWorkers)): records the Workers it starts from then on in
 * window.startedWorkers ({ url, type }), to tell worker mode from a silent fallback to the page's thread.
 */
export function recordWorkers() {
  window.startedWorkers = [];
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(url, options) {
      super(url, options);
      window.startedWorkers.push({ url: String(url), type: options?.type });
    }
  };
}

/** Fails with what the page reported (uncaught errors, console errors) besides the expected ones. */
export function assertNoProblems(assert, page, allowed = []) {
  const unexpected = page.problems.filter((problem) => !allowed.some((pattern) => pattern.test(problem)));
  assert.deepEqual(unexpected, [], 'the page reported errors');
}

export { startTcpProxy } from '../support/tcp-proxy.mjs';
