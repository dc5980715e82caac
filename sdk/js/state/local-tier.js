// The local tier: this client's copy of each state key, as a Faasm host keeps one per key for all the
// Faaslets it runs. Every invocation of the client shares it. It follows Faasm's semantics as the native
// host (include/faasmjs/testing/native_host.hpp) implements them, with the same deliberate differences:
//
//   - a key's local size is fixed by the first sized call; a size query answers the local size, else the
//     global size, else 0;
//   - reads pull lazily, only bytes never pulled and not written locally (a missing key reads as zeros);
//   - writes are local and mark bytes dirty; a push sends only when dirty (a push the global tier refused
//     leaves the marks, so the next one sends them again), and a full push keeps the global bytes of ranges
//     never pulled; a partial push sends dirty ranges and refreshes the local copy; a pull is
//     forced and replaces the copy;
//   - locks are shared or exclusive per key and held per invocation; an invocation that ends holding one
//     releases it with a warning. An unlock returns at once: nothing the function does next depends on its
//     answer, and the global tier takes this client's requests in order (the gateway runs a session's state
//     requests in one queue), so whoever waits for the lock gets it after every write asked before the
//     unlock. The invocation's end waits for the answers, so a call's result never comes before its
//     releases, and a failed one fails the call.
//
// Mapped regions (read_state_ptr, read_state_offset_ptr): Faasm maps the local value's own pages into the
// guest, so every Faaslet on a host shares them. A browser cannot share pages between instances, so a region
// is a copy in the guest's heap that is kept in sync byte by byte: bytes the guest changed through the
// pointer are published to the local value when that invocation next calls the host about the key and when
// it ends; bytes the host changes (writes, pulls) are copied into every region that covers them, except
// bytes a guest changed and has not yet published. As on Faasm, writes through a pointer do not mark the key
// dirty (flag it before pushing).
//
// Methods answer synchronously when everything needed is local and with a Promise when they must wait on the
// global tier: only then does the calling function suspend.
import { fault } from '../host/faults.js';
import { then } from '../sync-or-async.js';

/** [start, end) runs of non-zero entries of mask. */
function runs(mask) {
  const found = [];
  for (let i = 0; i < mask.length;) {
    if (mask[i] === 0) { i += 1; continue; }
    const start = i;
    while (i < mask.length && mask[i] !== 0) i += 1;
    found.push([start, i]);
  }
  return found;
}

class LocalValue {
  constructor(size) {
    this.size = size;
    this.data = new Uint8Array(size);
    this.dirtyMask = new Uint8Array(size);
    this.pulledMask = new Uint8Array(size);
    this.dirty = false;
  }

  markDirty(offset, length) {
    this.dirtyMask.fill(1, offset, offset + length);
    this.dirty = true;
  }

  clearDirty() {
    this.dirtyMask.fill(0);
    this.dirty = false;
  }

  // A push clears the marks when it leaves, so that a write while it is on its way marks its bytes again; if
  // the global tier refuses it, the marks it took come back and the next push sends them, as in the C++
  // tier (include/faasmjs/detail/local_tier.hpp). restoreDirty rethrows the refusal.
  takeDirty() {
    const marks = this.dirtyMask.slice();
    this.clearDirty();
    return marks;
  }

  restoreDirty(marks, error) {
    for (let i = 0; i < this.size; i++) this.dirtyMask[i] |= marks[i];
    this.dirty = this.dirtyMask.includes(1);
    throw error;
  }
}

export class LocalTier {
  #global;
  #user;
  #values = new Map();
  #holders = new Map();  // key → [{ invocation, exclusive }]
  #releasing = new Map();  // invocation → [Promise of null or the error of one of its unlocks]
  #regions = new Map();  // key → [{ invocation, memory, ptr, offset, length, shadow }]

