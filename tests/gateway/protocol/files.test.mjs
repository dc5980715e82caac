// Shared files and seeded files through a real gateway (docs/protocol.md: FILE_UPLOAD, FILE_GET, INVOKE
// files): the upload role, the path rule and the size limit, a file uploaded over the wire read by a function
// in the embedded cluster as faasm://PATH and written back by it, files kept in --data across a restart, and
// files seeded per call.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { RemoteSharedFiles } from '../../../sdk/js/transport/remote-shared-files.js';
import { Client, Gateway, TYPE, bytes, scratchDir, text } from './harness.mjs';

const CALL_MS = 240_000;
const testFunctions = process.env.FAASMJS_TEST_FUNCTIONS_DIR;

describe('shared and seeded files', { timeout: 600_000 }, () => {
  let gateway;
  let alice;
  before(async () => {
    gateway = await Gateway.start({ data: join(scratchDir(), 'data'), args: ['--max-upload-bytes', '50000'] });
    alice = await Client.connect(gateway.wsUrl, { user: 'alice', role: 'upload' });
    const uploaded = await alice.request(TYPE.UPLOAD, { function: 'faasm_files',
      wasm: readFileSync(join(testFunctions, 'faasm_files.wasm')) }, { ms: CALL_MS });
    assert.equal(uploaded.type, TYPE.UPLOADED, uploaded.message);
  });
  after(async () => {
    await alice?.close();
    assert.deepEqual(await gateway.stop(), { code: 0, signal: null });
  });

  test('FILE_UPLOAD then FILE_GET returns the bytes; a file that is not there has exists 0', async () => {
    assert.equal((await alice.request(TYPE.FILE_UPLOAD, { path: 'data/a.bin', data: new Uint8Array([0, 1, 255]) })).type, TYPE.ACK);
    const got = await alice.request(TYPE.FILE_GET, { path: 'data/a.bin' });
    assert.equal(got.type, TYPE.FILE_DATA);
    assert.equal(got.exists, true);
    assert.deepEqual([...got.data], [0, 1, 255]);
    const missing = await alice.request(TYPE.FILE_GET, { path: 'data/none' });
    assert.equal(missing.exists, false);
  });

  test('role invoke may read shared files, not upload them', async () => {
    const invoker = await Client.connect(gateway.wsUrl, { user: 'invoker', role: 'invoke' });
    try {
      const refused = await invoker.request(TYPE.FILE_UPLOAD, { path: 'data/b', data: bytes('x') });
      assert.equal(refused.code, 'Forbidden');
      assert.match(refused.message, /role invoke: FILE_UPLOAD needs a token with role upload or admin/);
      assert.equal((await invoker.request(TYPE.FILE_GET, { path: 'data/a.bin' })).exists, true);
    } finally {
      await invoker.close();
    }
  });

  test('a missing or ill-formed path is BadState naming it; a file over --max-upload-bytes is LimitExceeded', async () => {
    for (const [path, message] of [['', /a shared file needs a path/], ['../x', /must be relative names/],
      ['a//b', /must be relative names/], ['faasm://x', /without its faasm:\/\/ prefix/]]) {
      const refused = await alice.request(TYPE.FILE_UPLOAD, { path, data: bytes('x') });
      assert.equal(refused.code, 'BadState', path);
      assert.match(refused.message, message, path);
      assert.equal((await alice.request(TYPE.FILE_GET, { path })).code, 'BadState', path);
    }
    const big = await alice.request(TYPE.FILE_UPLOAD, { path: 'big', data: new Uint8Array(50001) });
    assert.equal(big.code, 'LimitExceeded');
    assert.match(big.message, /shared file of 50001 bytes is over the upload size limit of 50000/);
  });

  test('a function reads an uploaded file as faasm://PATH and its write reaches the store', async () => {
    // The SDK's store over this test client's requests (the Connection's request() has the same shape).
    const files = new RemoteSharedFiles({ request: (type, fields) => alice.request(type, fields) });
    await files.upload('files-e1/in.txt', bytes('shared-in'));
    const result = await alice.request(TYPE.INVOKE, { function: 'faasm_files', input: bytes('shared:e1') }, { ms: CALL_MS });
    assert.equal(result.type, TYPE.RESULT, result.message);
    assert.equal(text(result.output), 'faasm://files-e1/in.txt: [shared-in]; faasm://files-e1/missing.txt: open errno=44; '
      + 'stat=0 size=9; faasm://files-e1/out.txt: [written here]; ');
    assert.equal(text(await files.get('files-e1/out.txt')), 'written here');
    assert.equal(await files.get('files-e1/missing.txt'), null);
  });

  test('INVOKE files are in the root when the call starts; a bad path is BadState', async () => {
    const result = await alice.request(TYPE.INVOKE, { function: 'faasm_files', input: bytes('seeded:e2'),
      files: [{ path: '/tmp/seeded-e2.txt', data: bytes('seed') }] }, { ms: CALL_MS });
    assert.equal(text(result.output), '/tmp/seeded-e2.txt: [seed]; ');
    const refused = await alice.request(TYPE.INVOKE, { function: 'faasm_files', input: bytes('seeded:e3'),
      files: [{ path: 'faasm://x', data: bytes('') }] });
    assert.equal(refused.code, 'BadState');
    assert.match(refused.message, /is a shared file: upload it/);
  });

  test('shared files are kept in --data across a restart', async () => {
    await alice.request(TYPE.FILE_UPLOAD, { path: 'kept/file', data: bytes('kept') });
    await alice.close();
    gateway = await gateway.restart();
    alice = await Client.connect(gateway.wsUrl, { user: 'alice', role: 'upload' });
    const got = await alice.request(TYPE.FILE_GET, { path: 'kept/file' });
    assert.equal(text(got.data), 'kept');
  });
});
