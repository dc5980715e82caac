// The env imports one by one, with Faasm's semantics, against a bare context: a 1-page memory, a bump
// malloc, recorded chains, and the real local tier over a global tier that records every request.
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { resumedValue } from '../../../sdk/js/asyncify.js';
import { HostFault } from '../../../sdk/js/host/faults.js';
import { BLOCKING_IMPORTS, HOST_IMPORTS, createHostImports } from '../../../sdk/js/host/index.js';
import { MAY_SUSPEND as WASI_MAY_SUSPEND, Wasi } from '../../../sdk/js/wasi/wasi.js';
import { LocalTier } from '../../../sdk/js/state/local-tier.js';
import { RecordingTier } from './tiers.mjs';

const encode = (text) => new TextEncoder().encode(text);
const PAGE = 65536;
const KEY = 100;       // where tests put a state key or name
const OTHER_KEY = 200;
const BUF = 1000;      // a scratch buffer
const HEAP = 32768;    // where the fake malloc starts

class Host {
  constructor({ input = '', invocation = 1, tier, global = new RecordingTier() } = {}) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.global = global;
    this.tier = tier ?? new LocalTier(global, 'tests', (message) => this.warnings.push(message));
    this.warnings = [];
    this.mallocs = [];
    this.chained = [];
    this.suspended = [];
    this.results = new Map();
    this.wasi = new Wasi();
    let heap = HEAP;
    this.ctx = {
      memory: this.memory,
      table: null,
      input: encode(input),
      output: new Uint8Array(0),
      malloc: (size) => {
        this.mallocs.push(size);
        const address = heap;
        heap += (size + 7) & ~7;
        return address;
      },
      chain: (target, bytes) => this.chained.push({ target, bytes: new TextDecoder().decode(bytes) }),
      awaitCall: async (id) => this.results.get(id) ?? { returnValue: 1, output: new Uint8Array(0) },
      tier: this.tier,
      invocation,
      confFlags: { MY_FLAG: 5 },
      readFile: (path) => (path === '/data.bin' ? encode('file!') : undefined),
      duplicateFd: (fd) => this.wasi.duplicate(fd),
      log: () => {},
      enter: () => {},
      suspend: (call, promise) => {
        this.suspended.push(call.replace(/^__faasm_/, ''));
        return promise;
      },
    };
    this.env = createHostImports(this.ctx);
  }

  get bytes() { return new Uint8Array(this.memory.buffer); }
  string(ptr, text) { this.bytes.set(encode(`${text}\0`), ptr); return ptr; }
  put(ptr, values) { this.bytes.set(values, ptr); return ptr; }
  at(ptr, length) { return [...this.bytes.subarray(ptr, ptr + length)]; }
  i32(ptr) { return new DataView(this.memory.buffer).getInt32(ptr, true); }

  // Runs an import: the value it answers, awaited (and resumed) when it suspended.
  async call(name, ...args) {
    const result = this.env[name](...args);
    return result instanceof Promise ? resumedValue(await result) : result;
  }
}

const faults = (pattern) => (error) => error instanceof HostFault && pattern.test(error.message);

describe('host imports', () => {
  it('provides every import of the ABI header, and only the closed set may block', () => {
    const header = fs.readFileSync(new URL('../../../include/faasmjs/detail/host_abi.h', import.meta.url), 'utf8');
    const declared = [...header.matchAll(/^FAASMJS_HOST_FUNC\((\w+)\)$/gm)].map((match) => match[1]);
    assert.ok(declared.length > 20);
    assert.deepEqual(HOST_IMPORTS.filter((name) => !name.startsWith('__cxa_')).sort(), declared.sort());
    const closedSet = fs.readFileSync(new URL('../../../tools/asyncify/faasm_abi.h', import.meta.url), 'utf8');
    const closed = (module) => [...closedSet.matchAll(new RegExp(`^\\s+\\{${module}, "(\\w+)"\\},$`, 'gm'))].map((m) => m[1]).sort();
    assert.deepEqual([...BLOCKING_IMPORTS].sort(), closed('kHostModule'));
    assert.deepEqual([...WASI_MAY_SUSPEND].sort(), closed('kWasiModule'));
  });
});

