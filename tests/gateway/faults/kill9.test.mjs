// kill -9 at random points during a stream of acknowledged state writes over the wire (whole values, full
// and partial pushes with ranges, appends), then a restart on the same --data: every acknowledged write is
// there bit for bit, and a write in flight at the kill is there whole or not at all, never torn. The seed
// is printed; FAASMJS_FAULT_SEED=N repeats a run's writes and kill delays.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { Client, Gateway, TYPE, scratchDir, sleep } from '../protocol/harness.mjs';
import { Key, appendWrite, random, readKey, replies, seedFromEnv, valueWrite } from './model.mjs';

const KILLS = 50;
const VALUE_KEYS = 6;
const LOG_KEYS = 4;
const MAX_WRITE = 256 << 10;
const MAX_DELAY_MS = 300;

let acknowledged = 0;

// Writes to one key, one at a time, until the socket dies; each acknowledged write goes into the model.
async function write(client, reply, key, rng) {
  for (;;) {
    const next = key.kind === 'value' ? valueWrite(rng, key.acked, MAX_WRITE) : appendWrite(rng, MAX_WRITE / 4);
    key.pending = next;
    const id = client.nextId();
    client.send([{ type: next.type, id, fields: { key: key.name, ...next.fields } }]);
    const answer = await reply(id);
    if (answer === null) return 0;
    assert.equal(answer.type, next.ack, `${next.what} to ${key.name}: ${answer.code}: ${answer.message}`);
    if (answer.type === TYPE.STATE_VALUE) assert.ok(Buffer.from(answer.data).equals(Buffer.from(next.after)), `${next.what} returned another value`);
    key.acknowledge(next);
    acknowledged += 1;
  }
}

async function verify(gateway, keys, counts) {
  const client = await Client.connect(gateway.wsUrl, { user: 'crash' });
  for (const key of keys) counts[key.check(await readKey(client, key.name))] += 1;
  return client;
}

describe('kill -9 during acknowledged writes', { timeout: 240_000 }, () => {
  test(`${KILLS} kills, each followed by a restart that finds every acknowledged write whole`, async (t) => {
    const seed = seedFromEnv();
    t.diagnostic(`seed ${seed} (FAASMJS_FAULT_SEED=${seed} repeats this run's writes and kill delays)`);
    const delays = random(seed);
    const keys = [
      ...Array.from({ length: VALUE_KEYS }, (_, i) => new Key(`v${i}`, 'value')),
      ...Array.from({ length: LOG_KEYS }, (_, i) => new Key(`l${i}`, 'log')),
    ];
    const streams = keys.map((_, i) => random(seed + 1 + i));
    const data = join(scratchDir(), 'data');
    const counts = { acked: 0, pending: 0 };
    let dropped = 0;
    let gateway = await Gateway.start({ data });
    try {
      for (let kill = 0; kill < KILLS; ++kill) {
        const client = await verify(gateway, keys, counts);
        const reply = replies(client);
        const writers = keys.map((key, i) => write(client, reply, key, streams[i]));
        await sleep(delays.int(0, MAX_DELAY_MS));
        await gateway.kill();
        await Promise.all(writers);
        gateway = await Gateway.start({ data });
        dropped += (gateway.log.match(/dropped a torn/g) ?? []).length;
      }
      (await verify(gateway, keys, counts)).close();
    } finally {
      await gateway.kill();
    }
    t.diagnostic(`${acknowledged} writes acknowledged over ${KILLS} kills; after the restarts ${counts.pending} in-flight write(s) ` +
      `were found applied whole, ${dropped} torn record(s) were dropped on loading`);
    assert.ok(acknowledged >= KILLS, `only ${acknowledged} writes were acknowledged: the test did not exercise the store`);
  });
});
