// tools/devserver: what it serves and with which types, what it refuses, and its command line (no browser).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { functionsDirOf, startDevServer } from '../../tools/devserver/server.mjs';
import { examplesDir, wasmDir } from './support.mjs';

const CLI = fileURLToPath(new URL('../../tools/devserver/devserver.mjs', import.meta.url));

describe('serving', () => {
  let server;
  before(async () => { server = await startDevServer({ functionsDir: examplesDir, port: 0 }); });
  after(() => server.close());
  const get = (urlPath, init) => fetch(new URL(urlPath, server.url), init);

  it('serves the demo, the runtime and the functions with the types browsers insist on', async () => {
    for (const [urlPath, type] of [['/', 'text/html'], ['/app.js', 'text/javascript'], ['/style.css', 'text/css'],
      ['/sdk/js/index.js', 'text/javascript'], ['/wasm/hello.wasm', 'application/wasm'],
      ['/wasm/hello.async.wasm', 'application/wasm'], ['/wasm/hello.manifest.json', 'application/json']]) {
      const response = await get(urlPath);
      assert.equal(response.status, 200, urlPath);
      assert.equal(response.headers.get('content-type').split(';')[0], type, urlPath);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const body = new Uint8Array(await response.arrayBuffer());
      assert.equal(body.length, Number(response.headers.get('content-length')), urlPath);
      if (type === 'application/wasm') assert.deepEqual([...body.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
    }
  });

  it('needs no cross-origin isolation headers', async () => {
    const response = await get('/');
    assert.equal(response.headers.get('cross-origin-opener-policy'), null);
    assert.equal(response.headers.get('cross-origin-embedder-policy'), null);
  });

  it('answers 404 for missing files and for paths that leave their tree', async () => {
    for (const urlPath of ['/nope.html', '/wasm/nope.wasm', '/sdk/js/../../CMakeLists.txt',
      '/wasm/%2e%2e/%2e%2e/CMakeCache.txt', '/wasm/..%2f..%2fCMakeCache.txt', '/%00', '/%E0%A4%A']) {
      const response = await get(urlPath);
      assert.equal(response.status, 404, urlPath);
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('/wasm/hello.wasm', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    const post = await get('/', { method: 'POST', body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });
});

describe('command line', () => {
  const run = (...args) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 10_000 });

  it('--help prints the options and exits 0', () => {
    const { status, stdout } = run('--help');
    assert.equal(status, 0);
    for (const option of ['--port', '--host', '--build-dir', '--help']) assert.match(stdout, new RegExp(option));
  });

  it('bad options and a build without functions exit 2 with one clear line', () => {
    assert.match(run('--bogus').stderr, /^devserver: Unknown option '--bogus'/);
    assert.equal(run('--bogus').status, 2);
    const badPort = run('--port', 'eighty', '--build-dir', wasmDir);
    assert.equal(badPort.status, 2);
    assert.match(badPort.stderr, /--port must be 0\.\.65535, got 'eighty'/);
    const empty = run('--build-dir', path.join(wasmDir, 'no-such-dir'));
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /no example functions in .*no-such-dir.*build first/);
  });

  it('finds the functions from a native build directory or a wasm sub-build', () => {
    assert.equal(functionsDirOf(wasmDir), examplesDir);
    assert.equal(functionsDirOf(path.dirname(wasmDir)),
      path.join(path.dirname(wasmDir), 'wasm-clang', 'examples', 'functions'));
  });

  for (const signal of ['SIGINT', 'SIGTERM']) {
    it(`prints its URL, serves, and exits 0 on ${signal}`, async () => {
      const child = spawn(process.execPath, [CLI, '--port', '0', '--build-dir', wasmDir], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = once(child, 'exit');
      let printed = '';
      for await (const chunk of child.stdout) {
        printed += chunk;
        if (printed.includes('\n')) break;
      }
      const url = /faasm\.js demo: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(printed)?.[1];
      assert.ok(url, printed);
      // fetch keeps this connection alive afterwards: an idle connection must not hold the shutdown open.
      const response = await fetch(`${url}wasm/hello.wasm`);
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      child.kill(signal);
      const [code] = await exited;
      assert.equal(code, 0);
    });
  }
});
