// The global state tier over the wire: values whole and in ranges, full and partial pushes, a 64 MiB value
// in chunks that does not hold up other replies, append logs, keys, locks across sessions, and a restart
// of the gateway between a push and a pull.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { Client, Gateway, TYPE, bytes, scratchDir, sleep } from './harness.mjs';

const TO_END = 0xFFFFFFFF;

describe('gateway state', { timeout: 300_000 }, () => {
  let scratch;
  let gateway;
  before(async () => {
    scratch = scratchDir();
    gateway = await Gateway.start({ data: join(scratch, 'data'), args: ['--resume-grace', '1'] });
  });
  after(async () => { await gateway?.stop(); });

  test('set, size, pull whole and from an offset', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'st1' });
    assert.equal((await client.request(TYPE.STATE_SIZE, { key: 'v' })).size, 0);
    const missing = await client.request(TYPE.STATE_PULL, { key: 'v' });
    assert.equal(missing.exists, false);
    assert.equal((await client.request(TYPE.STATE_SET, { key: 'v', value: bytes('0123456789') })).type, TYPE.ACK);
    assert.equal((await client.request(TYPE.STATE_SIZE, { key: 'v' })).size, 10);
    const whole = await client.request(TYPE.STATE_PULL, { key: 'v', offset: 0, length: TO_END });
    assert.deepEqual({ exists: whole.exists, size: whole.size, offset: whole.offset }, { exists: true, size: 10, offset: 0 });
    assert.equal(Buffer.from(whole.data).toString(), '0123456789');
    const part = await client.request(TYPE.STATE_PULL, { key: 'v', offset: 3, length: 4 });
    assert.equal(part.offset, 3);
    assert.equal(part.size, 10);
    assert.equal(Buffer.from(part.data).toString(), '3456');
    const beyond = await client.request(TYPE.STATE_PULL, { key: 'v', offset: 11, length: 1 });
    assert.equal(beyond.code, 'BadState');
    assert.equal((await client.request(TYPE.STATE_SIZE, { key: '' })).code, 'BadState');
    await client.close();
  });

  test('keys are namespaced by user', async () => {
    const alice = await Client.connect(gateway.wsUrl, { user: 'nsalice' });
    const bob = await Client.connect(gateway.wsUrl, { user: 'nsbob' });
    await alice.request(TYPE.STATE_SET, { key: 'shared', value: bytes('alice') });
    assert.equal((await bob.request(TYPE.STATE_PULL, { key: 'shared' })).exists, false);
    await alice.close();
    await bob.close();
  });

  test('a full push keeps unsent bytes and sets the size; a partial push grows and returns the value', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'st2' });
    await client.request(TYPE.STATE_SET, { key: 'p', value: bytes('abcdefgh') });
    const full = await client.request(TYPE.STATE_PUSH, { key: 'p', size: 10, partial: false,
      ranges: [{ offset: 1, bytes: bytes('XY') }, { offset: 9, bytes: bytes('Z') }] });
    assert.equal(full.type, TYPE.ACK);
    const after = await client.request(TYPE.STATE_PULL, { key: 'p' });
    assert.deepEqual(Buffer.from(after.data), Buffer.from('aXYdefgh\0Z'));
    const cut = await client.request(TYPE.STATE_PUSH, { key: 'p', size: 4, partial: false, ranges: [] });
    assert.equal(cut.type, TYPE.ACK);
    assert.equal((await client.request(TYPE.STATE_SIZE, { key: 'p' })).size, 4);
    const partial = await client.request(TYPE.STATE_PUSH, { key: 'p', size: 6, partial: true,
      ranges: [{ offset: 5, bytes: bytes('!') }] });
    assert.equal(partial.type, TYPE.STATE_VALUE);
    assert.equal(partial.size, 6);
    assert.deepEqual(Buffer.from(partial.data), Buffer.from('aXYd\0!'));
    // A size the gateway will not allocate: over maxBody.
    const huge = await client.request(TYPE.STATE_PUSH, { key: 'huge', size: 0xFFFFFFFF, partial: false, ranges: [] });
    assert.equal(huge.code, 'BadState');
    assert.equal((await client.request(TYPE.STATE_SIZE, { key: 'huge' })).size, 0);
    const outside = await client.request(TYPE.STATE_PUSH, { key: 'p', size: 2, partial: false,
      ranges: [{ offset: 1, bytes: bytes('long') }] });
    assert.equal(outside.code, 'BadState');
    await client.close();
  });

  test('a 64 MiB value goes both ways in chunks, and a PONG overtakes it', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'big' });
    const value = new Uint8Array(64 << 20);
    for (let i = 0; i < value.length; i += 4096) value[i] = (i / 4096) & 0xff;
    value[value.length - 1] = 0x5a;
    const set = await client.request(TYPE.STATE_SET, { key: 'big', value }, { ms: 120_000 });
    assert.equal(set.type, TYPE.ACK);
    assert.equal((await client.request(TYPE.STATE_SIZE, { key: 'big' })).size, value.length);

    // Read the value back with the socket paused, so the gateway is still streaming it when the PING comes.
    const pullId = client.nextId();
    const framesBefore = client.frames;
    client.socket._socket.pause();
    client.send([{ type: TYPE.STATE_PULL, id: pullId, fields: { key: 'big' } }]);
    await sleep(500);
    const pingId = client.nextId();
    client.send([{ type: TYPE.PING, id: pingId, fields: { payload: bytes('overtake') } }]);
    await sleep(200);
    client.socket._socket.resume();
    const pong = await client.reply(pingId, 60_000);
    assert.equal(pong.type, TYPE.PONG);
    assert.equal(client.received.some((m) => m.id === pullId), false, 'the PONG arrived before the value had');
    const pulled = await client.reply(pullId, 120_000);
    assert.equal(pulled.size, value.length);
    assert.ok(Buffer.from(pulled.data).equals(Buffer.from(value)));
    assert.ok(client.frames - framesBefore >= 64, `a 64 MiB value came in ${client.frames - framesBefore} frames`);
    await client.close();
  });

  test('append, read appended, clear appended', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'st3' });
    for (const element of ['one', 'two', '', 'four']) {
      assert.equal((await client.request(TYPE.STATE_APPEND, { key: 'log', element: bytes(element) })).type, TYPE.ACK);
    }
    const three = await client.request(TYPE.STATE_READ_APPENDED, { key: 'log', count: 3 });
    assert.deepEqual(three.elements.map((e) => Buffer.from(e).toString()), ['one', 'two', '']);
    const all = await client.request(TYPE.STATE_READ_APPENDED, { key: 'log', count: 100 });
    assert.equal(all.elements.length, 4);
    assert.equal((await client.request(TYPE.STATE_CLEAR_APPENDED, { key: 'log' })).type, TYPE.ACK);
    assert.equal((await client.request(TYPE.STATE_READ_APPENDED, { key: 'log', count: 100 })).elements.length, 0);
    await client.close();
  });

  test('keys lists this user\'s keys with values, by prefix, without the namespace', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'st4' });
    for (const key of ['a/1', 'a/2', 'b']) await client.request(TYPE.STATE_SET, { key, value: bytes('v') });
    assert.deepEqual((await client.request(TYPE.STATE_KEYS, { prefix: 'a/' })).keys, ['a/1', 'a/2']);
    assert.deepEqual((await client.request(TYPE.STATE_KEYS, { prefix: '' })).keys, ['a/1', 'a/2', 'b']);
    assert.deepEqual((await client.request(TYPE.STATE_KEYS, { prefix: 'zz' })).keys, []);
    await client.close();
  });

  test('locks are granted across sessions in arrival order and released when a session ends', async () => {
    const [a, b, c, d] = await Promise.all(['la', 'lb', 'lc', 'ld'].map(() => Client.connect(gateway.wsUrl, { user: 'locks' })));
    assert.equal((await a.request(TYPE.STATE_LOCK, { key: 'L', exclusive: true })).value, 1);
    const bId = b.nextId();
    b.send([{ type: TYPE.STATE_LOCK, id: bId, fields: { key: 'L', exclusive: true } }]);
    // B's request must reach the gateway before C's: arrival order is what is tested.
    await sleep(300);
    const cId = c.nextId();
    c.send([{ type: TYPE.STATE_LOCK, id: cId, fields: { key: 'L', exclusive: false } }]);
    await sleep(300);
    assert.equal(b.received.length + c.received.length, 0, 'nothing is granted while A holds the lock');

    assert.equal((await a.request(TYPE.STATE_UNLOCK, { key: 'L', exclusive: true })).value, 1);
    assert.equal((await b.reply(bId, 5_000)).value, 1);
    await sleep(300);
    assert.equal(c.received.length, 0, 'C waits behind B');
    assert.equal((await a.request(TYPE.STATE_UNLOCK, { key: 'L', exclusive: true })).value, 0, 'A holds nothing now');

    // B's session ends (its socket closes; the grace is 1 s): its hold goes, and C is granted.
    await b.close();
    assert.equal((await c.reply(cId, 10_000)).value, 1);
    // C's hold is shared: another shared request is granted at once, an exclusive one waits.
    assert.equal((await d.request(TYPE.STATE_LOCK, { key: 'L', exclusive: false })).value, 1);
    await a.close();
    await c.close();
    await d.close();
  });

  test('a close with 1000 ends the session and its locks at once; a dropped socket keeps them for the grace', async () => {
    // A grace far longer than the test: whatever ends here ended because of the close, not the grace.
    const own = await Gateway.start({ data: join(scratch, 'ender'), args: ['--resume-grace', '600'] });
    try {
      const done = await Client.connect(own.wsUrl, { user: 'ender' });
      assert.equal((await done.request(TYPE.STATE_LOCK, { key: 'E', exclusive: true })).value, 1);
      const waiter = await Client.connect(own.wsUrl, { user: 'ender' });
      const waitId = waiter.nextId();
      waiter.send([{ type: TYPE.STATE_LOCK, id: waitId, fields: { key: 'E', exclusive: true } }]);
      done.socket.close(1000);
      await done.close();
      assert.equal((await waiter.reply(waitId, 3_000)).value, 1, 'the lock passed on');
      const after = await Client.connect(own.wsUrl, { user: 'ender', session: done.welcome.session });
      assert.equal(after.welcome.resumed, false, 'the session ended with its socket');

      const dropped = await Client.connect(own.wsUrl, { user: 'ender' });
      assert.equal((await dropped.request(TYPE.STATE_LOCK, { key: 'D', exclusive: true })).value, 1);
      dropped.drop();
      const resumed = await Client.connect(own.wsUrl, { user: 'ender', session: dropped.welcome.session });
      assert.equal(resumed.welcome.resumed, true, 'a dropped socket\'s session waits for its client');
      for (const client of [waiter, after, resumed]) await client.close();
    } finally {
      await own.stop();
    }
  });

  test('a gateway restart between a push and a pull loses nothing; SIGTERM exits 0', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'durable' });
    await client.request(TYPE.STATE_SET, { key: 'v', value: bytes('hello durable') });
    await client.request(TYPE.STATE_PUSH, { key: 'v', size: 13, partial: false, ranges: [{ offset: 0, bytes: bytes('H') }] });
    await client.request(TYPE.STATE_APPEND, { key: 'log', element: bytes('e1') });
    client.drop();
    const status = await gateway.stop();
    assert.deepEqual(status, { code: 0, signal: null });

    gateway = await Gateway.start({ data: join(scratch, 'data'), args: ['--resume-grace', '1'] });
    const again = await Client.connect(gateway.wsUrl, { user: 'durable', session: client.welcome.session });
    assert.equal(again.welcome.resumed, false, 'sessions do not survive a restart');
    const value = await again.request(TYPE.STATE_PULL, { key: 'v' });
    assert.equal(Buffer.from(value.data).toString(), 'Hello durable');
    const log = await again.request(TYPE.STATE_READ_APPENDED, { key: 'log', count: 10 });
    assert.deepEqual(log.elements.map((e) => Buffer.from(e).toString()), ['e1']);
    await again.close();
  });
});
