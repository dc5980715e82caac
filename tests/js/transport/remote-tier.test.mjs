// The gateway's global tier (sdk/js/state/remote-tier.js) on the wire, against a scripted server: what each
// GlobalTier method sends (function keys, only the ranges given, raw bytes), how replies map back, and the
// warning when a lost session takes the tier's locks with it. Round trips through the real gateway are in
// gateway.test.mjs.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { TYPE } from '../../../sdk/js/transport/codec.js';
import { Connection } from '../../../sdk/js/transport/connection.js';
import { RemoteGlobalTier } from '../../../sdk/js/state/remote-tier.js';
import {
  ACK, Fields, STATE_SIZE_IS, STATE_VALUE, WebSocket, blob, bytes, startFakeGateway, str, u32,
} from './support.mjs';

const cleanup = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()();
});

// A tier for user 'ada' over a server that answers with `answer(msg)` → [type, body].
async function tierWith(answer) {
  const gateway = await startFakeGateway({ onMessage: (msg, reply) => reply(...answer(msg)) });
  cleanup.push(() => gateway.close());
  const connection = new Connection(gateway.url, { user: 'ada', webSocket: WebSocket, reconnect: { delayMs: 20 } });
  cleanup.push(() => connection.close());
  await connection.open();
  const warnings = [];
  return { gateway, connection, warnings, tier: new RemoteGlobalTier(connection, 'ada', (message) => warnings.push(message)) };
}

const last = (gateway) => gateway.received.at(-1);

describe('remote global tier', () => {
  it('puts the function\'s key on the wire and maps each reply back', async () => {
    const { gateway, tier } = await tierWith((msg) => {
      switch (msg.type) {
        case TYPE.STATE_SIZE: return [STATE_SIZE_IS, bytes(u32(12))];
        case TYPE.STATE_PULL: return new Fields(msg.body).str() === 'none' ? [STATE_VALUE, bytes(0, u32(0), u32(0), blob(''))]
          : [STATE_VALUE, bytes(1, u32(12), u32(4), blob(bytes(7, 8)))];
        case TYPE.STATE_READ_APPENDED: return [0x86, bytes(u32(2), blob('a'), blob('bc'))];
        case TYPE.STATE_KEYS: return [0x87, bytes(u32(2), str('x'), str('counts'))];
        case TYPE.STATE_UNLOCK: return [ACK, bytes(1)];
        default: return [ACK, bytes(0)];
      }
    });
    assert.equal(await tier.size('ada_counts'), 12);
    assert.equal(new Fields(last(gateway).body).str(), 'counts');
    assert.deepEqual(await tier.pull('ada_counts', 4, 2), { size: 12, bytes: bytes(7, 8) });
    const pull = new Fields(last(gateway).body);
    assert.deepEqual([pull.str(), pull.u32(), pull.u32()], ['counts', 4, 2]);
    await tier.pull('ada_counts');
    const whole = new Fields(last(gateway).body);
    assert.deepEqual([whole.str(), whole.u32(), whole.u32()], ['counts', 0, 0xFFFFFFFF], 'to the end');
    assert.equal(await tier.pull('ada_none'), null);
    assert.deepEqual(await tier.readAppended('ada_log', 5), [bytes('a'), bytes('bc')]);
    assert.deepEqual(await tier.keys('ada_'), ['ada_counts', 'ada_x'], 'sorted, in the global namespace');
    assert.equal(new Fields(last(gateway).body).str(), '');
    await tier.keys('ada_co');
    assert.equal(new Fields(last(gateway).body).str(), 'co');
    const asked = gateway.received.length;
    assert.deepEqual(await tier.keys('bob_'), [], 'another user\'s keys are not this session\'s to list');
    assert.equal(gateway.received.length, asked);
    assert.equal(await tier.unlock('ada_counts', true), true);
    await assert.rejects(tier.size('bob_counts'), /state key 'bob_counts' is not in namespace ada_/);
  });

  it('pushes only the ranges it is given, raw', async () => {
    const { gateway, tier } = await tierWith((msg) => (new Fields(msg.body).str() === 'p' && msg.body.at(7) === 1
      // key p, then u32 size: byte 7 is the partial flag
      ? [STATE_VALUE, bytes(1, u32(6), u32(0), blob(bytes(1, 2, 3, 4, 5, 6)))] : [ACK, bytes(0)]));
    await tier.push('ada_v', 100000, [{ offset: 10, bytes: bytes(1, 2) }, { offset: 99990, bytes: bytes(3) }]);
    const push = last(gateway);
    assert.equal(push.type, TYPE.STATE_PUSH);
    assert.equal(push.body.length, 2 + 1 + 4 + 1 + 4 + (4 + 4 + 2) + (4 + 4 + 1), 'no more than the two ranges');
    const fields = new Fields(push.body);
    assert.deepEqual([fields.str(), fields.u32(), fields.u8(), fields.u32(), fields.u32(), fields.bytes(), fields.u32(), fields.bytes()],
      ['v', 100000, 0, 2, 10, bytes(1, 2), 99990, bytes(3)]);
    assert.deepEqual(await tier.pushPartial('ada_p', 6, [{ offset: 2, bytes: bytes(3) }]), bytes(1, 2, 3, 4, 5, 6));
    const partial = new Fields(last(gateway).body);
    assert.deepEqual([partial.str(), partial.u32(), partial.u8()], ['p', 6, 1]);
    await tier.set('ada_s', bytes(9));
    await tier.append('ada_l', bytes(8));
    assert.deepEqual(gateway.received.slice(-2).map((m) => m.type), [TYPE.STATE_SET, TYPE.STATE_APPEND]);
  });

  it('warns, naming the keys, when a lost session takes its locks', async () => {
    const { gateway, tier, warnings, connection } = await tierWith(() => [ACK, bytes(1)]);
    await tier.lock('ada_a', true);
    await tier.lock('ada_b', false);
    await tier.unlock('ada_b', false);
    gateway.forgetSessions();
    gateway.cut();
    await new Promise((resolve) => { connection.addEventListener('connection', ({ detail }) => { if (detail.state === 'open') resolve(); }); });
    assert.deepEqual(warnings, ['the gateway lost this client\'s session, and with it the state locks it held on \'a\'']);
  });
});
