// Embedder-level failures reject with a clear, typed error: bad URLs and options, missing files, bytes that
// are not WebAssembly, binaries without what a Faasm function must export or with imports the host lacks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import {
  FunctionNotFound, LoadError, Unsupported, connect, jspiAvailable,
} from '../../../sdk/js/index.js';
import { gatewayUrl } from '../../../sdk/js/gateway-url.js';
import { examplesDir, wasmDirs } from './support.mjs';

const { dir } = wasmDirs[0];
const hello = fs.readFileSync(path.join(examplesDir(dir), 'hello.wasm'));
const helloAsync = fs.readFileSync(path.join(examplesDir(dir), 'hello.async.wasm'));

// (module (func (export "_start")) (memory (export "memory") 1)): no malloc.
const WITHOUT_MALLOC = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
  0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x13, 0x02, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x00, 0x06,
  0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
]);

const rejectsWith = (Type, code, pattern) => (error) => {
  assert.ok(error instanceof Type, `${error?.name}: ${error?.message}`);
  assert.equal(error.code, code);
  assert.match(error.message, pattern);
  return true;
};

const bothBinaries = (wasm) => ({ wasm, asyncWasm: wasm });

// Serves the examples over HTTP; under /html/ every path answers an HTML page with status 200, as a
// misconfigured static server does.
async function serveExamples() {
  const server = http.createServer((request, response) => {
    const name = path.basename(new URL(request.url, 'http://x').pathname);
    const file = path.join(examplesDir(dir), name);
    if (request.url.startsWith('/html/')) {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
    } else if (fs.existsSync(file)) {
      response.writeHead(200, { 'content-type': 'application/wasm' }).end(fs.readFileSync(file));
    } else {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

describe('loading over HTTP', () => {
  it('runs functions from a base URL; a 404 is FunctionNotFound; an HTML page is a LoadError', async (t) => {
    const { server, base } = await serveExamples();
    t.after(() => server.close());
    const client = await connect(undefined, { functions: `${base}/wasm`, suspension: 'asyncify' });
    assert.equal((await client.invoke('hello', 'web')).outputText, 'Hello web!');
    await assert.rejects(client.invoke('missing'),
      rejectsWith(FunctionNotFound, 'FunctionNotFound', /GET http:\/\/127\.0\.0\.1:\d+\/wasm\/missing\.async\.wasm answered 404 Not Found/));
    const html = await connect(undefined, { functions: `${base}/html/`, suspension: 'asyncify' });
    await assert.rejects(html.invoke('hello'),
      rejectsWith(LoadError, 'LoadError', /function 'hello' \(http:.*\/html\/hello\.async\.wasm\) is not a WebAssembly binary \(it starts with '<!doctype html><'\)/));
  });
});

describe('connect', () => {
  it('rejects a gateway URL where there is no WebSocket (Node 20), saying what to pass', async () => {
    await assert.rejects(connect('ws://localhost:8080/ws', { functions: '.' }),
      rejectsWith(Unsupported, 'Unsupported', /no WebSocket; pass options.webSocket/));
  });

  it('keeps where and chain for clients connected to a gateway', async () => {
    await assert.rejects(connect(undefined, { functions: '.', where: 'cluster' }), /where can only be 'cluster' or 'auto'.* when connecting to a gateway/);
    await assert.rejects(connect(undefined, { functions: '.', where: 'auto' }), /where can only be 'cluster' or 'auto'.* when connecting to a gateway/);
    await assert.rejects(connect(undefined, { functions: '.', chain: 'elsewhere' }), /options.chain must be 'browser' or 'cluster'/);
  });

  it('resolves a page-relative gateway URL against the page, wss: on an https page', () => {
    assert.equal(gatewayUrl('/ws', 'http://localhost:5173/app/'), 'ws://localhost:5173/ws');
    assert.equal(gatewayUrl('ws', 'https://app.example/app/index.html'), 'wss://app.example/app/ws');
    assert.equal(gatewayUrl('https://gateway.example:8443/ws', 'http://localhost/'), 'wss://gateway.example:8443/ws');
    assert.equal(gatewayUrl(new URL('wss://gateway.example/ws')), 'wss://gateway.example/ws');
    assert.equal(gatewayUrl('ws://127.0.0.1:8080/ws', undefined), 'ws://127.0.0.1:8080/ws');
    assert.throws(() => gatewayUrl('/ws', 'file:///page.html'), /url must be .* a URL relative to it such as '\/ws', got \/ws/);
  });

  it('rejects other URLs, unknown options and bad option values, naming them', async () => {
    await assert.rejects(connect('http://x', { functions: '.' }), TypeError);
    await assert.rejects(connect('/ws', { functions: '.' }), /in a page, a URL relative to it such as '\/ws', got \/ws/);
    await assert.rejects(connect(undefined, { functions: '.', workerUrl: '/w.js' }), /options.workerUrl needs worker: true/);
    await assert.rejects(connect(undefined, { functions: '.', worker: true, workerUrl: 3 }), /options.workerUrl must be a URL/);
    await assert.rejects(connect(undefined, { functions: '.', color: 'red' }), /unknown option color/);
    await assert.rejects(connect(undefined, {}), /options.functions is required/);
    await assert.rejects(connect(undefined, { functions: '.', stdout: 'file' }), /options.stdout must be one of/);
    await assert.rejects(connect(undefined, { functions: '.', suspension: 'fibers' }), /options.suspension must be one of/);
    await assert.rejects(connect(undefined, { functions: '.', user: '' }), /options.user/);
  });

  it('picks asyncify where JSPI is missing, and refuses to force JSPI there', async () => {
    const client = await connect(undefined, { functions: examplesDir(dir) });
    assert.equal(client.suspension, jspiAvailable() ? 'jspi' : 'asyncify');
    if (!jspiAvailable()) {
      await assert.rejects(connect(undefined, { functions: '.', suspension: 'jspi' }),
        rejectsWith(Unsupported, 'Unsupported', /no JavaScript Promise Integration/));
      await assert.rejects(client.invoke('hello', '', { suspension: 'jspi' }), Unsupported);
    }
  });

  it('worker mode needs Web Workers', async () => {
    await assert.rejects(connect(undefined, { functions: '.', worker: true }),
      rejectsWith(Unsupported, 'Unsupported', /needs Web Workers/));
  });
});

describe('loading functions', () => {
  const client$ = connect(undefined, { functions: examplesDir(dir), suspension: 'asyncify' });

  it('an unknown function is FunctionNotFound (also a LoadError)', async () => {
    await assert.rejects((await client$).invoke('no_such_function'),
      rejectsWith(FunctionNotFound, 'FunctionNotFound', /no function named 'no_such_function': .*no_such_function\.async\.wasm does not exist/));
    await assert.rejects((await client$).invoke('no_such_function'), LoadError);
  });

  it('an invalid name is FunctionNotFound', async () => {
    await assert.rejects((await client$).invoke('../hello'), rejectsWith(FunctionNotFound, 'FunctionNotFound', /not a valid function name/));
  });

  it('a function without its Asyncify build says so', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-'));
    fs.writeFileSync(path.join(tmp, 'hello.wasm'), hello);
    const client = await connect(undefined, { functions: tmp, suspension: 'asyncify' });
    await assert.rejects(client.invoke('hello'), rejectsWith(LoadError, 'LoadError', /'hello' has no Asyncify build/));
    fs.rmSync(tmp, { recursive: true });
  });

  it('bytes that are not WebAssembly (an HTML error page) are a LoadError naming them', async () => {
    const client = await connect(undefined, {
      functions: { page: bothBinaries(new TextEncoder().encode('<!DOCTYPE html><html>Not found</html>')) },
      suspension: 'asyncify',
    });
    await assert.rejects(client.invoke('page'),
      rejectsWith(LoadError, 'LoadError', /function 'page' \(bytes\) is not a WebAssembly binary \(it starts with '<!DOCTYPE html><'\)/));
  });

  it('a truncated binary does not compile', async () => {
    const client = await connect(undefined, { functions: { cut: bothBinaries(helloAsync.subarray(0, 200)) }, suspension: 'asyncify' });
    await assert.rejects(client.invoke('cut'), rejectsWith(LoadError, 'LoadError', /function 'cut' \(bytes\) does not compile: /));
  });

  it('a binary without malloc is refused before it runs', async () => {
    const client = await connect(undefined, { functions: { bare: bothBinaries(WITHOUT_MALLOC) }, suspension: 'asyncify' });
    await assert.rejects(client.invoke('bare'),
      rejectsWith(LoadError, 'LoadError', /does not export the function malloc that every Faasm function has/));
  });

  it('an object of functions: unknown names list the known ones', async () => {
    const client = await connect(undefined, { functions: { hello: { asyncWasm: helloAsync } }, suspension: 'asyncify' });
    assert.equal((await client.invoke('hello', 'Bo')).outputText, 'Hello Bo!');
    await assert.rejects(client.invoke('echo'), rejectsWith(FunctionNotFound, 'FunctionNotFound', /no function named 'echo' \(known: hello\)/));
  });

  it('a failed load is not cached: the function loads once it is there', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-'));
    const client = await connect(undefined, { functions: tmp, suspension: 'asyncify' });
    await assert.rejects(client.invoke('hello'), FunctionNotFound);
    fs.writeFileSync(path.join(tmp, 'hello.async.wasm'), helloAsync);
    assert.equal((await client.invoke('hello')).outputText, 'Hello Faasm!');
    fs.rmSync(tmp, { recursive: true });
  });

  it('bad input types are a TypeError', async () => {
    await assert.rejects((await client$).invoke('hello', 42), /input must be a string, a Uint8Array or undefined/);
    await assert.rejects((await client$).invoke('hello', '', { timeoutMs: -1 }), /timeoutMs must be a positive number/);
  });
});
