// What a process gets from WASI besides files: argv and environment as Faasm sets them, clocks, sleeping
// without blocking, randomness and exit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAASM_ENV, ProcExit, faasmArgs } from '../../../sdk/js/wasi/index.js';
import { CLOCKID, ERRNO, EVENTTYPE, Guest, LAYOUT, PAGE, SUBCLOCKFLAGS } from './guest.mjs';

const { SUCCESS } = ERRNO;

/** Calls a *_sizes_get/*_get pair the way libc does and returns the strings and the raw layout. */
function strings(g, kind) {
  const counts = g.alloc(8);
  assert.equal(g.call[`${kind}_sizes_get`](counts, counts + 4), SUCCESS);
  const [count, size] = [g.u32(counts), g.u32(counts + 4)];
  const pointers = g.alloc(count * 4);
  const buffer = g.alloc(size);
  assert.equal(g.call[`${kind}_get`](pointers, buffer), SUCCESS);
  const offsets = Array.from({ length: count }, (_, i) => g.u32(pointers + i * 4) - buffer);
  const raw = g.bytes.slice(buffer, buffer + size);
  const values = offsets.map((offset) => {
    const end = raw.indexOf(0, offset);
    return new TextDecoder().decode(raw.subarray(offset, end));
  });
  return { values, offsets, raw, size };
}

describe('args and environ', () => {
  it('default to what Faasm gives a function', () => {
    const g = new Guest();
    assert.deepEqual(strings(g, 'args').values, ['function.wasm']);
    assert.deepEqual(strings(g, 'environ').values, [
      'MKL_NUM_THREADS=1', 'OPENBLAS_NUM_THREADS=1', 'PYTHON_PATH=/', 'PYTHONHOME=/', 'PYTHONHASHSEED=0',
      'PYTHONNOUSERSITE=on', 'PYTHONWASM=1',
    ]);
  });

  it('are laid out as consecutive NUL-terminated UTF-8 strings with a pointer to each', () => {
    const g = new Guest({ args: ['prog', '', 'héllo wörld'], env: { A: '1', EMPTY: '' } });
    const args = strings(g, 'args');
    assert.deepEqual(args.values, ['prog', '', 'héllo wörld']);
    assert.deepEqual(args.offsets, [0, 5, 6]);
    assert.equal(args.size, 5 + 1 + 14);
    assert.equal(args.raw.at(-1), 0);
    assert.deepEqual(strings(g, 'environ').values, ['A=1', 'EMPTY=']);
  });

  it('faasmArgs splits a command line as Faasm does', () => {
    assert.deepEqual(faasmArgs(), ['function.wasm']);
    assert.deepEqual(faasmArgs('a b'), ['function.wasm', 'a', 'b']);
    assert.deepEqual(faasmArgs('a  b'), ['function.wasm', 'a', '', 'b']);
    assert.throws(() => faasmArgs(['a']), { name: 'TypeError', message: /cmdline/ });
  });

  it('FAASM_ENV can be extended and stays frozen', () => {
    const g = new Guest({ env: { ...FAASM_ENV, EXTRA: 'x' } });
    assert.equal(strings(g, 'environ').values.at(-1), 'EXTRA=x');
    assert.ok(Object.isFrozen(FAASM_ENV));
  });
});

describe('clocks', () => {
  const time = (g, id) => {
    const out = g.alloc(8);
    return { errno: g.call.clock_time_get(id, 1n, out), ns: g.u64(out) };
  };

  it('realtime follows Date.now in nanoseconds', () => {
    const g = new Guest();
    const before = BigInt(Date.now()) * 1_000_000n;
    const { errno, ns } = time(g, CLOCKID.REALTIME);
    const after = BigInt(Date.now()) * 1_000_000n;
    assert.equal(errno, SUCCESS);
    assert.ok(before <= ns && ns <= after);
  });

  it('monotonic never goes back; cputime counts from the instance start', () => {
    const g = new Guest();
    let last = 0n;
    for (let i = 0; i < 100; i++) {
      const { ns } = time(g, CLOCKID.MONOTONIC);
      assert.ok(ns >= last);
      last = ns;
    }
    for (const id of [CLOCKID.PROCESS_CPUTIME_ID, CLOCKID.THREAD_CPUTIME_ID]) {
      const { errno, ns } = time(g, id);
      assert.equal(errno, SUCCESS);
      assert.ok(ns >= 0n && ns < 60_000_000_000n);
    }
  });

  it('report resolutions and reject unknown clocks', () => {
    const g = new Guest();
    const out = g.alloc(8);
    assert.equal(g.call.clock_res_get(CLOCKID.REALTIME, out), SUCCESS);
    assert.equal(g.u64(out), 1_000_000n);
    assert.equal(g.call.clock_res_get(CLOCKID.MONOTONIC, out), SUCCESS);
    assert.equal(g.u64(out), 1_000n);
    assert.equal(g.call.clock_res_get(4, out), ERRNO.INVAL);
    assert.equal(time(g, 4).errno, ERRNO.INVAL);
    assert.equal(time(g, -1).errno, ERRNO.INVAL);
  });
});

