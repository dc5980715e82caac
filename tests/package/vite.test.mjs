// The packed sdk/js in an app under Vite: its dev server, configured with exactly the proxy recipe of
// docs/js-runtime.md ("Dev servers", read from there so that the doc stays true) in front of a real gateway, and
// its production build served by the gateway. Each runs hello here, in the cluster and in the module worker
// Vite made of sdk/js's worker.js.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { build, createServer } from 'vite';

import { repoRoot } from '../../tools/demo/gateway.mjs';
import { checkApp, makeApp, startSession } from './support.mjs';

const DOC = path.join(repoRoot, 'docs', 'js-runtime.md');
const MARKER = '<!-- tests/package/vite.test.mjs runs this config -->';
// Where the recipe expects the gateway: its default address.
const RECIPE_GATEWAY = '127.0.0.1:8080';

/** The doc's vite.config.js, pointed at the test's gateway instead of the default address. */
function recipe(gatewayHost) {
  const text = fs.readFileSync(DOC, 'utf8');
  const block = text.split(MARKER)[1]?.match(/^```js\n([\s\S]*?)^```$/m)?.[1];
  assert.ok(block, `${DOC}: no js block after ${MARKER}`);
  assert.ok(block.includes(RECIPE_GATEWAY), `the recipe does not name the gateway's default address ${RECIPE_GATEWAY}`);
  return block.replaceAll(RECIPE_GATEWAY, gatewayHost);
}

let app;
let session;
before(async () => {
  app = makeApp();
  await build({ root: app.dir, configFile: false, logLevel: 'error' });
  session = await startSession(path.join(app.dir, 'dist'));
});
after(async () => {
  await session?.close();
  app?.close();
});

describe('the dev server with the documented proxy', () => {
  let server;
  before(async () => {
    fs.writeFileSync(path.join(app.dir, 'vite.config.js'), recipe(new URL(session.gateway.url).host));
    server = await createServer({
      root: app.dir, configFile: path.join(app.dir, 'vite.config.js'), logLevel: 'error',
      server: { host: '127.0.0.1', port: 0, strictPort: false },
    });
    await server.listen();
  });
  after(() => server?.close());

  it('runs hello on the page, in the cluster and in a module worker, all through the proxy', async () => {
    const page = await session.open(server.resolvedUrls.local[0]);
    const workers = await checkApp(session, page);
    assert.equal(workers.length, 1);
    assert.match(workers[0].url, /faasmjs\/worker\.js\?worker_file&type=module$/);
    assert.equal(workers[0].type, 'module');
    await page.close();
  });
});

describe('the production build, served by the gateway', () => {
  it('runs hello on the page, in the cluster and in the module worker Vite built', async () => {
    const page = await session.open();
    const workers = await checkApp(session, page);
    assert.match(workers[0].url, new RegExp(`^${session.gateway.url}assets/worker-[\\w-]+\\.js$`));
    assert.equal(workers[0].type, 'module');
    await page.close();
  });
});