describe('read_input and write_output', () => {
  it('answers the size for a zero-length read and copies nothing', () => {
    const host = new Host({ input: 'hello' });
    host.put(BUF, [9, 9]);
    assert.equal(host.env.__faasm_read_input(BUF, 0), 5);
    assert.deepEqual(host.at(BUF, 2), [9, 9]);
  });

  it('returns 0 without input, whatever the length', () => {
    const host = new Host();
    assert.equal(host.env.__faasm_read_input(BUF, 0), 0);
    assert.equal(host.env.__faasm_read_input(BUF, 10), 0);
  });

  it('truncates silently to the buffer', () => {
    const host = new Host({ input: 'hello' });
    assert.equal(host.env.__faasm_read_input(BUF, 3), 3);
    assert.deepEqual(host.at(BUF, 4), [...encode('hel'), 0]);
    assert.equal(host.env.__faasm_read_input(BUF, 50), 5);
  });

  it('faults on a buffer outside memory or a negative length, before touching anything', () => {
    const host = new Host({ input: 'hello' });
    assert.throws(() => host.env.__faasm_read_input(PAGE - 2, 3), faults(/read_input: input buffer \[65534, \+3\) lies outside/));
    assert.throws(() => host.env.__faasm_read_input(-16, 3), faults(/outside/));
    assert.throws(() => host.env.__faasm_read_input(BUF, -1), faults(/negative input buffer length -1/));
  });

  it('keeps the last output written', () => {
    const host = new Host();
    host.env.__faasm_write_output(host.string(BUF, 'first'), 5);
    host.env.__faasm_write_output(host.string(BUF, 'second'), 6);
    assert.equal(new TextDecoder().decode(host.ctx.output), 'second');
    assert.throws(() => host.env.__faasm_write_output(PAGE, 1), faults(/write_output: output/));
  });
});

describe('chaining', () => {
  it('chain_name returns an id at once and copies the input', () => {
    const host = new Host();
    const id = host.env.__faasm_chain_name(host.string(KEY, 'worker'), host.string(BUF, 'abc'), 3);
    assert.equal(id, 1);
    host.put(BUF, [0, 0, 0]);
    assert.deepEqual(host.chained, [{ target: { name: 'worker' }, bytes: 'abc' }]);
  });

  it('chain_name faults on an empty or unterminated name', () => {
    const host = new Host();
    assert.throws(() => host.env.__faasm_chain_name(host.string(KEY, ''), 0, 0), faults(/empty function name/));
    host.bytes.fill(65, PAGE - 10);
    assert.throws(() => host.env.__faasm_chain_name(PAGE - 10, 0, 0), faults(/no terminating NUL/));
  });

  it('chain_ptr needs a table and an index naming a function in it', () => {
    const host = new Host();
    assert.throws(() => host.env.__faasm_chain_ptr(1, 0, 0), faults(/exports no function table/));
    host.ctx.table = new WebAssembly.Table({ element: 'anyfunc', initial: 3 });
    assert.throws(() => host.env.__faasm_chain_ptr(2, 0, 0), faults(/function pointer 2 names no function \(the table has 3 entries\)/));
    assert.throws(() => host.env.__faasm_chain_ptr(0, 0, 0), faults(/function pointer 0/));
    assert.throws(() => host.env.__faasm_chain_ptr(7, 0, 0), faults(/function pointer 7/));
  });

  it('await_call answers the callee\'s return value, or 1 for an unknown id', async () => {
    const host = new Host();
    host.results.set(4, { returnValue: 17, output: encode('x') });
    assert.equal(await host.call('__faasm_await_call', 4), 17);
    assert.equal(await host.call('__faasm_await_call', 5), 1);
    assert.deepEqual(host.suspended, ['await_call', 'await_call']);
  });

  it('await_call_output allocates the output with the guest\'s malloc only once resumed', async () => {
    const host = new Host();
    host.results.set(2, { returnValue: 0, output: encode('longer expected B') });
    const pending = host.env.__faasm_await_call_output(2, BUF, BUF + 4);
    const resumption = await pending;
    assert.deepEqual(host.mallocs, [], 'no malloc while the guest is suspended');
    assert.equal(resumedValue(resumption), 0);
    assert.deepEqual(host.mallocs, [17]);
    const address = host.i32(BUF);
    assert.equal(host.i32(BUF + 4), 17);
    assert.equal(new TextDecoder().decode(host.bytes.subarray(address, address + 17)), 'longer expected B');
  });

  it('await_call_output checks its pointers before waiting', () => {
    const host = new Host();
    assert.throws(() => host.env.__faasm_await_call_output(2, PAGE - 2, BUF), faults(/output pointer/));
    assert.deepEqual(host.suspended, []);
  });
});