  /**
   * @param {import('./global-tier.js').BrowserGlobalTier} global any GlobalTier
   * @param {string} user the namespace of this client's keys
   * @param {(message: string) => void} [warn]
   */
  constructor(global, user, warn = (message) => console.warn(`faasm.js: ${message}`)) {
    this.#global = global;
    this.#user = user;
    this.warn = warn;
  }

  get global() { return this.#global; }

  /** The global tier's name for a key: Faasm's `<user>_<key>`. */
  globalKey(key) {
    return `${this.#user}_${key}`;
  }

  /** A local copy of key, or undefined. */
  local(key) {
    return this.#values.get(key);
  }

  /** Forgets a local copy that holds no unpushed writes, so that the next read pulls it again. */
  forget(key) {
    const value = this.#values.get(key);
    if (value !== undefined && !value.dirty && !this.#regions.has(key)) this.#values.delete(key);
  }

  size(key) {
    const value = this.#values.get(key);
    return value !== undefined ? value.size : this.#global.size(this.globalKey(key));
  }

  /** The whole value (a view of the local copy), after a lazy pull. */
  read(call, key, length, invocation) {
    const value = this.#sized(call, key, length);
    if (value.size > length) fault(call, 'bufferTooSmall', { key, length, size: value.size });
    this.#publish(key, invocation);
    return then(this.#pullLazily(call, key, value, 0, value.size), () => value.data);
  }

  /** [offset, offset + length) of a value of totalLength bytes (a view), after a lazy pull of that chunk. */
  readRange(call, key, totalLength, offset, length, invocation) {
    const value = this.#sized(call, key, totalLength);
    this.#checkChunk(call, key, value, offset, length);
    this.#publish(key, invocation);
    return then(this.#pullLazily(call, key, value, offset, length),
      () => value.data.subarray(offset, offset + length));
  }

  /**
   * Registers a guest copy of [offset, offset + length) of key at ptr in memory, filled from the local value.
   * The caller made sure that chunk was read (readRange) and allocated the copy.
   */
  map(key, offset, length, invocation, memory, ptr) {
    const value = this.#values.get(key);
    const region = { invocation, memory, ptr, offset, length, shadow: value.data.slice(offset, offset + length) };
    new Uint8Array(memory.buffer, ptr, length).set(region.shadow);
    const regions = this.#regions.get(key) ?? [];
    regions.push(region);
    this.#regions.set(key, regions);
  }

  /** The address of an invocation's existing copy of exactly that chunk, or undefined. */
  mapped(key, offset, length, invocation) {
    return this.#regions.get(key)?.find((region) => region.invocation === invocation
      && region.offset === offset && region.length === length)?.ptr;
  }

  write(call, key, bytes, invocation) {
    const value = this.#sized(call, key, bytes.length);
    if (value.size !== bytes.length) fault(call, 'sizeMismatch', { key, length: bytes.length, size: value.size });
    this.#publish(key, invocation);
    value.data.set(bytes);
    value.pulledMask.fill(1);
    value.markDirty(0, value.size);
    this.#refreshRegions(key, 0, value.size);
  }

  writeRange(call, key, totalLength, offset, bytes, invocation) {
    const value = this.#sized(call, key, totalLength);
    this.#checkChunk(call, key, value, offset, bytes.length);
    this.#publish(key, invocation);
    value.data.set(bytes, offset);
    value.markDirty(offset, bytes.length);
    this.#refreshRegions(key, offset, bytes.length);
  }

  flagDirty(call, key, totalLength, offset, length, invocation) {
    const value = this.#sized(call, key, totalLength);
    this.#checkChunk(call, key, value, offset, length);
    this.#publish(key, invocation);
    value.markDirty(offset, length);
  }

  push(call, key, invocation) {
    const value = this.#existing(call, key);
    this.#publish(key, invocation);
    if (!value.dirty) return undefined;
    const sent = value.pulledMask.map((pulled, i) => pulled | value.dirtyMask[i]);
    const ranges = this.#ranges(value, sent);
    const marks = value.takeDirty();
    return this.#global.push(this.globalKey(key), value.size, ranges).catch((error) => value.restoreDirty(marks, error));
  }

  pushPartial(call, key, invocation) {
    const value = this.#existing(call, key);
    this.#publish(key, invocation);
    if (!value.dirty) return undefined;
    const ranges = this.#ranges(value, value.dirtyMask);
    return this.#sendPartial(key, value, ranges, value.takeDirty());
  }

  pushPartialMask(call, key, maskKey, invocation) {
    const value = this.#existing(call, key);
    const mask = this.#existing(call, maskKey);
    if (mask.size !== value.size) fault(call, 'maskSize', { key, maskKey, maskSize: mask.size, size: value.size });
    this.#publish(key, invocation);
    this.#publish(maskKey, invocation);
    if (!value.dirty) return undefined;
    // The mask is zeroed only once the global tier took the push: a refused one keeps it for the retry.
    const ranges = this.#ranges(value, mask.data.slice());
    return this.#sendPartial(key, value, ranges, value.takeDirty()).then(() => {
      mask.data.fill(0);
      this.#refreshRegions(maskKey, 0, mask.size);
    });
  }

