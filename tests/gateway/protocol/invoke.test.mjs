// Calls over the wire: INVOKE into the embedded cluster, AWAIT and CANCEL, UPLOAD, and a resume after a
// dropped socket in which a re-sent INVOKE runs exactly once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Client, Gateway, TYPE, bytes, functionsDir, scratchDir, sleep, text } from './harness.mjs';

// The first run compiles hello, echo and sleeper (cached afterwards): calls may wait that long.
const CALL_MS = 240_000;

function runs(value) {
  assert.equal(value.type, TYPE.STATE_VALUE, value.message);
  return value.exists ? new DataView(value.data.buffer, value.data.byteOffset, 4).getUint32(0, true) : 0;
}

describe('gateway calls', { timeout: 600_000 }, () => {
  let gateway;
  let functions;
  before(async () => {
    const scratch = scratchDir();
    functions = functionsDir(scratch);
    gateway = await Gateway.start({ data: join(scratch, 'data'), functions, args: ['--resume-grace', '30'] });
  });
  after(async () => { await gateway?.stop(); });

  test('INVOKE runs hello and echo in the cluster', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'calls' });
    const input = new Uint8Array([0, 1, 2, 250, 255, 10]);
    const idHello = client.nextId();
    const idEcho = client.nextId();
    // Both in one frame, as a fork-join sends them.
    client.send([
      { type: TYPE.INVOKE, id: idHello, fields: { function: 'hello', input: bytes('World') } },
      { type: TYPE.INVOKE, id: idEcho, fields: { function: 'echo', input } },
    ]);
    const hello = await client.reply(idHello, CALL_MS);
    assert.equal(hello.type, TYPE.RESULT, hello.message);
    assert.equal(hello.status, 'finished', hello.error);
    assert.equal(hello.returnValue, 0);
    assert.match(text(hello.output), /Hello/);
    const trace = JSON.parse(hello.trace);
    assert.equal(trace.where, 'cluster');
    const echo = await client.reply(idEcho, CALL_MS);
    assert.equal(echo.status, 'finished', echo.error);
    assert.deepEqual(Buffer.from(echo.output), Buffer.from(input));
    await client.close();
  });

  test('INVOKE of an unknown function is UnknownFunction; AWAIT/CANCEL of a non-call is UnknownCall', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'calls' });
    const unknown = await client.request(TYPE.INVOKE, { function: 'no_such_function', input: bytes('') });
    assert.equal(unknown.code, 'UnknownFunction');
    assert.match(unknown.message, /no_such_function/);
    assert.equal((await client.request(TYPE.AWAIT, { callId: 999 })).code, 'UnknownCall');
    assert.equal((await client.request(TYPE.CANCEL, { callId: 999 })).code, 'UnknownCall');
    const ping = client.nextId();
    client.send([{ type: TYPE.PING, id: ping, fields: { payload: bytes('') } }]);
    await client.reply(ping);
    assert.equal((await client.request(TYPE.AWAIT, { callId: ping })).code, 'UnknownCall');
    await client.close();
  });

  test('AWAIT gets the RESULT of an earlier INVOKE, running or finished', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'awaits' });
    const call = client.nextId();
    const wait = client.nextId();
    client.send([
      { type: TYPE.INVOKE, id: call, fields: { function: 'sleeper', input: bytes('a1 300') } },
      { type: TYPE.AWAIT, id: wait, fields: { callId: call } },
    ]);
    const awaited = await client.reply(wait, CALL_MS);
    const direct = await client.reply(call, CALL_MS);
    assert.equal(awaited.status, 'finished', awaited.error);
    assert.equal(text(awaited.output), 'run #1');
    assert.deepEqual(Buffer.from(direct.output), Buffer.from(awaited.output));
    const later = await client.request(TYPE.AWAIT, { callId: call });
    assert.equal(text(later.output), 'run #1');
    await client.close();
  });

  test('CANCEL stops a running call: ACK 1 and a Cancelled RESULT; a finished call gets ACK 0', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'cancels' });
    const call = client.nextId();
    client.send([{ type: TYPE.INVOKE, id: call, fields: { function: 'sleeper', input: bytes('c1 60000') } }]);
    // Wait until it runs: it pushes its run count before sleeping.
    for (let i = 0; i < 2400; i += 1) {
      if (runs(await client.request(TYPE.STATE_PULL, { key: 'c1' })) === 1) break;
      await sleep(100);
    }
    const started = Date.now();
    const ack = await client.request(TYPE.CANCEL, { callId: call });
    assert.equal(ack.value, 1);
    const result = await client.reply(call, 30_000);
    assert.equal(result.status, 'cancelled');
    assert.equal(result.returnValue, 1);
    assert.match(result.error, /sleeper/);
    assert.ok(Date.now() - started < 30_000);
    assert.equal((await client.request(TYPE.CANCEL, { callId: call })).value, 0);
    await client.close();
  });

  test('after a dropped socket the session resumes and a re-sent INVOKE runs once', async () => {
    const first = await Client.connect(gateway.wsUrl, { user: 'resumer' });
    const session = first.welcome.session;
    const invoke = { type: TYPE.INVOKE, id: 70_001, fields: { function: 'sleeper', input: bytes('r1 1500') } };
    const set = { type: TYPE.STATE_SET, id: 70_002, fields: { key: 'r-set', value: bytes('x') } };
    first.send([invoke, set]);
    await first.reply(70_002, CALL_MS);
    // Wait until the call runs, then lose the socket under it.
    for (let i = 0; i < 2400; i += 1) {
      if (runs(await first.request(TYPE.STATE_PULL, { key: 'r1' })) === 1) break;
      await sleep(50);
    }
    first.drop();

    const second = await Client.connect(gateway.wsUrl, { user: 'resumer', session });
    assert.equal(second.welcome.resumed, true);
    assert.equal(second.welcome.session, session);
    // Re-sent verbatim: the running call is attached, not started again; the finished SET is answered again.
    second.send([invoke, set]);
    assert.equal((await second.reply(70_002)).type, TYPE.ACK);
    const result = await second.reply(70_001, CALL_MS);
    assert.equal(text(result.output), 'run #1');
    second.drop();

    const third = await Client.connect(gateway.wsUrl, { user: 'resumer', session });
    assert.equal(third.welcome.resumed, true);
    third.send([invoke]);
    assert.equal(text((await third.reply(70_001, CALL_MS)).output), 'run #1');
    // An id the session has not used yet: the first socket's polls took ids from 2 up, and a verbatim
    // repeat of one of those would (rightly) be answered with its kept reply.
    const pull = await third.request(TYPE.STATE_PULL, { key: 'r1' }, { id: 100_000 });
    assert.equal(runs(pull), 1, 'the call ran exactly once');
    // The same id for another request is not a re-send.
    const reused = await third.request(TYPE.INVOKE, { function: 'sleeper', input: bytes('r1 0') }, { id: 70_001 });
    assert.equal(reused.code, 'DuplicateId');
    await third.close();
  });

  test('a session of another user, or an unknown one, is not resumed', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'owner' });
    const session = client.welcome.session;
    const other = await Client.connect(gateway.wsUrl, { user: 'thief', session });
    assert.equal(other.welcome.resumed, false);
    assert.notEqual(other.welcome.session, session);
    const unknown = await Client.connect(gateway.wsUrl, { user: 'owner', session: 12345n });
    assert.equal(unknown.welcome.resumed, false);
    await client.close();
    await other.close();
    await unknown.close();
  });

  test('UPLOAD registers a function that INVOKE then runs and FUNCTIONS lists; a bad binary is BadWasm', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'uploader' });
    const listed = async () => (await client.request(TYPE.FUNCTIONS, {})).functions;
    assert.deepEqual((await listed()).map((f) => f.name), ['echo', 'hello', 'sleeper']);
    const wasm = readFileSync(join(functions, 'echo.wasm'));
    const uploaded = await client.request(TYPE.UPLOAD, { function: 'echo_copy', wasm }, { ms: CALL_MS });
    assert.equal(uploaded.type, TYPE.UPLOADED, uploaded.message);
    assert.equal(uploaded.function, 'echo_copy');
    assert.match(uploaded.sha256, /^[0-9a-f]{64}$/);
    const after = await listed();
    assert.deepEqual(after.map((f) => f.name), ['echo', 'echo_copy', 'hello', 'sleeper']);
    assert.equal(after[1].sha256, uploaded.sha256);
    assert.equal(after[0].sha256, after[1].sha256, 'the same binary');
    const result = await client.request(TYPE.INVOKE, { function: 'echo_copy', input: bytes('copied') }, { ms: CALL_MS });
    assert.equal(text(result.output), 'copied');
    const bad = await client.request(TYPE.UPLOAD, { function: 'broken', wasm: bytes('not wasm at all') }, { ms: CALL_MS });
    assert.equal(bad.code, 'BadWasm');
    await client.close();
  });

  // Last: it stops the suite's gateway.
  test('SIGTERM with calls running and a write in flight exits 0 at once', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'shutdown' });
    // Ids apart from those client.request() takes (1, 2, …).
    const calls = [1, 2, 3].map((i) => ({ type: TYPE.INVOKE, id: 100 + i, fields: { function: 'sleeper', input: bytes(`s${i} 60000`) } }));
    client.send([...calls, { type: TYPE.STATE_SET, id: 109, fields: { key: 'big', value: new Uint8Array(16 << 20) } }]);
    for (let i = 0; i < 2400; i += 1) {
      if (runs(await client.request(TYPE.STATE_PULL, { key: 's1' })) === 1) break;
      await sleep(100);
    }
    const started = Date.now();
    const status = await gateway.stop();
    assert.deepEqual(status, { code: 0, signal: null });
    assert.ok(Date.now() - started < 10_000, `shutdown took ${Date.now() - started} ms`);
    assert.match(gateway.log, /stopped/);
  });
});