describe('state values', () => {
  let host;
  beforeEach(() => { host = new Host(); });

  it('a size query of a missing key answers 0 and a read of it zeros, returning the length', async () => {
    host.string(KEY, 'missing');
    assert.equal(await host.call('__faasm_read_state', KEY, BUF, 0), 0);
    host.put(BUF, [9, 9, 9, 9]);
    assert.equal(await host.call('__faasm_read_state', KEY, BUF, 4), 4);
    assert.deepEqual(host.at(BUF, 4), [0, 0, 0, 0]);
  });

  it('pulls lazily: the first read fetches, later reads are local and synchronous', async () => {
    await host.global.set('tests_k', new Uint8Array([1, 2, 3]));
    host.string(KEY, 'k');
    assert.equal(await host.call('__faasm_read_state', KEY, BUF, 0), 3, 'size from the global tier');
    assert.equal(await host.call('__faasm_read_state', KEY, BUF, 3), 3);
    assert.deepEqual(host.at(BUF, 3), [1, 2, 3]);
    await host.global.set('tests_k', new Uint8Array([7, 7, 7]));
    assert.equal(host.env.__faasm_read_state(KEY, BUF, 3), 3, 'a number, not a Promise: no suspension');
    assert.deepEqual(host.at(BUF, 3), [1, 2, 3], 'stale until pulled, as on Faasm');
    assert.equal(host.global.count('pull'), 1);
    await host.call('__faasm_pull_state', KEY, 3);
    assert.equal(host.env.__faasm_read_state(KEY, BUF, 3), 3);
    assert.deepEqual(host.at(BUF, 3), [7, 7, 7]);
  });

  it('writes locally and marks dirty; a push sends only when dirty', async () => {
    host.string(KEY, 'w');
    host.env.__faasm_write_state(KEY, host.put(BUF, [4, 5]), 2);
    assert.equal(await host.global.pull('tests_w'), null, 'a write does not touch the global tier');
    assert.ok(host.tier.local('w').dirty);
    await host.call('__faasm_push_state', KEY);
    assert.deepEqual([...(await host.global.pull('tests_w')).bytes], [4, 5]);
    assert.equal(host.env.__faasm_push_state(KEY), undefined, 'clean: nothing sent, nothing awaited');
    assert.equal(host.global.count('push'), 1);
  });

  it('faults on an empty key, a size-less key, a too-small buffer and a write of another size', async () => {
    host.string(KEY, 'sized');
    host.env.__faasm_write_state(KEY, host.put(BUF, [1, 2, 3, 4]), 4);
    assert.throws(() => host.env.__faasm_read_state(host.string(OTHER_KEY, ''), BUF, 4), faults(/read_state: empty state key/));
    assert.throws(() => host.env.__faasm_push_state(host.string(OTHER_KEY, 'never')), faults(/'never' has no value on this host/));
    assert.throws(() => host.env.__faasm_read_state(KEY, BUF, 2), faults(/buffer of 2 bytes is smaller than the 4 bytes/));
    assert.throws(() => host.env.__faasm_write_state(KEY, BUF, 3), faults(/has 4 bytes on this host; a value of 3 bytes/));
    assert.throws(() => host.env.__faasm_pull_state(host.string(OTHER_KEY, 'x'), 0), faults(/needs a positive size, got 0/));
    assert.throws(() => host.env.__faasm_read_state(KEY, PAGE - 1, 4), faults(/buffer \[65535, \+4\) lies outside/));
  });

  it('offsets: chunk reads and writes, dirty ranges, partial push of only those', async () => {
    await host.global.set('tests_o', new Uint8Array([0, 1, 2, 3, 4, 5, 6]));
    host.string(KEY, 'o');
    await host.call('__faasm_read_state_offset', KEY, 7, 1, BUF, 2);
    assert.deepEqual(host.at(BUF, 2), [1, 2]);
    assert.deepEqual(host.global.requests('pull'), [['tests_o', 1, 2]], 'only the chunk is pulled');
    host.env.__faasm_write_state_offset(KEY, 7, 0, host.put(BUF, [5, 5, 5]), 3);
    host.env.__faasm_write_state_offset(KEY, 7, 2, host.put(BUF, [6, 6]), 2);
    await host.global.set('tests_o', new Uint8Array([0, 1, 2, 3, 44, 55, 66]));
    await host.call('__faasm_push_state_partial', KEY);
    assert.deepEqual(host.global.requests('pushPartial')[0][2].map(({ offset, bytes }) => [offset, [...bytes]]),
      [[0, [5, 5, 6, 6]]]);
    assert.deepEqual([...(await host.global.pull('tests_o')).bytes], [5, 5, 6, 6, 44, 55, 66]);
    await host.call('__faasm_read_state_offset', KEY, 7, 0, BUF, 7);
    assert.deepEqual(host.at(BUF, 7), [5, 5, 6, 6, 44, 55, 66], 'a partial push refreshes the local copy');
    assert.throws(() => host.env.__faasm_write_state_offset(KEY, 7, 6, BUF, 2), faults(/chunk \[6, \+2\) is outside the 7 bytes/));
  });

  it('Faasm\'s state_offset demo: full push, offset writes, push, pull, offset read', async () => {
    host.string(KEY, 'state_offset');
    host.env.__faasm_write_state(KEY, host.put(BUF, [0, 1, 2, 3, 4, 5, 6]), 7);
    await host.call('__faasm_push_state', KEY);
    host.env.__faasm_write_state_offset(KEY, 7, 0, host.put(BUF, [5, 5, 5]), 3);
    host.env.__faasm_write_state_offset(KEY, 7, 2, host.put(BUF, [6, 6]), 2);
    await host.call('__faasm_push_state', KEY);
    await host.call('__faasm_pull_state', KEY, 7);
    await host.call('__faasm_read_state_offset', KEY, 7, 0, BUF, 5);
    assert.deepEqual(host.at(BUF, 5), [5, 5, 6, 6, 4]);
    assert.deepEqual([...(await host.global.pull('tests_state_offset')).bytes], [5, 5, 6, 6, 4, 5, 6]);
  });

  it('flag_state_offset_dirty and push_state_partial_mask push what the mask selects', async () => {
    host.string(KEY, 'v');
    host.string(OTHER_KEY, 'mask');
    host.env.__faasm_write_state(KEY, host.put(BUF, [1, 2, 3, 4]), 4);
    await host.call('__faasm_push_state', KEY);
    host.env.__faasm_write_state(KEY, host.put(BUF, [9, 9, 9, 9]), 4);
    host.env.__faasm_write_state(OTHER_KEY, host.put(BUF, [0, 1, 0, 1]), 4);
    await host.call('__faasm_push_state_partial_mask', KEY, OTHER_KEY);
    assert.deepEqual([...(await host.global.pull('tests_v')).bytes], [1, 9, 3, 9]);
    assert.deepEqual([...host.tier.local('mask').data], [0, 0, 0, 0], 'the mask is cleared');
    host.env.__faasm_write_state(host.string(BUF + 100, 'short'), host.put(BUF, [1]), 1);
    assert.throws(() => host.env.__faasm_push_state_partial_mask(KEY, BUF + 100), faults(/mask 'short' has 1 bytes, state key 'v' has 4/));
    host.env.__faasm_flag_state_offset_dirty(KEY, 4, 1, 1);
    assert.ok(host.tier.local('v').dirty);
  });

  it('write_state_from_file writes a file of the function\'s file system and returns its length', () => {
    assert.equal(host.env.__faasm_write_state_from_file(host.string(KEY, 'f'), host.string(BUF, '/data.bin')), 5);
    assert.deepEqual([...host.tier.local('f').data], [...encode('file!')]);
    assert.throws(() => host.env.__faasm_write_state_from_file(KEY, host.string(BUF, '/nope')), faults(/cannot read '\/nope'/));
  });
});

