// The global tier of a faasm.js gateway, over the wire protocol (docs/protocol.md, STATE_*): the GlobalTier
// interface (global-tier.d.ts) that the client's local tier sits in front of, as a Faasm host's local tier
// sits in front of Redis. Bytes travel raw in binary frames, never as base64 or JSON; a push sends only the
// ranges the local tier hands it (the dirty ones, or what it knows of the value), never the whole value.
//
// The local tier names keys as Faasm stores them, `<user>_<key>`; the gateway namespaces by the session's
// user itself, so the wire carries the function's own key.
//
// Locks are held by the gateway session. When a dropped connection comes back to a new session (the gateway
// restarted, or the grace ran out), the holds of the old one are gone: the tier warns, naming the keys,
// since the functions holding them go on as if they still held them.
import { TO_END, TYPE } from '../transport/codec.js';

export class RemoteGlobalTier {
  #connection;
  #prefix;
  #held = new Map();  // global key → number of holds granted and not released
  #warn;

  /**
   * @param {import('../transport/connection.js').Connection} connection
   * @param {string} user the session's user
   * @param {(message: string) => void} [warn]
   */
  constructor(connection, user, warn = (message) => console.warn(`faasm.js: ${message}`)) {
    this.#connection = connection;
    this.#prefix = `${user}_`;
    this.#warn = warn;
    connection.addEventListener('connection', ({ detail }) => {
      if (!detail.sessionLost || this.#held.size === 0) return;
      const keys = [...this.#held.keys()].map((key) => `'${this.#key(key)}'`).join(', ');
      this.#held.clear();
      this.#warn(`the gateway lost this client's session, and with it the state locks it held on ${keys}`);
    });
  }

  // The function's key for a global key; the local tier only ever asks about its own user's keys.
  #key(globalKey) {
    if (!globalKey.startsWith(this.#prefix)) throw new RangeError(`state key '${globalKey}' is not in namespace ${this.#prefix}`);
    return globalKey.slice(this.#prefix.length);
  }

  #ask(type, what, globalKey, fields = {}) {
    const key = this.#key(globalKey);
    return this.#connection.request(type, { key, ...fields }, { label: `${what} of state key '${key}'` });
  }

  async size(key) {
    return (await this.#ask(TYPE.STATE_SIZE, 'size', key)).size;
  }

  async pull(key, offset = 0, length = Infinity) {
    const reply = await this.#ask(TYPE.STATE_PULL, 'pull', key, { offset, length: Number.isFinite(length) ? length : TO_END });
    return reply.exists ? { size: reply.size, bytes: reply.data } : null;
  }

  async push(key, size, ranges) {
    await this.#ask(TYPE.STATE_PUSH, 'push', key, { size, partial: false, ranges });
  }

  async pushPartial(key, size, ranges) {
    return (await this.#ask(TYPE.STATE_PUSH, 'partial push', key, { size, partial: true, ranges })).data;
  }

  async set(key, bytes) {
    await this.#ask(TYPE.STATE_SET, 'set', key, { value: bytes });
  }

  async append(key, bytes) {
    await this.#ask(TYPE.STATE_APPEND, 'append', key, { element: bytes });
  }

  async readAppended(key, count) {
    return (await this.#ask(TYPE.STATE_READ_APPENDED, 'read of the append log', key, { count })).elements;
  }

  async clearAppended(key) {
    await this.#ask(TYPE.STATE_CLEAR_APPENDED, 'clear of the append log', key);
  }

  async lock(key, exclusive) {
    await this.#ask(TYPE.STATE_LOCK, exclusive ? 'write lock' : 'read lock', key, { exclusive });
    this.#held.set(key, (this.#held.get(key) ?? 0) + 1);
  }

  async unlock(key, exclusive) {
    const held = this.#held.get(key) ?? 0;
    if (held <= 1) this.#held.delete(key); else this.#held.set(key, held - 1);
    const reply = await this.#ask(TYPE.STATE_UNLOCK, exclusive ? 'write unlock' : 'read unlock', key, { exclusive });
    return reply.value === 1;
  }

  async keys(prefix = '') {
    // The gateway lists one user's keys by a prefix of the function's keys.
    const wanted = prefix.startsWith(this.#prefix) ? prefix.slice(this.#prefix.length) : '';
    if (!prefix.startsWith(this.#prefix) && !this.#prefix.startsWith(prefix)) return [];
    const reply = await this.#connection.request(TYPE.STATE_KEYS, { prefix: wanted }, { label: 'list of state keys' });
    return reply.keys.map((key) => this.#prefix + key).sort();
  }
}
