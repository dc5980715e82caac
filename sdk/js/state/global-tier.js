// The browser-local global tier: where state lives when no cluster is connected. It implements the
// GlobalTier interface (global-tier.d.ts) that the gateway's tier over the WebSocket (remote-tier.js)
// implements too, so every method is async even though nothing here waits on a network, except for the locks.
//
// Keys arrive namespaced by user, as Faasm keeps them (`<user>_<key>`); values are plain bytes, append logs
// a list of byte strings per key (apart from the values, although Faasm's Redis mode shares the name).
import { RwLock } from './rw-lock.js';

function copyOf(bytes) {
  return Uint8Array.from(bytes);
}

export class BrowserGlobalTier {
  #values = new Map();
  #appended = new Map();
  #locks = new Map();

  async size(key) {
    return this.#values.get(key)?.length ?? 0;
  }

  async pull(key, offset = 0, length = Infinity) {
    const value = this.#values.get(key);
    if (value === undefined) return null;
    return { size: value.length, bytes: value.slice(offset, Math.min(value.length, offset + length)) };
  }

  async push(key, size, ranges) {
    const value = new Uint8Array(size);
    value.set((this.#values.get(key) ?? new Uint8Array(0)).subarray(0, size));
    this.#values.set(key, writeRanges(value, ranges));
  }

  async pushPartial(key, size, ranges) {
    const old = this.#values.get(key) ?? new Uint8Array(0);
    const value = old.length >= size ? old : new Uint8Array(size);
    if (value !== old) value.set(old);
    this.#values.set(key, writeRanges(value, ranges));
    return copyOf(value);
  }

  async set(key, bytes) {
    this.#values.set(key, copyOf(bytes));
  }

  async append(key, bytes) {
    const log = this.#appended.get(key) ?? [];
    log.push(copyOf(bytes));
    this.#appended.set(key, log);
  }

  async readAppended(key, count) {
    return (this.#appended.get(key) ?? []).slice(0, count).map(copyOf);
  }

  async clearAppended(key) {
    this.#appended.delete(key);
  }

  async lock(key, exclusive) {
    let lock = this.#locks.get(key);
    if (lock === undefined) this.#locks.set(key, lock = new RwLock());
    await lock.acquire(exclusive);
  }

  async unlock(key, exclusive) {
    const lock = this.#locks.get(key);
    const released = lock?.release(exclusive) ?? false;
    if (lock?.idle) this.#locks.delete(key);
    return released;
  }

  async keys(prefix = '') {
    return [...this.#values.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
}

function writeRanges(value, ranges) {
  for (const { offset, bytes } of ranges) value.set(bytes, offset);
  return value;
}
