// The packed sdk/js bundled by esbuild for the browser: no node: module reaches a browser bundle from any
// export, and an app built from main.js and the worker entry faasmjs/worker (docs/js-runtime.md, "Packages and
// bundlers": esbuild does not follow `new URL('./worker.js', import.meta.url)`) runs hello here, in the cluster
// and in a module worker. Without the worker entry, worker mode's error names the script's URL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';

import * as esbuild from 'esbuild';

import { checkApp, makeApp, runHello, startSession } from './support.mjs';

let app;
let session;
let dist;
before(async () => {
  app = makeApp();
  dist = path.join(app.dir, 'dist');
  await esbuild.build({
    absWorkingDir: app.dir,
    entryPoints: { main: 'main.js', 'faasmjs-worker': 'faasmjs/worker' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    outdir: dist,
    logLevel: 'error',
  });
  fs.copyFileSync(path.join(app.dir, 'index.html'), path.join(dist, 'index.html'));
  session = await startSession(dist);
});
after(async () => {
  await session?.close();
  app?.close();
});

it('bundles every export of the package for the browser without a node: module', async () => {
  const exports = ['faasmjs', 'faasmjs/wasi', 'faasmjs/asyncify', 'faasmjs/worker'];
  const { metafile } = await esbuild.build({
    absWorkingDir: app.dir,
    stdin: { contents: exports.map((name, i) => `export * as e${i} from '${name}';`).join('\n'), resolveDir: app.dir },
    bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent',
  });
  const inputs = Object.keys(metafile.inputs);
  assert.deepEqual(inputs.filter((input) => input.startsWith('node:') || input.endsWith('.node.js')), []);
  assert.ok(inputs.some((input) => input.endsWith('faasmjs/read-path.js')), 'the browser side of #read-path');
});

it('refuses the Node-only token minting in a browser bundle', async () => {
  await assert.rejects(esbuild.build({
    absWorkingDir: app.dir,
    stdin: { contents: "import 'faasmjs/auth/mint-token.js';", resolveDir: app.dir },
    bundle: true, platform: 'browser', write: false, logLevel: 'silent',
  }), /Could not resolve "faasmjs\/auth\/mint-token.js"/);
});

it('runs hello on the page, in the cluster and in a module worker (workerUrl: the worker entry)', async () => {
  const page = await session.open();
  const workers = await checkApp(session, page, { workerUrl: '/faasmjs-worker.js' });
  assert.deepEqual(workers, [{ url: '/faasmjs-worker.js', type: 'module' }]);
  await page.close();
});

it('names the worker script it could not load', async () => {
  const page = await session.open();
  const outcome = await runHello(session, page, { worker: true });
  assert.equal(outcome.rejected?.name, 'LoadError');
  assert.match(outcome.rejected.message,
    new RegExp(`worker script ${session.gateway.url}worker\\.js could not be loaded.*options\\.workerUrl`));
  await page.close();
});
