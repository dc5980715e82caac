// The packed sdk/js without a bundler: the installed package served as it is, named for the browser by an
// import map; hello runs here, in the cluster and in the module worker started from the package's own worker.js.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';

import { checkApp, makeApp, startSession } from './support.mjs';

const IMPORT_MAP = '<script type="importmap">{ "imports": { "faasmjs": "/node_modules/faasmjs/index.js" } }</script>\n';

let app;
let session;
before(async () => {
  app = makeApp();
  const page = path.join(app.dir, 'index.html');
  const html = fs.readFileSync(page, 'utf8');
  fs.writeFileSync(page, html.replace('<script type="module"', `${IMPORT_MAP}<script type="module"`));
  session = await startSession(app.dir);
});
after(async () => {
  await session?.close();
  app?.close();
});

it('runs hello on the page, in the cluster and in a module worker, from the installed files', async () => {
  const page = await session.open();
  const workers = await checkApp(session, page);
  assert.deepEqual(workers, [{ url: `${session.gateway.url}node_modules/faasmjs/worker.js`, type: 'module' }]);
  await page.close();
});
