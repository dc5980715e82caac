// Shared and seeded files of a client connected to a REAL faasmjs-gateway (FAASMJS_GATEWAY, its embedded
// cluster): client.files goes to the gateway, a function running here (Asyncify: path_open suspends while
// the file comes over the wire) reads a faasm:// file the gateway holds and its writes are uploaded there,
// a call in the cluster takes its seeded files in INVOKE, and the gateway's refusals surface as GatewayError.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { GatewayError, connect } from '../../../sdk/js/index.js';
import { startGateway } from '../../../tools/demo/gateway.mjs';
import { WebSocket } from './support.mjs';

const wasmDir = process.env.FAASMJS_WASM_DIR;
if (!wasmDir) throw new Error('set FAASMJS_WASM_DIR to a wasm sub-build directory (e.g. build/wasm-clang)');
if (!process.env.FAASMJS_GATEWAY) throw new Error('set FAASMJS_GATEWAY to a faasmjs-gateway binary');
const ENOENT = 44;
const text = (bytes) => new TextDecoder().decode(bytes);

let gateway;
before(async () => {
  gateway = await startGateway({ functionDirs: [path.join(wasmDir, 'tests', 'js', 'runtime', 'functions')] });
});
after(() => gateway?.close());

async function withClient(options, body) {
  const client = await connect(gateway.wsUrl, { token: gateway.token('js-files', options.role ?? 'upload'), suspension: 'asyncify',
    webSocket: WebSocket, where: options.where ?? 'browser' });
  try {
    return await body(client);
  } finally {
    await client.close();
  }
}

async function run(client, input, options) {
  const result = await client.invoke('files', input, options);
  assert.equal(result.error, null, `${input}: ${result.error}`);
  return result.outputText;
}

describe('shared files through the gateway', () => {
  it('client.files.upload stores in the gateway: another client reads it back, and the cluster opens it', async () => {
    await withClient({}, (client) => client.files.upload('wire/hello.txt', 'over the wire'));
    await withClient({}, async (client) => {
      assert.equal(text(await client.files.get('wire/hello.txt')), 'over the wire');
      assert.equal(await client.files.get('wire/none.txt'), null);
      assert.equal(await run(client, 'read faasm://wire/hello.txt', { where: 'cluster' }), 'over the wire');
    });
  });

  it('a function running here reads a faasm:// file the gateway holds; a missing one is ENOENT', async () => {
    await withClient({}, async (client) => {
      await client.files.upload('wire/read.txt', 'held by the gateway');
      assert.equal(await run(client, 'read faasm://wire/read.txt'), 'held by the gateway');
      assert.equal(await run(client, 'stat faasm://wire/read.txt'), 'file 19');
      assert.equal(await run(client, 'read faasm://wire/missing.txt'), `errno ${ENOENT}`);
    });
  });

  it('what a function running here writes to a faasm:// file is uploaded to the gateway', async () => {
    await withClient({}, async (client) => {
      assert.equal(await run(client, 'write faasm://wire-written.txt from the browser'), 'wrote 16');
      assert.equal(text(await client.files.get('wire-written.txt')), 'from the browser');
    });
    await withClient({}, async (client) => {
      assert.equal(await run(client, 'read faasm://wire-written.txt', { where: 'cluster' }), 'from the browser');
    });
  });

  it('a write the gateway refuses to store fails the call, naming the file', async () => {
    await withClient({ role: 'invoke' }, async (client) => {
      const result = await client.invoke('files', 'write faasm://wire-refused.txt nope');
      assert.equal(result.returnValue, 1);
      assert.match(result.error, /upload of faasm:\/\/wire-refused\.txt failed: .*FILE_UPLOAD needs a token with role upload or admin/);
    });
  });

  it('the gateway\'s refusals are GatewayErrors: a path it does not take, a role that may not upload', async () => {
    await withClient({}, async (client) => {
      await assert.rejects(client.files.upload('../x', 'x'),
        (error) => error instanceof GatewayError && error.gatewayCode === 'BadState' && /must be relative names/.test(error.message));
    });
    await withClient({ role: 'invoke' }, async (client) => {
      await assert.rejects(client.files.upload('wire/x', 'x'),
        (error) => error instanceof GatewayError && error.gatewayCode === 'Forbidden');
    });
  });
});

describe('files seeded for a call in the cluster', () => {
  it('travel in INVOKE and are in the worker\'s root before main runs', async () => {
    await withClient({ where: 'cluster' }, async (client) => {
      assert.equal(await run(client, 'read /tmp/seeded.txt', { files: { '/tmp/seeded.txt': 'seeded in the cluster' } }),
        'seeded in the cluster');
    });
  });
});
