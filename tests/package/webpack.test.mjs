// The packed sdk/js in an app built by webpack (through webpack-cli, as an app runs it), served by the gateway:
// hello runs here, in the cluster and in the worker webpack made of sdk/js's worker.js.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { repoRoot } from '../../tools/demo/gateway.mjs';
import { checkApp, makeApp, startSession } from './support.mjs';

const WEBPACK = path.join(repoRoot, 'node_modules', '.bin', 'webpack');
const CONFIG = fileURLToPath(new URL('./webpack.config.mjs', import.meta.url));

let app;
let session;
let dist;
before(async () => {
  app = makeApp();
  dist = path.join(app.dir, 'dist');
  try {
    execFileSync(WEBPACK, ['--config', CONFIG, '--env', `app=${app.dir}`], { cwd: app.dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    throw new Error(`webpack failed:\n${error.stdout}${error.stderr}`);
  }
  fs.copyFileSync(path.join(app.dir, 'index.html'), path.join(dist, 'index.html'));
  session = await startSession(dist);
});
after(async () => {
  await session?.close();
  app?.close();
});

it('bundles worker.js as a worker of its own, and no copy of the raw file', () => {
  const files = fs.readdirSync(dist);
  assert.ok(files.length > 2, `webpack made no worker chunk: ${files.join(', ')}`);
  assert.ok(!files.includes('worker.js'), 'sdk/js/worker.js was emitted as an asset');
});

it('runs hello on the page, in the cluster and in the worker webpack built', async () => {
  const page = await session.open();
  const workers = await checkApp(session, page);
  // Without output.module webpack makes a classic worker that loads its chunks with importScripts.
  assert.match(workers[0].url, new RegExp(`^${session.gateway.url}.*\\.js$`));
  assert.equal(workers[0].type, undefined);
  await page.close();
});
