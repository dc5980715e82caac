// UPLOAD through the real gateway binary with modules built to attack it: an export name that wasm2c would
// write into C as a constructor, and nesting that overflowed the gateway's stack. Each is BadWasm with one
// line, the injected code never runs, and the gateway goes on serving.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { WASM_HEADER, leb, name, section } from '../../support/wasm-bytes.mjs';
import { Client, Gateway, TYPE, bytes, scratchDir } from '../protocol/harness.mjs';

const CALL_MS = 120_000;

// memory, malloc, _start (with `startBody`), and one more () -> () function exported as `extra`.
function faasmModule({ extra = 'extra', startBody = [0x0b] } = {}) {
  const body = (code) => [...leb(code.length + 1), 0x00, ...code];
  const startCode = body(startBody);
  return new Uint8Array([
    ...WASM_HEADER,
    ...section(1, [0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00]),
    ...section(3, [0x03, 0x00, 0x01, 0x01]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(7, [0x04, ...name('memory'), 0x02, 0x00, ...name('malloc'), 0x00, 0x00, ...name('_start'), 0x00, 0x01,
      ...name(extra), 0x00, 0x02]),
    ...section(10, [0x03, ...body([0x41, 0x00, 0x0b]), ...startCode, ...body([0x0b])]),
  ]);
}

function nested(depth) {
  return [...new Array(depth).fill([0x02, 0x40]).flat(), ...new Array(depth + 1).fill(0x0b)];
}

describe('hostile uploads', { timeout: 280_000 }, () => {
  let gateway;
  let scratch;
  before(async () => {
    scratch = scratchDir();
    gateway = await Gateway.start({ data: join(scratch, 'data') });
  });
  after(async () => { await gateway?.stop(); });

  test('an export name carrying C is refused, and its constructor never runs', async () => {
    const marker = join(scratch, 'marker');
    const code = `x*/\n#ifndef PWN\n#define PWN\nextern int creat(const char*, unsigned);\n` +
      `__attribute__((constructor)) static void pwn(void) { creat("${marker}", 0644); }\n#endif\n/*`;
    const client = await Client.connect(gateway.wsUrl, { user: 'mallory' });
    const uploaded = await client.request(TYPE.UPLOAD, { function: 'pwn', wasm: faasmModule({ extra: code }) }, { ms: CALL_MS });
    // Called even if the upload went through: that is when the constructor would run, in a worker.
    const called = await client.request(TYPE.INVOKE, { function: 'pwn', input: bytes('') }, { ms: CALL_MS });
    assert.equal(uploaded.type, TYPE.ERROR, 'the upload was accepted');
    assert.equal(uploaded.code, 'BadWasm');
    assert.match(uploaded.message, /^pwn: export 3 "x\*\/\\x0a#ifndef PWN.*is not a name the cluster's compiler takes/);
    assert.doesNotMatch(uploaded.message, /\n/);
    assert.equal(called.code, 'UnknownFunction');
    assert.equal(existsSync(marker), false, 'the injected constructor ran');
    await client.close();
  });

  test('300,000 and 20,000 nested blocks are refused naming the bound; the gateway keeps serving', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'mallory' });
    for (const depth of [300_000, 20_000]) {
      const reply = await client.request(TYPE.UPLOAD, { function: `deep${depth}`, wasm: faasmModule({ startBody: nested(depth) }) },
        { ms: CALL_MS });
      assert.equal(reply.code, 'BadWasm', reply.message);
      assert.equal(reply.message, `deep${depth}: function 1 nests blocks deeper than the nesting limit of 5000`);
    }
    const other = await Client.connect(gateway.wsUrl, { user: 'bystander' });
    const set = await other.request(TYPE.STATE_SET, { key: 'k', value: bytes('still here') });
    assert.equal(set.type, TYPE.ACK, set.message);
    await other.close();
    await client.close();
  });
});
