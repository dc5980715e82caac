// HTTP on the gateway's port: the web app, the SDK and the function binaries, with their MIME types and
// Cache-Control, 404s, and no way out of the served directories.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Gateway, functionsDir, scratchDir } from './harness.mjs';

const SOURCE = fileURLToPath(new URL('../../../', import.meta.url));

// A raw GET: the path goes out exactly as written (fetch would normalise "..").
function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

describe('gateway HTTP', { timeout: 60_000 }, () => {
  let gateway;
  let functions;
  before(async () => {
    const scratch = scratchDir();
    functions = functionsDir(scratch);
    gateway = await Gateway.start({ data: join(scratch, 'data'), functions });
  });
  after(async () => { await gateway?.stop(); });

  test('/ serves the web root\'s index.html', async () => {
    const res = await get(gateway.port, '/');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.deepEqual(res.body, readFileSync(join(SOURCE, 'examples/webapp/index.html')));
  });

  test('the web app\'s scripts and styles have their types', async () => {
    const js = await get(gateway.port, '/app.js');
    assert.equal(js.status, 200);
    assert.match(js.headers['content-type'], /^text\/javascript/);
  });

  test('/sdk/ serves the SDK as JavaScript modules', async () => {
    const res = await get(gateway.port, '/sdk/js/index.js');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/javascript/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.deepEqual(res.body, readFileSync(join(SOURCE, 'sdk/js/index.js')));
    const json = await get(gateway.port, '/sdk/js/package.json');
    assert.equal(json.status, 200);
    assert.equal(json.headers['content-type'], 'application/json');
  });

  test('/functions/ serves the registered binaries and manifests', async () => {
    for (const [file, type] of [['hello.wasm', 'application/wasm'], ['hello.async.wasm', 'application/wasm'],
      ['hello.manifest.json', 'application/json']]) {
      const res = await get(gateway.port, `/functions/${file}`);
      assert.equal(res.status, 200, file);
      assert.equal(res.headers['content-type'], type, file);
      assert.equal(res.headers['cache-control'], 'no-cache', file);
      assert.deepEqual(res.body, readFileSync(join(functions, file)), file);
    }
  });

  test('unknown files are 404 with a small body', async () => {
    for (const path of ['/nope.html', '/sdk/js/nope.js', '/functions/nope.wasm', '/functions/hello.txt',
      '/functions/sub/hello.wasm', '/ws']) {
      const res = await get(gateway.port, path);
      assert.equal(res.status, 404, path);
      assert.ok(res.body.length > 0 && res.body.length < 1024, path);
    }
  });

  test('no path leaves the served directories', async () => {
    for (const path of ['/../CMakeLists.txt', '/sdk/../CMakeLists.txt', '/sdk/js/../../CMakeLists.txt',
      '/sdk/%2e%2e/CMakeLists.txt', '/%2e%2e/%2e%2e/etc/passwd', '/functions/..%2fhello.wasm',
      '/sdk/..\\..\\CMakeLists.txt', '//etc/passwd']) {
      const res = await get(gateway.port, path);
      assert.notEqual(res.status, 200, `${path} must not be served`);
      assert.doesNotMatch(res.body.toString(), /cmake_minimum_required|root:/, path);
    }
  });
});
