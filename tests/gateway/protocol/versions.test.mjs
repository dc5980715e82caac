// Versions of a function through a real gateway (docs/protocol.md: INVOKE.sha256, VersionMismatch; docs/gateway.md:
// --functions is watched): an INVOKE naming the registered version runs and one naming another is refused,
// naming both; a binary rebuilt in --functions serves the next calls without a restart, and the version the
// caller had before is then refused; sdk/js names the version it loaded, so a page that ran a function
// locally cannot have the cluster run another version of it unknowingly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import WebSocket from 'ws';

import { connect } from '../../../sdk/js/index.js';
import { Client, Gateway, TYPE, bytes, functionsDir, scratchDir, text } from './harness.mjs';

const CALL_MS = 240_000;
const RELOAD_MS = 30_000;
const OTHER = 'f'.repeat(64);

const manifestSha = (dir, name) => JSON.parse(readFileSync(join(dir, `${name}.manifest.json`), 'utf8')).input.sha256;

describe('function versions', { timeout: 600_000 }, () => {
  let gateway;
  let functions;
  let alice;
  before(async () => {
    const scratch = scratchDir();
    functions = functionsDir(scratch);
    gateway = await Gateway.start({ data: join(scratch, 'data'), functions });
    alice = await Client.connect(gateway.wsUrl, { user: 'alice', role: 'admin' });
  });
  after(async () => {
    await alice?.close();
    assert.deepEqual(await gateway.stop(), { code: 0, signal: null });
  });

  test('an INVOKE naming the registered version runs; one naming another is VersionMismatch, naming both', async () => {
    const sha = manifestSha(functions, 'hello');
    const ran = await alice.request(TYPE.INVOKE, { function: 'hello', input: bytes(''), sha256: sha }, { ms: CALL_MS });
    assert.equal(ran.type, TYPE.RESULT, ran.message);
    assert.equal(ran.returnValue, 0);
    const refused = await alice.request(TYPE.INVOKE, { function: 'hello', input: bytes(''), sha256: OTHER }, { ms: CALL_MS });
    assert.equal(refused.code, 'VersionMismatch');
    assert.match(refused.message, new RegExp(`hello: the caller has version ${OTHER.slice(0, 12)} of it, the gateway ${sha.slice(0, 12)}`));
  });

  test('sdk/js names the version it loaded: after an upload of another, the cluster refuses to run it', async () => {
    const client = await connect(gateway.wsUrl, { token: gateway.token('sdk', { role: 'invoke' }), webSocket: WebSocket, functions });
    try {
      const local = await client.invoke('echo', 'here', { where: 'browser' });
      assert.equal(local.outputText, 'here');
      assert.equal((await client.invoke('echo', 'there', { where: 'cluster' })).outputText, 'there');
      const other = readFileSync(join(functions, 'hello.wasm'));
      const uploaded = await alice.request(TYPE.UPLOAD, { function: 'echo', wasm: other }, { ms: CALL_MS });
      assert.equal(uploaded.type, TYPE.UPLOADED, uploaded.message);
      await assert.rejects(client.invoke('echo', 'again', { where: 'cluster' }),
        (error) => error.gatewayCode === 'VersionMismatch' && /echo: the caller has version/.test(error.message));
      // By name only, from a client that never loaded it, the registered version runs.
      const byName = await alice.request(TYPE.INVOKE, { function: 'echo', input: bytes('') }, { ms: CALL_MS });
      assert.equal(byName.returnValue, 0);
    } finally {
      client.close();
    }
  });

  test('a binary rebuilt in --functions serves the next calls without a restart; the old version is refused', async () => {
    const before = manifestSha(functions, 'sleeper');
    assert.equal(text((await alice.request(TYPE.INVOKE, { function: 'sleeper', input: bytes('k 0') }, { ms: CALL_MS })).output), 'run #1');
    // As a linker writes it: a file of its own renamed over the old one. The echo example in its place.
    const echo = readFileSync(join(process.env.FAASMJS_FUNCTIONS_DIR, 'echo.wasm'));
    writeFileSync(join(functions, 'sleeper.wasm.tmp'), echo);
    renameSync(join(functions, 'sleeper.wasm.tmp'), join(functions, 'sleeper.wasm'));
    const deadline = Date.now() + RELOAD_MS;
    let output = '';
    while (output !== 'k 0' && Date.now() < deadline) {
      output = text((await alice.request(TYPE.INVOKE, { function: 'sleeper', input: bytes('k 0') }, { ms: CALL_MS })).output);
      if (output !== 'k 0') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(output, 'k 0', `sleeper still ran the old binary after ${RELOAD_MS} ms:\n${gateway.log}`);
    assert.match(gateway.log, /reloaded sleeper from --functions/);
    const stale = await alice.request(TYPE.INVOKE, { function: 'sleeper', input: bytes('k 0'), sha256: before }, { ms: CALL_MS });
    assert.equal(stale.code, 'VersionMismatch');
  });
});