describe('mapped state (read_state_ptr, read_state_offset_ptr)', () => {
  it('maps a copy in the guest heap: same pointer per chunk, malloc after the pull', async () => {
    const host = new Host();
    await host.global.set('tests_m', new Uint8Array([1, 2, 3, 4]));
    host.string(KEY, 'm');
    const pending = host.env.__faasm_read_state_ptr(KEY, 4);
    assert.ok(pending instanceof Promise, 'the first access pulls');
    assert.deepEqual(host.mallocs, []);
    const ptr = resumedValue(await pending);
    assert.deepEqual(host.mallocs, [4]);
    assert.deepEqual(host.at(ptr, 4), [1, 2, 3, 4]);
    assert.equal(host.env.__faasm_read_state_ptr(KEY, 4), ptr, 'the same pointer, synchronously');
    const chunk = host.env.__faasm_read_state_offset_ptr(KEY, 4, 2, 2);
    assert.notEqual(chunk, ptr);
    assert.deepEqual(host.at(chunk, 2), [3, 4]);
  });

  it('publishes writes through the pointer at the next host call, without marking dirty', async () => {
    const host = new Host();
    host.string(KEY, 'p');
    host.env.__faasm_write_state(KEY, host.put(BUF, [0, 0, 0]), 3);
    await host.call('__faasm_push_state', KEY);
    const ptr = host.env.__faasm_read_state_ptr(KEY, 3);
    host.put(ptr, [5, 5, 5]);
    assert.equal(host.env.__faasm_push_state(KEY), undefined, 'not dirty: pointer writes are not flagged');
    host.env.__faasm_flag_state_dirty(KEY, 3);
    await host.call('__faasm_push_state', KEY);
    assert.deepEqual([...(await host.global.pull('tests_p')).bytes], [5, 5, 5]);
    host.env.__faasm_read_state(KEY, BUF, 3);
    assert.deepEqual(host.at(BUF, 3), [5, 5, 5]);
  });

  it('keeps regions of concurrent invocations in sync byte by byte', async () => {
    const global = new RecordingTier();
    const a = new Host({ global, invocation: 1 });
    const b = new Host({ global, invocation: 2, tier: a.tier });
    for (const h of [a, b]) h.string(KEY, 's');
    a.env.__faasm_write_state(KEY, a.put(BUF, [0, 0, 0, 0]), 4);
    const pa = a.env.__faasm_read_state_ptr(KEY, 4);
    const pb = b.env.__faasm_read_state_ptr(KEY, 4);
    a.put(pa, [1]);
    b.put(pb + 3, [4]);
    a.env.__faasm_flag_state_dirty(KEY, 4);          // a publishes byte 0, copied into b's region
    assert.deepEqual(b.at(pb, 4), [1, 0, 0, 4], 'b keeps its own unpublished byte');
    await b.tier.release(2);                         // b ends: its byte 3 is published
    assert.deepEqual([...a.tier.local('s').data], [1, 0, 0, 4]);
    assert.deepEqual(a.at(pa, 4), [1, 0, 0, 4]);
    a.env.__faasm_write_state_offset(KEY, 4, 1, a.put(BUF, [7, 7]), 2);
    assert.deepEqual(a.at(pa, 4), [1, 7, 7, 4], 'host writes reach the region');
  });
});

