// The WebSocket endpoint before and around the requests: the subprotocol, HELLO and its rules, malformed
// and oversized frames, unknown types, keep-alive, ids reused within a session.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { Client, Gateway, TYPE, HEADER_SIZE, bytes, encode, rawMessage, scratchDir, sleep } from './harness.mjs';

const MAX_FRAME = 256 * 1024;

describe('gateway sessions', { timeout: 120_000 }, () => {
  let gateway;
  let anonymous;
  let impatient;
  before(async () => {
    const scratch = scratchDir();
    gateway = await Gateway.start({ data: join(scratch, 'data'), args: ['--max-frame', String(MAX_FRAME)] });
    anonymous = await Gateway.start({ data: join(scratch, 'anonymous'), args: ['--allow-anonymous', '--users', 'alice,bob,A-z-09' + 'x'.repeat(58)] });
    impatient = await Gateway.start({ data: join(scratch, 'impatient'), args: ['--idle-timeout', '2'] });
  });
  after(async () => {
    await gateway?.stop();
    await anonymous?.stop();
    await impatient?.stop();
  });

  test('a handshake with another subprotocol or none is refused', async () => {
    await assert.rejects(Client.open(gateway.wsUrl, { protocol: 'faasmjs.v2' }));
    await assert.rejects(Client.open(gateway.wsUrl, { protocol: null }));
    await assert.rejects(Client.open(`ws://127.0.0.1:${gateway.port}/other`));
    const client = await Client.open(gateway.wsUrl);
    assert.equal(client.socket.protocol, 'faasmjs.v1');
    await client.close();
  });

  test('HELLO gets WELCOME with a random session id and the limits', async () => {
    const one = await Client.connect(gateway.wsUrl, { user: 'alice' });
    const two = await Client.connect(gateway.wsUrl, { user: 'alice' });
    assert.equal(one.welcome.version, 1);
    assert.equal(one.welcome.resumed, false);
    assert.equal(one.welcome.maxFrame, MAX_FRAME);
    assert.equal(one.welcome.chunkSize, 1 << 20 > MAX_FRAME - 1024 ? MAX_FRAME - 1024 : 1 << 20);
    assert.equal(one.welcome.maxBody, 256 * 1024 * 1024);
    assert.ok(one.welcome.workers >= 1);
    assert.match(one.welcome.server, /^faasmjs-gateway /);
    assert.notEqual(one.welcome.session, 0n);
    assert.notEqual(one.welcome.session, two.welcome.session);
    // Random, not a counter: two sessions in a row differ in their high bits too.
    assert.notEqual(one.welcome.session >> 32n, two.welcome.session >> 32n);
    await one.close();
    await two.close();
  });

  test('a request before HELLO is NotAuthenticated and not executed; HELLO still works after it', async () => {
    const client = await Client.open(gateway.wsUrl);
    const set = await client.request(TYPE.STATE_SET, { key: 'before-hello', value: bytes('x') });
    assert.equal(set.code, 'NotAuthenticated');
    const ping = await client.request(TYPE.PING, { payload: bytes('p') });
    assert.equal(ping.code, 'NotAuthenticated');
    const welcome = await client.request(TYPE.HELLO, { user: 'carol', token: gateway.token('carol') });
    assert.equal(welcome.type, TYPE.WELCOME);
    const size = await client.request(TYPE.STATE_SIZE, { key: 'before-hello' });
    assert.equal(size.size, 0);
    await client.close();
  });

  test('a second HELLO on one socket is NotAuthenticated', async () => {
    const client = await Client.connect(gateway.wsUrl);
    const again = await client.request(TYPE.HELLO, { user: 'alice', token: gateway.token('alice') });
    assert.equal(again.code, 'NotAuthenticated');
    await client.close();
  });

  test('HELLO with a bad version or user is refused; the socket may try again', async () => {
    const client = await Client.open(anonymous.wsUrl);
    assert.equal((await client.request(TYPE.HELLO, { version: 2, user: 'alice' })).code, 'BadVersion');
    // No '_': the state namespace is `<user>_<key>` (tests/gateway/protocol/auth.test.mjs).
    for (const user of ['', 'x'.repeat(65), 'a b', 'a/b', 'ü', 'a.b', 'a_b']) {
      assert.equal((await client.request(TYPE.HELLO, { user })).code, 'BadUser', JSON.stringify(user));
    }
    assert.equal((await client.request(TYPE.HELLO, { user: 'alice', token: 'unasked' })).code, 'BadToken');
    assert.equal((await client.request(TYPE.HELLO, { user: 'A-z-09' + 'x'.repeat(58) })).type, TYPE.WELCOME);
    await client.close();
  });

  test('--users is enforced', async () => {
    const client = await Client.open(anonymous.wsUrl);
    assert.equal((await client.request(TYPE.HELLO, { user: 'mallory' })).code, 'BadUser');
    assert.equal((await client.request(TYPE.HELLO, { user: 'bob' })).type, TYPE.WELCOME);
    await client.close();
  });

  test('PING gets PONG with its payload, id 0 included', async () => {
    const client = await Client.connect(gateway.wsUrl);
    const pong = await client.request(TYPE.PING, { payload: bytes('payload') });
    assert.equal(pong.type, TYPE.PONG);
    assert.deepEqual(Buffer.from(pong.payload), Buffer.from('payload'));
    client.send([{ type: TYPE.PING, id: 0, fields: { payload: bytes('keep-alive') } }]);
    const keepAlive = await client.reply(0);
    assert.equal(keepAlive.type, TYPE.PONG);
    assert.deepEqual(Buffer.from(keepAlive.payload), Buffer.from('keep-alive'));
    await client.close();
  });

  test('malformed frames get ERROR BadFrame and the connection stays', async () => {
    const client = await Client.connect(gateway.wsUrl);
    const cases = [
      ['a header cut short', new Uint8Array(5), 0],
      ['a body shorter than its length', rawMessage(TYPE.STATE_SIZE, 11, new Uint8Array(3), { length: 10 }), 11],
      ['a reserved bit', rawMessage(TYPE.STATE_SIZE, 12, encode(TYPE.STATE_SIZE, { key: 'k' }), { reserved: 1 }), 12],
      ['an unknown flag', rawMessage(TYPE.STATE_SIZE, 13, encode(TYPE.STATE_SIZE, { key: 'k' }), { flags: 2 }), 13],
      ['a body that does not decode', rawMessage(TYPE.STATE_SIZE, 14, new Uint8Array([5, 0, 1])), 14],
      ['a body with a byte too many', rawMessage(TYPE.AWAIT, 15, new Uint8Array(5)), 15],
      ['a CONTINUE out of place', rawMessage(0x7f, 16, new Uint8Array(3)), 16],
      ['a request with id 0', rawMessage(TYPE.STATE_SIZE, 0, encode(TYPE.STATE_SIZE, { key: 'k' })), 0],
      ['a bool that is 2', rawMessage(TYPE.STATE_LOCK, 17, new Uint8Array([1, 0, 107, 2])), 17],
    ];
    for (const [what, frame, id] of cases) {
      client.sendRaw(frame);
      const error = await client.reply(id);
      assert.equal(error.code, 'BadFrame', what);
    }
    client.socket.send('a text message');
    assert.equal((await client.reply(0)).code, 'BadFrame');
    const pong = await client.request(TYPE.PING, { payload: bytes('still here') });
    assert.equal(pong.type, TYPE.PONG);
    await client.close();
  });

  test('a frame whose layout is broken runs none of its messages', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'layout' });
    const good = rawMessage(TYPE.STATE_SET, 21, encode(TYPE.STATE_SET, { key: 'k', value: bytes('v') }));
    const frame = new Uint8Array(good.length + 3);
    frame.set(good);
    client.sendRaw(frame);
    assert.equal((await client.reply(0)).code, 'BadFrame');
    assert.equal((await client.request(TYPE.STATE_SIZE, { key: 'k' })).size, 0);
    await client.close();
  });

  test('an unknown type gets ERROR UnknownType', async () => {
    const client = await Client.connect(gateway.wsUrl);
    client.sendRaw(rawMessage(0x42, 31, new Uint8Array(0)));
    assert.equal((await client.reply(31)).code, 'UnknownType');
    client.sendRaw(rawMessage(TYPE.RESULT, 32, new Uint8Array(0)));
    assert.equal((await client.reply(32)).code, 'UnknownType');
    await client.close();
  });

  test('a frame over maxFrame gets FrameTooLarge and close 1009; a new connection works', async () => {
    const client = await Client.connect(gateway.wsUrl);
    client.sendRaw(rawMessage(TYPE.PING, 41, new Uint8Array(MAX_FRAME)));
    const error = await client.reply(0);
    assert.equal(error.code, 'FrameTooLarge');
    assert.equal(await client.closed, 1009);
    const next = await Client.connect(gateway.wsUrl);
    assert.equal((await next.request(TYPE.PING, { payload: bytes('ok') })).type, TYPE.PONG);
    await next.close();
  });

  test('a frame of exactly maxFrame is accepted', async () => {
    const client = await Client.connect(gateway.wsUrl);
    const payload = new Uint8Array(MAX_FRAME - HEADER_SIZE - 4);
    client.sendRaw(rawMessage(TYPE.PING, 42, encode(TYPE.PING, { payload })));
    const pong = await client.reply(42);
    assert.equal(pong.payload.length, payload.length);
    await client.close();
  });

  test('an id reused for a different request is DuplicateId; a verbatim re-send gets the same reply', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'dup' });
    const first = await client.request(TYPE.STATE_SET, { key: 'k', value: bytes('one') }, { id: 50 });
    assert.equal(first.type, TYPE.ACK);
    const again = await client.request(TYPE.STATE_SET, { key: 'k', value: bytes('one') }, { id: 50 });
    assert.equal(again.type, TYPE.ACK);
    const other = await client.request(TYPE.STATE_SET, { key: 'k', value: bytes('two') }, { id: 50 });
    assert.equal(other.code, 'DuplicateId');
    const value = await client.request(TYPE.STATE_PULL, { key: 'k' });
    assert.deepEqual(Buffer.from(value.data), Buffer.from('one'));
    await client.close();
  });

  test('a resume takes the session over from a socket that is still open, which is closed', async () => {
    const old = await Client.connect(gateway.wsUrl, { user: 'takeover' });
    const fresh = await Client.connect(gateway.wsUrl, { user: 'takeover', session: old.welcome.session });
    assert.equal(fresh.welcome.resumed, true);
    assert.equal(await old.closed, 1000);
    assert.equal((await fresh.request(TYPE.PING, { payload: bytes('mine') }, { id: 1000 })).type, TYPE.PONG);
    await fresh.close();
  });

  test('sockets silent for --idle-timeout are closed; PINGs keep one open', async () => {
    const silent = await Client.connect(impatient.wsUrl);
    const talking = await Client.connect(impatient.wsUrl);
    const started = Date.now();
    let closedAfter = null;
    silent.closed.then(() => { closedAfter = Date.now() - started; });
    while (Date.now() - started < 5_000) {
      talking.send([{ type: TYPE.PING, id: 0, fields: { payload: bytes('') } }]);
      await sleep(500);
    }
    assert.ok(closedAfter !== null && closedAfter >= 1_500, `the silent socket closed after ${closedAfter} ms`);
    assert.equal((await talking.request(TYPE.PING, { payload: bytes('alive') })).type, TYPE.PONG);
    await talking.close();
  });
});
