// The runtime end to end under Node (Asyncify path) on the test functions of tests/js/runtime/functions:
// entry protocol, traps and host faults, real fork-join overlap, nested suspensions, mapped state, locks
// across concurrent invocations, state across invocations, events, close and timeouts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { Client } from '../../../sdk/js/client.js';
import { ListenedEventTarget, dispatchLater } from '../../../sdk/js/events.js';
import { ClientClosed, Timeout, connect, splitBacktrace } from '../../../sdk/js/index.js';
import { expectedOutputs } from '../../../tools/demo/expected.mjs';
import { examplesDir, hasTestFunctions, testFunctionsDir, wasmDirs } from './support.mjs';
import { GateTier, RecordingTier } from './tiers.mjs';

// The examples' expected outputs: examples/functions/README.md's table, the one list.
const expected = (name, input) => expectedOutputs().find((row) => row.function === name && row.input === input).output;

const options = (dir) => ({ functions: testFunctionsDir(dir), suspension: 'asyncify', user: 'runtime' });

for (const { label, dir } of wasmDirs) {
  const skip = hasTestFunctions(dir) ? false : `tests/js/runtime/functions not built in ${dir}`;

  describe(`entry protocol and failures (${label})`, { skip }, () => {
    const client$ = connect(undefined, options(dir));
    const probe = async (input, invokeOptions) => (await client$).invoke('probe', input, invokeOptions);

    it('argv is ["function.wasm", ...cmdline], the environment Faasm\'s, stdout captured', async () => {
      const result = await probe('argv', { cmdline: 'alpha beta' });
      assert.equal(result.outputText, 'function.wasm alpha beta 0');
      assert.equal(result.stdout, 'hello stdout\n');
      assert.equal(result.returnValue, 0);
      assert.equal(result.error, null);
    });

    it('proc_exit(n) is the return value n', async () => {
      const result = await probe('exit');
      assert.equal(result.returnValue, 7);
      assert.equal(result.error, 'probe returned 7');
    });

    it('a non-zero return resolves with the output in error', async () => {
      const result = await probe('return');
      assert.equal(result.returnValue, 3);
      assert.equal(result.error, 'probe returned 3: returning 3');
    });

    it('a trap resolves with return value 1, the trap message and the backtrace by demangled name', async () => {
      const result = await probe('trap');
      assert.equal(result.returnValue, 1);
      const { message, frames } = splitBacktrace(result.error);
      assert.equal(message, 'probe trapped: unreachable');
      assert.deepEqual(frames.slice(0, 2), ['probe_trap_inner()', 'probe_trap_outer()']);
      assert.ok(result.error.startsWith('probe trapped: unreachable\n    at probe_trap_inner()\n    at '));
    });

    // As in the cluster, whose compiler must keep the load nothing uses (tests/gateway/cluster, isolation).
    for (const input of ['used_load', 'unused_load']) {
      it(`a load past the end of memory traps: ${input}`, async () => {
        const result = await probe(input);
        assert.equal(result.returnValue, 1);
        assert.equal(splitBacktrace(result.error).message, 'probe trapped: memory access out of bounds');
      });
    }

    it('a throw traps with a clear message', async () => {
      const result = await probe('throw');
      assert.equal(result.returnValue, 1);
      assert.match(result.error, /host fault in __cxa_throw: C\+\+ exceptions are not supported in Faasm functions/);
    });

    for (const [input, message] of [
      ['bad_pointer', /host fault in read_input: input buffer \[4294967280, \+64\) lies outside the guest's \d+ bytes/],
      ['empty_key', /host fault in read_state: empty state key/],
      ['bad_chain_ptr', /host fault in chain_ptr: function pointer 2147483647 names no function/],
    ]) {
      it(`a host fault ends the call: ${input}`, async () => {
        const result = await probe(input);
        assert.equal(result.returnValue, 1);
        assert.match(result.error, message);
      });
    }

    it('an unknown chained function fails that call: await returns 1', async () => {
      const result = await probe('unknown_chain');
      assert.equal(result.outputText, 'await returned 1');
      const [chained] = result.trace.chained;
      assert.equal(chained.function, 'no_such_function');
      assert.equal(chained.returnValue, 1);
      assert.match(chained.error, /no function named 'no_such_function'/);
    });

    it('awaiting an id never chained returns 1', async () => {
      assert.equal((await probe('await_unknown')).outputText, 'await returned 1');
    });

    it('a missing key: size query 0, a read zero-fills and returns the length', async () => {
      assert.equal((await probe('state_size')).outputText, '0 4 0000');
    });
  });

  describe(`fork-join and nesting (${label})`, { skip }, () => {
    it('all chained calls are in flight at once (a gate opens only when every worker waits)', async () => {
      const n = 6;
      const gate = new GateTier('runtime_fork_join_gate', n);
      const client = new Client(options(dir), { globalTier: gate });
      const result = await client.invoke('fork_join', String(n));
      assert.equal(result.outputText, `sum ${10 * (n * (n - 1)) / 2}`);
      assert.equal(gate.maxWaiting, n);
      const chained = result.trace.chained;
      assert.equal(chained.length, n);
      const firstFinished = Math.min(...chained.map((t) => t.startedAt + t.durationMs));
      assert.ok(chained.every((t) => t.startedAt <= firstFinished), 'every call started before the first finished');
      assert.ok(chained.every((t) => t.suspensions === 1));
    });

    it('a pointer-chained function gets its input as its one int argument', async () => {
      const client = new Client(options(dir), { globalTier: new GateTier('runtime_fork_join_gate', 1) });
      assert.equal((await client.invoke('fork_join', '1')).outputText, 'sum 0');
    });

    it('nested chains suspend every level while the one below runs', async () => {
      const client = await connect(undefined, options(dir));
      const result = await client.invoke('nested', '5');
      assert.equal(result.outputText, '5>4>3>2>1>0');
      let trace = result.trace;
      for (let depth = 5; depth > 0; depth -= 1) {
        assert.equal(trace.suspensions, 1);
        assert.equal(trace.chained.length, 1);
        trace = trace.chained[0];
      }
      assert.equal(trace.chained.length, 0);
    });

    it('concurrent top-level invocations run interleaved, each in its own instance', async () => {
      const client = await connect(undefined, options(dir));
      const results = await Promise.all([3, 2, 4].map((depth) => client.invoke('nested', String(depth))));
      assert.deepEqual(results.map((r) => r.outputText), ['3>2>1>0', '2>1>0', '4>3>2>1>0']);
    });
  });

  describe(`state across invocations (${label})`, { skip }, () => {
    it('mapped state: Faasm\'s shared write/read demos, whole and by offset', async () => {
      const client = await connect(undefined, options(dir));
      for (const mode of ['write', 'read', 'write_offset', 'read_offset']) {
        const result = await client.invoke('shared_state', mode);
        assert.equal(result.outputText, 'success', `${mode}: ${result.error}`);
      }
      assert.deepEqual([...await client.state.get('shared_state')], [5, 5, 6, 7, 8, 5, 5]);
    });

    it('a write lock makes concurrent read-modify-writes exclusive', async () => {
      const global = new RecordingTier();
      const client = new Client(options(dir), { globalTier: global });
      const results = await Promise.all(Array.from({ length: 5 }, () => client.invoke('locker')));
      assert.deepEqual(results.map((r) => r.outputText).sort(), ['1', '2', '3', '4', '5']);
      assert.deepEqual([...await client.state.get('locker_counter')], [5, 0, 0, 0]);
      assert.equal(global.count('lock'), 5);
    });

    it('without the lock they interleave and lose updates (so the test above proves something)', async () => {
      // All five must be between their read and their write at once for the gate to open.
      const client = new Client(options(dir), { globalTier: new GateTier('runtime_locker_elsewhere', 5) });
      const results = await Promise.all(Array.from({ length: 5 }, () => client.invoke('locker', 'nolock')));
      assert.ok(results.every((r) => r.outputText === '1'));
    });

    it('pushed state outlives the invocation; the inspector reads and seeds the global tier', async () => {
      const client = await connect(undefined, { ...options(dir), functions: examplesDir(dir) });
      assert.equal((await client.invoke('faasm_compat')).outputText, expected('faasm_compat', undefined));
      const sum = await client.state.get('faasm_compat_sum');
      assert.equal(new DataView(sum.buffer).getInt32(0, true), 12);
      assert.ok((await client.state.keys()).includes('faasm_compat_sum'));
      assert.equal((await client.invoke('faasm_compat', '5 10')).outputText, expected('faasm_compat', '5 10'));
      assert.equal(new DataView((await client.state.get('faasm_compat_sum')).buffer).getInt32(0, true), 30);
      assert.equal(await client.state.get('never_written'), null);
    });
  });

  describe(`events, close and timeouts (${label})`, { skip }, () => {
    it('progress phases in order, per call, and a trace event per top-level call', async () => {
      const client = await connect(undefined, options(dir));
      const phases = new Map();
      const traces = [];
      client.addEventListener('progress', ({ detail }) => {
        phases.set(detail.id, [...(phases.get(detail.id) ?? []), detail.phase]);
        assert.equal(detail.function, 'nested');
      });
      client.addEventListener('trace', ({ detail }) => traces.push(detail));
      const result = await client.invoke('nested', '1');
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.deepEqual(phases.get(result.trace.id),
        ['loading', 'instantiating', 'running', 'suspended', 'resumed', 'done']);
      assert.deepEqual(phases.get(result.trace.chained[0].id), ['loading', 'instantiating', 'running', 'done']);
      assert.deepEqual(traces, [result.trace]);
      assert.equal(result.trace.where, 'browser');
    });

    it('close abandons calls in flight and refuses later ones', async () => {
      const client = new Client(options(dir), { globalTier: new GateTier('runtime_fork_join_gate', 99) });
      const running = client.invoke('fork_join', '2');
      await new Promise((resolve) => setTimeout(resolve, 20));
      await client.close();
      await assert.rejects(running, (error) => error instanceof ClientClosed && error.code === 'ClientClosed');
      await assert.rejects(client.invoke('probe', 'argv'), /the client is closed/);
    });

    it('timeoutMs abandons a call that waits too long', async () => {
      const client = new Client(options(dir), { globalTier: new GateTier('runtime_fork_join_gate', 99) });
      await assert.rejects(client.invoke('fork_join', '2', { timeoutMs: 30 }),
        (error) => error instanceof Timeout && /fork_join did not finish within 30 ms/.test(error.message));
    });
  });
}

describe('progress and trace events (events.js)', () => {
  it('reach a listener added later in the same job, in order; listens() says whether any may be there', async () => {
    const first = new ListenedEventTarget();
    const second = new ListenedEventTarget();
    assert.equal(first.listens('progress'), false);
    const seen = [];
    dispatchLater(first, 'progress', 1);
    dispatchLater(second, 'progress', 2);
    dispatchLater(first, 'trace', 3);
    const record = ({ type, detail }) => seen.push(`${type} ${detail}`);
    first.addEventListener('progress', record);
    first.addEventListener('trace', record);
    second.addEventListener('progress', record);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(seen, ['progress 1', 'progress 2', 'trace 3']);

    first.removeEventListener('trace', record);
    assert.equal(first.listens('trace'), false);
    first.addEventListener('trace', record, { capture: true });
    first.removeEventListener('trace', record);  // another listener: the captured one stays
    assert.equal(first.listens('trace'), true);
  });
});