  pull(call, key, length, invocation) {
    const value = this.#sized(call, key, length);
    this.#publish(key, invocation);
    return this.#global.pull(this.globalKey(key)).then((stored) => {
      if (stored === null) return;
      if (stored.size > value.size) fault(call, 'globalTooBig', { key, globalSize: stored.size, size: value.size });
      value.data.set(stored.bytes);
      value.pulledMask.fill(1);
      value.clearDirty();
      this.#refreshRegions(key, 0, value.size);
    });
  }

  append(key, bytes) {
    return this.#global.append(this.globalKey(key), bytes);
  }

  /** The first count appended elements, concatenated. */
  readAppended(key, count) {
    return this.#global.readAppended(this.globalKey(key), count).then((elements) => {
      const joined = new Uint8Array(elements.reduce((total, element) => total + element.length, 0));
      let at = 0;
      for (const element of elements) {
        joined.set(element, at);
        at += element.length;
      }
      return { joined, count: elements.length };
    });
  }

  clearAppended(key) {
    return this.#global.clearAppended(this.globalKey(key));
  }

  lock(key, exclusive, invocation) {
    return this.#global.lock(this.globalKey(key), exclusive).then(() => {
      const holders = this.#holders.get(key) ?? [];
      holders.push({ invocation, exclusive });
      this.#holders.set(key, holders);
    });
  }

  unlock(call, key, exclusive, invocation) {
    const holders = this.#holders.get(key) ?? [];
    let index = holders.findIndex((h) => h.exclusive === exclusive && h.invocation === invocation);
    if (index < 0) index = holders.findIndex((h) => h.exclusive === exclusive);
    if (index < 0) fault(call, 'notLocked', { key, mode: exclusive ? 'write' : 'read' });
    holders.splice(index, 1);
    if (holders.length === 0) this.#holders.delete(key);
    // Settled into a value, so that a failure waits for release() instead of being an unhandled rejection.
    const answered = Promise.resolve(this.#global.unlock(this.globalKey(key), exclusive)).then(() => null, (error) => error);
    const releasing = this.#releasing.get(invocation) ?? [];
    releasing.push(answered);
    this.#releasing.set(invocation, releasing);
  }

  /**
   * An invocation ended: publish and drop its mapped regions, release the locks it still holds, and wait
   * for the answers to all its unlocks (the first failure is thrown).
   * @returns {Promise<void>}
   */
  async release(invocation) {
    for (const [key, regions] of this.#regions) {
      this.#publish(key, invocation);
      const kept = regions.filter((region) => region.invocation !== invocation);
      if (kept.length > 0) this.#regions.set(key, kept); else this.#regions.delete(key);
    }
    for (const [key, holders] of [...this.#holders]) {
      for (const holder of holders.filter((h) => h.invocation === invocation)) {
        this.warn(`a call ended holding a ${holder.exclusive ? 'write' : 'read'} lock on state key '${key}' `
                  + '(released)');
        this.unlock('release', key, holder.exclusive, invocation);
      }
    }
    const answers = await Promise.all(this.#releasing.get(invocation) ?? []);
    this.#releasing.delete(invocation);
    const failure = answers.find((answer) => answer !== null);
    if (failure !== undefined) throw failure;
  }

  #sized(call, key, size) {
    let value = this.#values.get(key);
    if (value === undefined) {
      if (!(size > 0)) fault(call, 'needsSize', { key, size });
      this.#values.set(key, value = new LocalValue(size));
    }
    return value;
  }

  #existing(call, key) {
    const value = this.#values.get(key);
    if (value === undefined) fault(call, 'noLocalValue', { key });
    return value;
  }

  #checkChunk(call, key, value, offset, length) {
    if (offset < 0 || length < 0 || offset > value.size || length > value.size - offset) {
      fault(call, 'outsideValue', { key, offset, length, size: value.size });
    }
  }

  #ranges(value, mask) {
    return runs(mask).map(([start, end]) => ({ offset: start, bytes: value.data.slice(start, end) }));
  }

  #sendPartial(key, value, ranges, marks) {
    const pushed = this.#global.pushPartial(this.globalKey(key), value.size, ranges);
    return pushed.catch((error) => value.restoreDirty(marks, error)).then((stored) => {
      // Bytes written while the push was on its way stay as written.
      for (let i = 0; i < value.size && i < stored.length; i++) {
        if (value.dirtyMask[i] === 0) value.data[i] = stored[i];
      }
      value.pulledMask.fill(1);
      this.#refreshRegions(key, 0, value.size);
    });
  }

  // Pulls the bytes of [offset, offset + length) never pulled and not written locally; synchronous (undefined)
  // when there are none.
  #pullLazily(call, key, value, offset, length) {
    const wanted = (i) => value.pulledMask[i] === 0 && value.dirtyMask[i] === 0;
    let first = offset;
    while (first < offset + length && !wanted(first)) first += 1;
    if (first === offset + length) {
      value.pulledMask.fill(1, offset, offset + length);
      return undefined;
    }
    return this.#global.pull(this.globalKey(key), offset, length).then((stored) => {
      if (stored !== null && stored.size > value.size) {
        fault(call, 'globalTooBig', { key, globalSize: stored.size, size: value.size });
      }
      for (let i = offset; i < offset + length; i++) {
        if (wanted(i) && stored !== null && i - offset < stored.bytes.length) value.data[i] = stored.bytes[i - offset];
        value.pulledMask[i] = 1;
      }
      this.#refreshRegions(key, offset, length);
    });
  }

  // Bytes an invocation changed through its mapped regions of key become the local value's.
  #publish(key, invocation) {
    const value = this.#values.get(key);
    for (const region of this.#regions.get(key) ?? []) {
      if (region.invocation !== invocation) continue;
      const guest = new Uint8Array(region.memory.buffer, region.ptr, region.length);
      let changed = false;
      for (let i = 0; i < region.length; i++) {
        if (guest[i] !== region.shadow[i]) {
          value.data[region.offset + i] = region.shadow[i] = guest[i];
          changed = true;
        }
      }
      if (changed) this.#refreshRegions(key, region.offset, region.length);
    }
  }

  // Copies [offset, offset + length) of the local value into every region covering it, except bytes a guest
  // changed and has not published.
  #refreshRegions(key, offset, length) {
    const value = this.#values.get(key);
    for (const region of this.#regions.get(key) ?? []) {
      const from = Math.max(offset, region.offset);
      const to = Math.min(offset + length, region.offset + region.length);
      if (from >= to) continue;
      const guest = new Uint8Array(region.memory.buffer, region.ptr, region.length);
      for (let i = from - region.offset; i < to - region.offset; i++) {
        if (guest[i] === region.shadow[i]) guest[i] = region.shadow[i] = value.data[region.offset + i];
      }
    }
  }
}
