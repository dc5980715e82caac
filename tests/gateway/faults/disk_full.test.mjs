// The state store on a full disk: --data on a 2 MiB tmpfs, written until it is full with whole values,
// partial pushes and appends. Every write that could not be made durable is refused with an error naming
// the cause and is not visible, before or after a restart; every acknowledged one survives the restart bit
// for bit; no half-written temporary file is left to hold space; reads and calls go on while the disk is
// full; and once space is freed (a log cleared, a value emptied) writes are acknowledged again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { Client, Gateway, TYPE, bytes, functionsDir, scratchDir, text } from '../protocol/harness.mjs';
import { Key, pushed, random, readKey, seedFromEnv } from './model.mjs';

const DISK = '2m';
const MAX_WRITES = 400;

// Every file under dir, relative to it.
function files(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => entry.isDirectory()
    ? files(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]);
}

describe('a full disk under --data', { timeout: 300_000 }, () => {
  const scratch = scratchDir();
  const data = join(scratch, 'tmpfs');
  const functions = functionsDir(scratch);
  let gateway;
  before(() => {
    mkdirSync(data);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK}`, 'tmpfs', data]);
  });
  after(async () => {
    await gateway?.kill();
    execFileSync('umount', [data]);
  });

  async function checkAll(client, keys) {
    for (const key of keys) assert.equal(key.check(await readKey(client, key.name)), 'acked', `key ${key.name}`);
  }

  async function hello(client) {
    const result = await client.request(TYPE.INVOKE, { function: 'hello', input: bytes('full disk') });
    assert.equal(result.type, TYPE.RESULT, `hello: ${result.code}: ${result.message}`);
    assert.match(text(result.output), /full disk/);
  }

  test('writes that cannot be made durable are refused, acknowledged ones survive, freed space is used again', async (t) => {
    const seed = seedFromEnv();
    t.diagnostic(`seed ${seed} (FAASMJS_FAULT_SEED=${seed} repeats this run's writes)`);
    const rng = random(seed);
    gateway = await Gateway.start({ data, functions });
    let client = await Client.connect(gateway.wsUrl, { user: 'full' });
    await hello(client);

    const grown = new Key('grown', 'value');
    const log = new Key('log', 'log');
    const keys = [grown, log];
    const refused = { set: 0, push: 0, append: 0 };
    for (let i = 0; i < MAX_WRITES && !(refused.set > 2 && refused.push > 2 && refused.append > 2); ++i) {
      const kind = ['set', 'push', 'append'][i % 3];
      let key;
      let request;
      let after = null;
      if (kind === 'set') {
        key = new Key(`whole${i}`, 'value');
        keys.push(key);
        after = rng.fill(rng.int(8 << 10, 96 << 10));
        request = { type: TYPE.STATE_SET, fields: { key: key.name, value: after } };
      } else if (kind === 'push') {
        key = grown;
        const old = grown.acked ?? new Uint8Array(0);
        const range = { offset: old.length, bytes: rng.fill(rng.int(1 << 10, 24 << 10)) };
        after = pushed(old, old.length + range.bytes.length, true, [range]);
        request = { type: TYPE.STATE_PUSH, fields: { key: key.name, size: after.length, partial: true, ranges: [range] } };
      } else {
        key = log;
        request = { type: TYPE.STATE_APPEND, fields: { key: key.name, element: rng.fill(rng.int(1 << 10, 32 << 10)) } };
      }
      const reply = await client.request(request.type, request.fields);
      if (reply.type === TYPE.ERROR) {
        assert.match(reply.message, /No space left on device/, `${kind} ${key.name}: ${reply.code}: ${reply.message}`);
        assert.ok(!reply.message.includes(data), `the error reveals where the server keeps its data: ${reply.message}`);
        refused[kind] += 1;
      } else {
        assert.equal(reply.type, kind === 'push' ? TYPE.STATE_VALUE : TYPE.ACK, `${kind} ${key.name}`);
        key.acknowledge({ after, fields: request.fields });
      }
      // A refused write changed nothing, an acknowledged one is all there.
      assert.equal(key.check(await readKey(client, key.name)), 'acked', `${kind} ${key.name}`);
    }
    t.diagnostic(`refused on the full disk: ${JSON.stringify(refused)}`);
    assert.ok(refused.set > 2 && refused.push > 2 && refused.append > 2,
      `the disk did not fill in ${MAX_WRITES} writes: refused ${JSON.stringify(refused)}`);

    assert.deepEqual(files(data).filter((name) => name.endsWith('.tmp')), [], 'a failed write left its temporary file');
    await checkAll(client, keys);
    await hello(client);

    await client.close();
    await gateway.stop();
    gateway = await Gateway.start({ data, functions });
    client = await Client.connect(gateway.wsUrl, { user: 'full' });
    await checkAll(client, keys);

    assert.equal((await client.request(TYPE.STATE_CLEAR_APPENDED, { key: log.name })).type, TYPE.ACK);
    log.acked = [];
    for (const key of keys.filter((k) => k.kind === 'value' && k.acked !== undefined)) {
      assert.equal((await client.request(TYPE.STATE_SET, { key: key.name, value: new Uint8Array(0) })).type, TYPE.ACK, key.name);
      key.acked = new Uint8Array(0);
    }
    const again = new Key('again', 'value');
    keys.push(again);
    const value = rng.fill(256 << 10);
    assert.equal((await client.request(TYPE.STATE_SET, { key: again.name, value })).type, TYPE.ACK);
    again.acked = value;
    const element = rng.fill(64 << 10);
    assert.equal((await client.request(TYPE.STATE_APPEND, { key: log.name, element })).type, TYPE.ACK);
    log.acked = [element];

    await client.close();
    await gateway.stop();
    gateway = await Gateway.start({ data, functions });
    client = await Client.connect(gateway.wsUrl, { user: 'full' });
    await checkAll(client, keys);
    await hello(client);
    await client.close();
  });
});
