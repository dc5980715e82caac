// What the packaging tests share: sdk/js packed as npm publishes it (npm pack), installed from that tarball
// into a fresh app folder (offline) beside a copy of app/, then built by the test's bundler (or none), served by a
// real faasmjs-gateway (or a dev server in front of one) and run in headless Chromium: hello on the page's
// thread, in the cluster and in a module worker.
//
// FAASMJS_WASM_DIR names a wasm sub-build directory (e.g. build/wasm-clang) and FAASMJS_GATEWAY the gateway,
// as ctest sets them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchChromium, newPage } from '../../tools/demo/chromium.mjs';
import { expectedOutputs } from '../../tools/demo/expected.mjs';
import { repoRoot, startGateway } from '../../tools/demo/gateway.mjs';
import { assertNoProblems, recordWorkers } from '../browser/support.mjs';

export const sdkDir = path.join(repoRoot, 'sdk', 'js');
const APP_SOURCE = fileURLToPath(new URL('./app/', import.meta.url));
const HELLO = expectedOutputs().find((row) => row.function === 'hello' && row.input === 'Ada').output;

/**
 * npm pack of sdk/js into dir.
 * @returns {{ tarball: string, files: string[] }} the tarball's path and the files in it (package-relative)
 */
export function packSdk(dir) {
  const [report] = JSON.parse(execFileSync('npm', ['pack', sdkDir, '--json', '--pack-destination', dir],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  return { tarball: path.join(dir, report.filename), files: report.files.map((file) => file.path) };
}

/**
 * A fresh app: app/ copied into a temporary folder, with the packed sdk/js installed from its tarball as the
 * dependency faasmjs, offline (no registry is asked).
 * @returns {{ dir: string, close(): void }} dir holds package.json, main.js, index.html and node_modules/faasmjs
 */
export function makeApp() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-package-'));
  const dir = path.join(scratch, 'app');
  try {
    fs.cpSync(APP_SOURCE, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'),
      `${JSON.stringify({ name: 'faasmjs-package-test', private: true, type: 'module' }, null, 2)}\n`);
    const { tarball } = packSdk(scratch);
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw new Error(`cannot make the app: ${error.stderr ?? error.message}`);
  }
  return { dir, close: () => fs.rmSync(scratch, { recursive: true, force: true }) };
}

/**
 * A real gateway serving webRoot (a built app) and the example hello, and Chromium. open(url) loads a page
 * (default: the gateway's /) and waits for the app to be ready.
 */
export async function startSession(webRoot) {
  const wasmDir = process.env.FAASMJS_WASM_DIR;
  if (!wasmDir) throw new Error('set FAASMJS_WASM_DIR to a wasm sub-build directory (e.g. build/wasm-clang)');
  // Only hello, so that the gateway compiles one function for the cluster.
  const functions = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-package-functions-'));
  for (const file of ['hello.wasm', 'hello.async.wasm', 'hello.manifest.json']) {
    fs.copyFileSync(path.join(wasmDir, 'examples', 'functions', file), path.join(functions, file));
  }
  let gateway;
  let browser;
  try {
    gateway = await startGateway({ functionDirs: [functions], webRoot });
    browser = await launchChromium();
  } catch (error) {
    await gateway?.close();
    fs.rmSync(functions, { recursive: true, force: true });
    throw error;
  }
  return {
    gateway,
    token: gateway.token('package'),
    async open(url = gateway.url) {
      const page = await newPage(browser.context);
      await page.goto(url);
      await page.waitForFunction(() => typeof window.runHello === 'function');
      return page;
    },
    async close() {
      await browser.close();
      await gateway.close();
      fs.rmSync(functions, { recursive: true, force: true });
    },
  };
}

/** Runs the app's hello in page (app/main.js runHello) with these options besides the token. */
export function runHello(session, page, options = {}) {
  return page.evaluate((options) => window.runHello(options), { token: session.token, ...options });
}

/** Asserts that hello ran, and where. */
function assertHello(outcome, where) {
  assert.equal(outcome.rejected, undefined, JSON.stringify(outcome.rejected));
  assert.equal(outcome.outputText, HELLO);
  assert.equal(outcome.returnValue, 0);
  assert.equal(outcome.where, where);
}

/**
 * Runs hello in page on its thread, in the cluster and in worker mode (with these worker options), and asserts
 * each; resolves with the Workers the page started ({ url, type }).
 */
export async function checkApp(session, page, workerOptions = {}) {
  assertHello(await runHello(session, page), 'browser');
  assertHello(await runHello(session, page, { where: 'cluster' }), 'cluster');
  await page.evaluate(recordWorkers);
  assertHello(await runHello(session, page, { worker: true, ...workerOptions }), 'browser');
  const workers = await page.evaluate(() => window.startedWorkers);
  assert.equal(workers.length, 1, 'worker mode started no Worker');
  assertNoProblems(assert, page);
  return workers;
}
