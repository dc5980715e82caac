// Limits that hold under abuse (docs/protocol.md, "Limits"), against the real gateway: a frame of a quarter
// million PINGs does not stall other clients, unfinished chunked bodies and unread replies are bounded per
// connection, sessions per user, sockets that never say HELLO are closed, and many idle sockets cannot
// take the descriptors that state writes need.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

import { Client, Gateway, TYPE, HEADER_SIZE, bytes, rawMessage, scratchDir, sleep, withTimeout } from './harness.mjs';

describe('gateway limits', { timeout: 300_000 }, () => {
  let gateway;
  let strict;
  let scratch;
  before(async () => {
    scratch = scratchDir();
    gateway = await Gateway.start({ data: join(scratch, 'data') });
    strict = await Gateway.start({
      data: join(scratch, 'strict'),
      args: ['--max-sessions-per-user', '2', '--hello-timeout', '1', '--max-reply-buffer', String(8 << 20)],
    });
  });
  after(async () => {
    await gateway?.stop();
    await strict?.stop();
  });

  test('a frame of 262,144 PINGs does not stall another client', async () => {
    const flood = await Client.connect(gateway.wsUrl, { user: 'alice' });
    const other = await Client.connect(gateway.wsUrl, { user: 'bob' });
    const count = (4 << 20) / (HEADER_SIZE + 4);  // PINGs with empty payloads fill exactly maxFrame
    const frame = new Uint8Array(count * (HEADER_SIZE + 4));
    for (let i = 0; i < count; i += 1) frame.set(rawMessage(TYPE.PING, i + 1, new Uint8Array(4)), i * (HEADER_SIZE + 4));
    let pongs = 0;
    const allPongs = flood.next((m) => m.type === TYPE.PONG && ++pongs === count && true, 120_000, 'every PONG');
    await new Promise((resolve) => flood.socket.send(frame, { binary: true }, resolve));
    await sleep(100);
    // Bounded: this PING is answered while the flood is served, not after it (21 s before the fix).
    const pong = await other.request(TYPE.PING, { payload: bytes('still here') }, { ms: 5_000 });
    assert.equal(pong.type, TYPE.PONG);
    await allPongs;
    await flood.close();
    await other.close();
  });

  test('unfinished chunked bodies are bounded in number per connection', async () => {
    const client = await Client.connect(gateway.wsUrl);
    const firstParts = [];
    for (let id = 1; id <= 65; id += 1) {
      firstParts.push(rawMessage(TYPE.STATE_SET, id, new Uint8Array(16), { flags: 1 }));
    }
    client.sendRaw(Buffer.concat(firstParts));
    const refused = await client.reply(65, 10_000);
    assert.equal(refused.code, 'LimitExceeded');
    assert.match(refused.message, /one chunked body too many in progress on this connection \(the limit is 64\)/);
    // The connection goes on: its other requests are served.
    const pong = await client.request(TYPE.PING, { payload: bytes('x') }, { id: 100 });
    assert.equal(pong.type, TYPE.PONG);
    await client.close();
  });

  test('a client that does not read its replies is closed with an error naming the limit; its session stays', async () => {
    const client = await Client.connect(strict.wsUrl);
    const set = await client.request(TYPE.STATE_SET, { key: 'big', value: new Uint8Array(1 << 20) });
    assert.equal(set.type, TYPE.ACK);
    client.socket.pause();
    const pulls = [];
    for (let id = 10; id < 74; id += 1) pulls.push({ type: TYPE.STATE_PULL, id, fields: { key: 'big' } });
    client.send(pulls);
    await sleep(2_000);
    client.socket.resume();
    const error = await client.next((m) => m.type === TYPE.ERROR && m.id === 0, 30_000, 'the ERROR');
    assert.equal(error.code, 'LimitExceeded');
    assert.match(error.message, /bytes of replies wait for this client, over the limit of 8388608; closing/);
    await withTimeout(client.closed, 10_000, 'the close');
    // Exactly-once survives: the session resumes and the pulls are answered from it.
    const resumed = await Client.connect(strict.wsUrl, { session: client.welcome.session });
    assert.equal(resumed.welcome.resumed, true);
    const again = await resumed.request(TYPE.STATE_PULL, { key: 'big' }, { id: 73 });
    assert.equal(again.type, TYPE.STATE_VALUE);
    assert.equal(again.data.length, 1 << 20);
    await resumed.close();
  });

  test('sessions per user are bounded; other users are not held up', async () => {
    const one = await Client.connect(strict.wsUrl, { user: 'carol' });
    const two = await Client.connect(strict.wsUrl, { user: 'carol' });
    const third = await Client.open(strict.wsUrl);
    const refused = await third.request(TYPE.HELLO, { user: 'carol', token: strict.token('carol'), session: 0n });
    assert.equal(refused.code, 'LimitExceeded');
    assert.equal(refused.message, "user 'carol' has 2 sessions, the limit per user (--max-sessions-per-user)");
    const dave = await Client.connect(strict.wsUrl, { user: 'dave' });
    await third.close();
    // A session that ends (a close with 1000) makes room.
    one.socket.close(1000);
    await withTimeout(one.closed, 5_000, 'the close');
    const fourth = await withTimeout((async () => {
      for (;;) {
        const client = await Client.open(strict.wsUrl);
        const reply = await client.request(TYPE.HELLO, { user: 'carol', token: strict.token('carol'), session: 0n });
        if (reply.type === TYPE.WELCOME) return client;
        await client.close();
        await sleep(100);
      }
    })(), 10_000, 'a HELLO once a session ended');
    await Promise.all([two.close(), fourth.close(), dave.close()]);
  });

  test('a socket that does not say HELLO in time is told so and closed', async () => {
    const silent = await Client.open(strict.wsUrl);
    const error = await silent.next((m) => m.type === TYPE.ERROR, 10_000, 'the ERROR');
    assert.equal(error.code, 'NotAuthenticated');
    assert.equal(error.message, 'no successful HELLO within 1 s of connecting (the limit); closing');
    await withTimeout(silent.closed, 10_000, 'the close');
  });

  test('a thousand idle sockets do not take the descriptors state writes need', async () => {
    // A gateway with few descriptors, so that a thousand sockets would exhaust them.
    const starved = await Gateway.start({
      data: join(scratch, 'starved'),
      args: ['--hello-timeout', '2'],
      wrapper: ['prlimit', '--nofile=256:256', '--'],
    });
    try {
      const writer = await Client.connect(starved.wsUrl, { user: 'alice' });
      const idle = [];
      await Promise.all(Array.from({ length: 1000 }, () => new Promise((resolve) => {
        const socket = net.connect(starved.port, '127.0.0.1', resolve);
        socket.on('error', resolve);
        socket.on('close', resolve);
        idle.push(socket);
      })));
      for (let round = 0; round < 20; round += 1) {
        const set = await writer.request(TYPE.STATE_SET, { key: `k${round}`, value: bytes(`value ${round}`) });
        assert.equal(set.type, TYPE.ACK, `write ${round}: ${set.code}: ${set.message}`);
      }
      for (const socket of idle) socket.destroy();
      // Once they are gone, new clients get in again: the gateway sees the thousand closes in its own time,
      // and until then refuses a socket at accept (a reset), so this tries for a bounded while.
      const later = await withTimeout((async () => {
        for (;;) {
          try {
            return await Client.connect(starved.wsUrl, { user: 'bob' });
          } catch (error) {
            if (error.code !== 'ECONNRESET') throw error;
            await sleep(100);
          }
        }
      })(), 10_000, 'a client once the idle sockets are gone');
      const pong = await later.request(TYPE.PING, { payload: bytes('p') });
      assert.equal(pong.type, TYPE.PONG);
      await later.close();
      await writer.close();
    } finally {
      await starved.stop();
    }
  });

  test('uploads are bounded per user in size and per minute, each breach naming its limit', async () => {
    const bounded = await Gateway.start({
      data: join(scratch, 'uploads'),
      args: ['--max-upload-bytes', '1000', '--uploads-per-minute', '3'],
    });
    try {
      const alice = await Client.connect(bounded.wsUrl, { user: 'alice' });
      const big = await alice.request(TYPE.UPLOAD, { function: 'big', wasm: new Uint8Array(1001) });
      assert.equal(big.code, 'LimitExceeded');
      assert.match(big.message, /a module of 1001 bytes is over the upload size limit of 1000 \(--max-upload-bytes\)/);
      // Not wasm, so refused without a compile; each still counts, since each costs a check.
      for (let i = 0; i < 3; i += 1) {
        assert.equal((await alice.request(TYPE.UPLOAD, { function: `f${i}`, wasm: bytes('not wasm') })).code, 'BadWasm');
      }
      const fourth = await alice.request(TYPE.UPLOAD, { function: 'f3', wasm: bytes('not wasm') });
      assert.equal(fourth.code, 'LimitExceeded');
      assert.match(fourth.message, /user 'alice' made 3 uploads in the last minute, the limit \(--uploads-per-minute 3\)/);
      // Per user, not per connection: alice's other session is refused too, bob is not.
      const again = await Client.connect(bounded.wsUrl, { user: 'alice' });
      assert.equal((await again.request(TYPE.UPLOAD, { function: 'f4', wasm: bytes('not wasm') })).code, 'LimitExceeded');
      const bob = await Client.connect(bounded.wsUrl, { user: 'bob' });
      assert.equal((await bob.request(TYPE.UPLOAD, { function: 'g', wasm: bytes('not wasm') })).code, 'BadWasm');
      await Promise.all([alice.close(), again.close(), bob.close()]);
    } finally {
      await bounded.stop();
    }
  });

  test('a 15-byte STATE_PUSH declaring 256 MiB is refused without the gateway holding or writing it', async () => {
    const client = await Client.connect(gateway.wsUrl, { user: 'grower' });
    const rssBefore = residentBytes(gateway.pid);
    const dataBefore = folderBytes(join(scratch, 'data'));
    const push = await client.request(TYPE.STATE_PUSH, { key: 'huge', size: 256 << 20, partial: false, ranges: [] });
    assert.equal(push.code, 'BadState');
    assert.match(push.message, /a push that grows 'huge' from 0 to 268435456 bytes must carry the bytes it adds/);
    const partial = await client.request(TYPE.STATE_PUSH, { key: 'huge', size: 256 << 20, partial: true,
      ranges: [{ offset: 0, bytes: bytes('x') }] });
    assert.equal(partial.code, 'BadState');
    assert.equal((await client.request(TYPE.STATE_SIZE, { key: 'huge' })).size, 0);
    assert.ok(residentBytes(gateway.pid) - rssBefore < 64 << 20, 'the gateway\'s memory did not grow by the value');
    assert.ok(folderBytes(join(scratch, 'data')) - dataBefore < 64 << 20, 'its data folder did not grow by the value');
    // Zero-extension by a little is what a full push of the bytes a client knows does: still served.
    const small = await client.request(TYPE.STATE_PUSH, { key: 'small', size: 1000, partial: false, ranges: [] });
    assert.equal(small.type, TYPE.ACK);
    await client.close();
  });
});

function residentBytes(pid) {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1];
  return Number(kib) * 1024;
}

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath ?? entry.path, entry.name)).blocks * 512;
  }
  return total;
}
