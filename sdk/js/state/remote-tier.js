// The global tier of a faasm.js gateway, over the wire protocol (docs/protocol.md, STATE_*): the GlobalTier
// interface (global-tier.d.ts) that the client's local tier sits in front of, as a Faasm host's local tier sits
// in front of Redis. Bytes travel raw in binary frames, never as base64 or JSON; a push sends only the ranges
// the local tier hands it (the dirty ones, or what it knows of the value).
//
// The local tier names keys as Faasm does, `<user>_<key>`; the gateway namespaces by the session's user
// itself, so the wire carries the function's own key.
import { BodyReader, BodyWriter, TYPE } from '../transport/codec.js';

const TO_END = 0xFFFFFFFF;

export class RemoteGlobalTier {
  #connection;
  #prefix;

  /**
   * @param {import('../transport/connection.js').Connection} connection
   * @param {string} user the session's user
   */
  constructor(connection, user) {
    this.#connection = connection;
    this.#prefix = `${user}_`;
  }

  #key(globalKey) {
    if (!globalKey.startsWith(this.#prefix)) throw new RangeError(`state key '${globalKey}' is not in namespace ${this.#prefix}`);
    return globalKey.slice(this.#prefix.length);
  }

  // Requests that repeat safely (reads, whole writes, locks) may be re-sent after a lost session; appends may not.
  async #ask(type, label, key, fill = () => {}, safe = true) {
    const writer = new BodyWriter().str(this.#key(key));
    fill(writer);
    const reply = await this.#connection.request(type, writer.finish(), { safe, label: `${label} of state key '${this.#key(key)}'` });
    return new BodyReader(reply.body);
  }

  async size(key) {
    const in_ = await this.#ask(TYPE.STATE_SIZE, 'size', key);
    return in_.u32('size');
  }

  async pull(key, offset = 0, length = Infinity) {
    const in_ = await this.#ask(TYPE.STATE_PULL, 'pull', key, (w) => w.u32(offset).u32(Number.isFinite(length) ? length : TO_END));
    const exists = in_.u8('exists') === 1;
    const size = in_.u32('size');
    in_.u32('offset');
    const bytes = in_.bytes('data').slice();
    return exists ? { size, bytes } : null;
  }

  #push(type, key, size, ranges, partial) {
    return this.#ask(type, partial ? 'partial push' : 'push', key, (w) => {
      w.u32(size).u8(partial ? 1 : 0).u32(ranges.length);
      for (const { offset, bytes } of ranges) w.u32(offset).bytes(bytes);
    });
  }

  async push(key, size, ranges) {
    await this.#push(TYPE.STATE_PUSH, key, size, ranges, false);
  }

  async pushPartial(key, size, ranges) {
    const in_ = await this.#push(TYPE.STATE_PUSH, key, size, ranges, true);
    in_.u8('exists');
    in_.u32('size');
    in_.u32('offset');
    return in_.bytes('data').slice();
  }

  async set(key, bytes) {
    await this.#ask(TYPE.STATE_SET, 'set', key, (w) => w.bytes(bytes));
  }

  async append(key, bytes) {
    await this.#ask(TYPE.STATE_APPEND, 'append', key, (w) => w.bytes(bytes), false);
  }

  async readAppended(key, count) {
    const in_ = await this.#ask(TYPE.STATE_READ_APPENDED, 'read of the append log', key, (w) => w.u32(count));
    const elements = [];
    for (let n = in_.u32('count'); n > 0; n -= 1) elements.push(in_.bytes('element').slice());
    return elements;
  }

  async clearAppended(key) {
    await this.#ask(TYPE.STATE_CLEAR_APPENDED, 'clear of the append log', key, () => {}, false);
  }

  async lock(key, exclusive) {
    await this.#ask(TYPE.STATE_LOCK, exclusive ? 'write lock' : 'read lock', key, (w) => w.u8(exclusive ? 1 : 0));
  }

  async unlock(key, exclusive) {
    const in_ = await this.#ask(TYPE.STATE_UNLOCK, exclusive ? 'write unlock' : 'read unlock', key, (w) => w.u8(exclusive ? 1 : 0));
    return in_.u8('released') === 1;
  }

  async keys(prefix = '') {
    const reply = await this.#connection.request(TYPE.STATE_KEYS, new BodyWriter().str(this.#key(prefix.startsWith(this.#prefix) ? prefix : this.#prefix)).finish(),
      { safe: true, label: 'list of state keys' });
    const in_ = new BodyReader(reply.body);
    const keys = [];
    for (let n = in_.u32('count'); n > 0; n -= 1) keys.push(this.#prefix + in_.str('key'));
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }
}
