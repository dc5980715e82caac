// What the fault tests write and what they expect back: a seeded random stream of state writes over the
// wire (whole values, full and partial pushes with ranges, appends), and a model of every key that knows,
// for each key, the acknowledged contents and the one write still in flight, if any. After a crash a key
// must hold exactly its acknowledged contents or those with the in-flight write applied whole: anything
// else is a lost acknowledged write or a torn one.
import { TYPE } from '../protocol/harness.mjs';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (low, high) => low + Math.floor(next() * (high - low + 1));
  const fill = (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      const word = (next() * 4294967296) >>> 0;
      for (let j = 0; j < 4 && i + j < length; ++j) out[i + j] = word >>> (8 * j);
    }
    return out;
  };
  return { next, int, fill, pick: (list) => list[int(0, list.length - 1)] };
}

export function seedFromEnv() {
  const given = process.env.FAASMJS_FAULT_SEED;
  return given ? Number(given) >>> 0 : (Math.random() * 4294967296) >>> 0;
}

// Mostly small writes (they go to the patch journal), now and then one large enough to compact the value.
function length(rng, max) {
  return rng.next() < 0.85 ? rng.int(1, 2048) : rng.int(1, max);
}

/** The value after a push, as global_store.h defines it. */
export function pushed(old, size, partial, ranges) {
  const newSize = partial ? Math.max(old.length, size) : size;
  const value = new Uint8Array(newSize);
  value.set(old.subarray(0, Math.min(old.length, newSize)));
  for (const { offset, bytes } of ranges) value.set(bytes, offset);
  return value;
}

/**
 * A random write to a value key whose acknowledged contents are `old` (undefined: no value): the request
 * and the value it leaves.
 */
export function valueWrite(rng, old, maxSize) {
  const choice = old === undefined ? 0 : rng.int(0, 2);
  if (choice === 0) {
    const value = rng.fill(length(rng, maxSize));
    return { type: TYPE.STATE_SET, fields: { value }, after: value, ack: TYPE.ACK, what: `set ${value.length}` };
  }
  const partial = choice === 2;
  const size = partial ? rng.int(0, old.length + 4096) : Math.max(1, old.length + rng.int(-512, 512));
  const bound = partial ? Math.max(old.length, size) : size;
  const ranges = [];
  for (let i = rng.int(1, 3); i > 0 && bound > 0; --i) {
    const offset = rng.int(0, bound - 1);
    ranges.push({ offset, bytes: rng.fill(Math.min(bound - offset, length(rng, maxSize / 4))) });
  }
  const after = pushed(old, size, partial, ranges);
  return { type: TYPE.STATE_PUSH, fields: { size, partial, ranges }, after, ack: partial ? TYPE.STATE_VALUE : TYPE.ACK,
    what: `${partial ? 'partial' : 'full'} push ${size} with ${ranges.length} range(s)` };
}

export function appendWrite(rng, maxSize) {
  const element = rng.fill(length(rng, maxSize));
  return { type: TYPE.STATE_APPEND, fields: { element }, ack: TYPE.ACK, what: `append ${element.length}` };
}

export const same = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length),
  Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;

export const hex = (bytes) => Buffer.from(bytes.subarray(0, 16)).toString('hex') + (bytes.length > 16 ? '…' : '');

/** Reads a key back: its value (undefined when none) and its append log. */
export async function readKey(client, key) {
  const pulled = await client.request(TYPE.STATE_PULL, { key });
  if (pulled.type !== TYPE.STATE_VALUE) throw new Error(`STATE_PULL ${key}: ${pulled.code}: ${pulled.message}`);
  const log = await client.request(TYPE.STATE_READ_APPENDED, { key, count: 0xFFFFFFFF });
  if (log.type !== TYPE.STATE_APPENDED) throw new Error(`STATE_READ_APPENDED ${key}: ${log.code}: ${log.message}`);
  return { value: pulled.exists ? pulled.data : undefined, log: log.elements };
}

/**
 * Replies by id on one client, resolving null for every request still unanswered when its socket closes
 * (the gateway was killed): such a write was never acknowledged.
 */
export function replies(client) {
  const waiting = new Map();
  const take = () => {
    for (const [id, resolve] of waiting) {
      const index = client.received.findIndex((m) => m.id === id);
      if (index >= 0) {
        waiting.delete(id);
        resolve(client.received.splice(index, 1)[0]);
      }
    }
  };
  let closed = false;
  client.socket.on('message', take);
  client.socket.on('close', () => {
    closed = true;
    take();
    for (const resolve of waiting.values()) resolve(null);
    waiting.clear();
  });
  return (id) => new Promise((resolve) => {
    waiting.set(id, resolve);
    take();
    if (closed && waiting.delete(id)) resolve(null);
  });
}

/** One key's acknowledged contents and the write in flight. */
export class Key {
  constructor(name, kind) {
    this.name = name;
    this.kind = kind;  // 'value' or 'log'
    this.acked = kind === 'value' ? undefined : [];
    this.pending = null;
  }

  acknowledge(write) {
    if (this.kind === 'value') this.acked = write.after;
    else this.acked.push(write.fields.element);
    this.pending = null;
  }

  /**
   * Checks what the gateway holds against the model; returns 'acked' or 'pending' (the in-flight write is
   * there, whole, and is now acknowledged), or throws naming what differs.
   */
  check(got) {
    const found = this.kind === 'value' ? got.value : got.log;
    if (this.#matches(found, null)) {
      this.pending = null;
      return 'acked';
    }
    if (this.pending && this.#matches(found, this.pending)) {
      this.acknowledge(this.pending);
      return 'pending';
    }
    const differs = this.kind === 'log' ? `, element ${this.acked.findIndex((element, i) => !found[i] || !same(found[i], element))} differs` : '';
    throw new Error(`key ${this.name} holds ${this.#describe(found)}, but acknowledged was ${this.#describe(this.acked)}` +
      (this.pending ? ` and in flight ${this.pending.what}` : '') + differs);
  }

  #matches(found, write) {
    if (this.kind === 'value') {
      const expected = write ? write.after : this.acked;
      return expected === undefined ? found === undefined : found !== undefined && same(found, expected);
    }
    const expected = write ? [...this.acked, write.fields.element] : this.acked;
    return found.length === expected.length && expected.every((element, i) => same(found[i], element));
  }

  #describe(contents) {
    if (contents === undefined) return 'no value';
    if (this.kind === 'value') return `${contents.length} bytes ${hex(contents)}`;
    return `${contents.length} element(s)`;
  }
}