describe('poll_oneoff', () => {
  /** Writes subscriptions and polls; returns the errno and the events. */
  function poll(g, subscriptions) {
    const s = LAYOUT.subscription;
    const input = g.alloc(subscriptions.length * s.size);
    subscriptions.forEach((sub, i) => {
      const at = input + i * s.size;
      g.view.setBigUint64(at + s.userdata, BigInt(sub.userdata ?? i), true);
      g.view.setUint8(at + s.tag, sub.type ?? EVENTTYPE.CLOCK);
      if ((sub.type ?? EVENTTYPE.CLOCK) === EVENTTYPE.CLOCK) {
        g.view.setUint32(at + s.clockId, sub.clock ?? CLOCKID.MONOTONIC, true);
        g.view.setBigUint64(at + s.clockTimeout, BigInt(sub.timeout ?? 0), true);
        g.view.setUint16(at + s.clockFlags, sub.flags ?? 0, true);
      } else {
        g.view.setUint32(at + s.fd, sub.fd, true);
      }
    });
    const e = LAYOUT.event;
    const output = g.alloc(subscriptions.length * e.size);
    const count = g.alloc(4);
    const errno = g.call.poll_oneoff(input, output, subscriptions.length, count);
    const events = Array.from({ length: g.u32(count) }, (_, i) => {
      const at = output + i * e.size;
      return { userdata: g.u64(at + e.userdata), error: g.u16(at + e.error), type: g.u8(at + e.type),
               nbytes: g.u64(at + e.nbytes) };
    });
    return { errno, events };
  }
  const monotonic = (g) => {
    const out = g.alloc(8);
    g.call.clock_time_get(CLOCKID.MONOTONIC, 0n, out);
    return g.u64(out);
  };

  it('returns a sleep at once and moves the clocks on by its length', () => {
    const g = new Guest();
    const before = monotonic(g);
    const wallBefore = Date.now();
    const { errno, events } = poll(g, [{ userdata: 7, timeout: 5_000_000_000 }]);
    assert.equal(errno, SUCCESS);
    assert.deepEqual(events, [{ userdata: 7n, error: 0, type: EVENTTYPE.CLOCK, nbytes: 0n }]);
    assert.ok(Date.now() - wallBefore < 1000, 'did not block');
    assert.ok(monotonic(g) - before >= 5_000_000_000n, 'the guest sees the time as elapsed');
  });

  it('fires only the earliest of several timers', () => {
    const g = new Guest();
    const { events } = poll(g, [{ userdata: 1, timeout: 3e9 }, { userdata: 2, timeout: 1e9 },
                                { userdata: 3, timeout: 1e9, clock: CLOCKID.REALTIME }]);
    assert.deepEqual(events.map((e) => e.userdata), [2n, 3n]);
  });

  it('treats an absolute deadline against the clock, and a past one as due without moving time', () => {
    const g = new Guest();
    const now = monotonic(g);
    const past = poll(g, [{ timeout: now - 1_000_000n, flags: SUBCLOCKFLAGS.SUBSCRIPTION_CLOCK_ABSTIME }]);
    assert.equal(past.events.length, 1);
    assert.ok(monotonic(g) - now < 1_000_000_000n);
    const deadline = monotonic(g) + 2_000_000_000n;
    poll(g, [{ timeout: deadline, flags: SUBCLOCKFLAGS.SUBSCRIPTION_CLOCK_ABSTIME }]);
    assert.ok(monotonic(g) >= deadline);
  });

  it('reports descriptors ready at once, in preference to timers', () => {
    const g = new Guest({ stdin: 'abc' });
    const { events } = poll(g, [{ userdata: 1, timeout: 1e9 }, { userdata: 2, type: EVENTTYPE.FD_READ, fd: 0 },
                                { userdata: 3, type: EVENTTYPE.FD_WRITE, fd: 1 },
                                { userdata: 4, type: EVENTTYPE.FD_READ, fd: 42 }]);
    assert.deepEqual(events, [
      { userdata: 2n, error: 0, type: EVENTTYPE.FD_READ, nbytes: 3n },
      { userdata: 3n, error: 0, type: EVENTTYPE.FD_WRITE, nbytes: 0n },
      { userdata: 4n, error: ERRNO.BADF, type: EVENTTYPE.FD_READ, nbytes: 0n },
    ]);
  });

  it('rejects no subscriptions, unknown types and unknown clocks', () => {
    const g = new Guest();
    assert.equal(g.call.poll_oneoff(g.alloc(48), g.alloc(32), 0, g.alloc(4)), ERRNO.INVAL);
    assert.equal(poll(g, [{ type: 3, fd: 0 }]).errno, ERRNO.INVAL);
    assert.deepEqual(poll(g, [{ clock: 9 }]).events.map((e) => e.error), [ERRNO.INVAL]);
  });
});

describe('random_get', () => {
  it('fills the whole buffer, beyond the 64 KiB a single getRandomValues call allows', () => {
    const g = new Guest();
    g.memory.grow(2);
    const size = 2 * PAGE + 100;
    const ptr = 4096;
    assert.equal(g.call.random_get(ptr, size), SUCCESS);
    const filled = g.bytes.subarray(ptr, ptr + size);
    for (const at of [0, PAGE, 2 * PAGE]) {
      assert.ok(filled.subarray(at, at + 100).some((byte) => byte !== 0), `bytes at ${at}`);
    }
    const again = g.bytes.slice(ptr, ptr + 32);
    g.call.random_get(ptr, 32);
    assert.notDeepEqual(g.bytes.slice(ptr, ptr + 32), again);
    assert.equal(g.call.random_get(ptr, 0), SUCCESS);
  });
});

describe('proc_exit and sched_yield', () => {
  it('proc_exit throws ProcExit carrying the code and records it', () => {
    const g = new Guest();
    assert.equal(g.wasi.exitCode, undefined);
    assert.throws(() => g.call.proc_exit(42), (error) => {
      assert.ok(error instanceof ProcExit);
      assert.ok(error instanceof Error);
      assert.equal(error.code, 42);
      assert.equal(error.name, 'ProcExit');
      return true;
    });
    assert.equal(g.wasi.exitCode, 42);
  });

  it('sched_yield succeeds at once', () => {
    assert.equal(new Guest().call.sched_yield(), SUCCESS);
  });
});