describe('append logs', () => {
  it('appends, reads the first n concatenated, clears', async () => {
    const host = new Host();
    host.string(KEY, 'log');
    await host.call('__faasm_append_state', KEY, host.put(BUF, [1, 2]), 2);
    await host.call('__faasm_append_state', KEY, host.put(BUF, [3]), 1);
    await host.call('__faasm_append_state', KEY, host.put(BUF, [4, 5]), 2);
    host.bytes.fill(0, BUF, BUF + 8);
    await host.call('__faasm_read_appended_state', KEY, BUF, 8, 2);
    assert.deepEqual(host.at(BUF, 4), [1, 2, 3, 0]);
    await assert.rejects(host.call('__faasm_read_appended_state', KEY, BUF, 4, 3),
      faults(/3 appended elements of 'log' take 5 bytes, more than the buffer's 4/));
    await host.call('__faasm_clear_appended_state', KEY);
    assert.deepEqual(await host.global.readAppended('tests_log', 10), []);
    assert.throws(() => host.env.__faasm_read_appended_state(KEY, BUF, 4, -1), faults(/negative element count/));
  });
});

describe('locks', () => {
  it('a write lock excludes writers and readers of other invocations until unlocked', async () => {
    const global = new RecordingTier();
    const a = new Host({ global, invocation: 1 });
    const b = new Host({ global, invocation: 2, tier: a.tier });
    const c = new Host({ global, invocation: 3, tier: a.tier });
    for (const h of [a, b, c]) h.string(KEY, 'l');
    await a.call('__faasm_lock_state_write', KEY);
    const order = [];
    const bLocked = b.call('__faasm_lock_state_write', KEY).then(() => order.push('b write'));
    const cLocked = c.call('__faasm_lock_state_read', KEY).then(() => order.push('c read'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(order, [], 'both wait while a holds the write lock');
    await a.call('__faasm_unlock_state_write', KEY);
    await bLocked;
    assert.deepEqual(order, ['b write'], 'queued in arrival order; the reader still waits');
    await b.call('__faasm_unlock_state_write', KEY);
    await cLocked;
    assert.deepEqual(order, ['b write', 'c read']);
  });

  it('readers share; an unlock without a lock faults; leaked locks are released with a warning', async () => {
    const global = new RecordingTier();
    const a = new Host({ global, invocation: 1 });
    const b = new Host({ global, invocation: 2, tier: a.tier });
    for (const h of [a, b]) h.string(KEY, 'r');
    await a.call('__faasm_lock_state_read', KEY);
    await b.call('__faasm_lock_state_read', KEY);
    assert.throws(() => a.env.__faasm_unlock_state_write(KEY), faults(/'r' is not write-locked/));
    await a.tier.release(1);
    await a.tier.release(2);
    assert.equal(a.warnings.length, 2);
    assert.match(a.warnings[0], /ended holding a read lock on state key 'r'/);
    await a.call('__faasm_lock_state_write', KEY);
  });

  it('an unlock returns at once, behind the requests before it; the next locker gets the lock after it', async () => {
    const global = new RecordingTier();
    const a = new Host({ global, invocation: 1 });
    const b = new Host({ global, invocation: 2, tier: a.tier });
    for (const h of [a, b]) h.string(KEY, 'u');
    await a.call('__faasm_lock_state_write', KEY);
    const bLocked = b.call('__faasm_lock_state_write', KEY);
    a.env.__faasm_write_state(KEY, a.put(BUF, [7]), 1);
    const pushed = a.env.__faasm_push_state(KEY);
    assert.equal(a.env.__faasm_unlock_state_write(KEY), undefined, 'answered without a Promise: nothing suspends');
    assert.deepEqual(a.suspended, ['lock_state_write', 'push_state']);
    assert.deepEqual(global.log.slice(-2).map(([method]) => method), ['push', 'unlock'], 'sent in the order asked');
    await pushed;
    await bLocked;
    await a.tier.release(1);
    assert.deepEqual(a.warnings, []);
  });

  it('the end of the call waits for its unlocks, and a failed one fails it', async () => {
    class RefusingTier extends RecordingTier {
      unlock() { return Promise.reject(new Error("write unlock of state key 'tests_f': the gateway went away")); }
    }
    const host = new Host({ global: new RefusingTier() });
    host.string(KEY, 'f');
    await host.call('__faasm_lock_state_write', KEY);
    assert.equal(host.env.__faasm_unlock_state_write(KEY), undefined);
    await assert.rejects(host.tier.release(1), /write unlock of state key 'tests_f': the gateway went away/);
    await host.tier.release(1);
  });
});

describe('runtime imports', () => {
  it('conf_flag: Faasm\'s fixed flags, the client\'s, else 0', () => {
    const host = new Host();
    assert.equal(host.env.__faasm_conf_flag(host.string(KEY, 'ALWAYS_ON')), 1);
    assert.equal(host.env.__faasm_conf_flag(host.string(KEY, 'ALWAYS_OFF')), 0);
    assert.equal(host.env.__faasm_conf_flag(host.string(KEY, 'MY_FLAG')), 5);
    assert.equal(host.env.__faasm_conf_flag(host.string(KEY, 'PYTHON_PRELOAD')), 0);
  });

  it('backtrace is a no-op; host_interface_test fails the call, as Faasm\'s does', () => {
    const host = new Host();
    assert.equal(host.env.__faasm_backtrace(5), undefined);
    assert.throws(() => host.env.__faasm_host_interface_test(1), faults(/^host_interface_test: the host threw FunctionMigratedException/));
    assert.throws(() => host.env.__faasm_host_interface_test(0), faults(/^host_interface_test: unrecognised host interface test 0$/));
  });

  it('the C++ exception imports trap with a clear message', () => {
    const host = new Host();
    for (const name of ['__cxa_allocate_exception', '__cxa_throw']) {
      assert.throws(() => host.env[name](0, 0, 0), faults(/C\+\+ exceptions are not supported in Faasm functions/));
    }
  });
});

describe('file-system imports', () => {
  it('__wasi_fd_dup writes the new descriptor\'s number and answers success', () => {
    const host = new Host();
    assert.equal(host.env.__wasi_fd_dup(1, BUF), 0);
    assert.equal(host.i32(BUF), 4);
  });

  it('__wasi_fd_dup fails the call for a descriptor that is not open or a result outside memory, as Faasm', () => {
    const host = new Host();
    assert.throws(() => host.env.__wasi_fd_dup(99, BUF), faults(/^__wasi_fd_dup: file descriptor 99 does not exist$/));
    assert.throws(() => host.env.__wasi_fd_dup(1, PAGE - 2), faults(/^__wasi_fd_dup: result \[65534, \+4\) lies outside/));
  });
});
