// Typed values between JavaScript and C++, end to end: faasmjs/values encodes what the C++ SDK decodes (inputs
// and state, checked field by field in C++ by values_fixed) and decodes what it encodes (outputs and state,
// byte for byte), through invoke(name, value, { input, output }) and client.state.get/set(key, ..., schema), in
// this thread and in worker mode. The C++ side: tests/js/runtime/functions/values.hpp.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { DecodeError, connect } from '../../../sdk/js/index.js';
import { encode, encodeOutput, t } from '../../../sdk/js/values/index.js';
import { WorkerClient } from '../../../sdk/js/worker-client.js';
import { serve } from '../../../sdk/js/worker.js';
import { examplesDir, hasTestFunctions, testFunctionsDir, wasmDirs } from './support.mjs';

// values.hpp's Inner and Sample, field for field.
const Inner = t.struct({ id: t.i16, label: t.string });
const Sample = t.struct({
  i8: t.i8, u8: t.u8, i16: t.i16, u16: t.u16, i32: t.i32, u32: t.u32, i64: t.i64, u64: t.u64, f32: t.f32, f64: t.f64,
  flag: t.bool, name: t.string, tags: t.vector(t.string), scores: t.map(t.string, t.i32), extra: t.optional(t.f64),
  missing: t.optional(Inner), inners: t.vector(Inner), position: t.array(t.f32, 3), pair: t.tuple(t.u16, t.string),
  blob: t.bytes, bits: t.vector(t.bool), series: t.map(t.u32, t.vector(t.i64)),
});

// values.hpp's fixed_sample(), with the map in std::map's (sorted) order so that the bytes match too.
const FIXED = Object.freeze({
  i8: -128, u8: 255, i16: -32768, u16: 65535, i32: -(2 ** 31), u32: 2 ** 32 - 1, i64: -(2n ** 63n), u64: 2n ** 64n - 1n,
  f32: 1.5, f64: -0.1, flag: true, name: 'héllo ✓', tags: ['a', '', 'c'], scores: new Map([['a', 1], ['b', -2]]),
  extra: 2.5, missing: null, inners: [{ id: 1, label: 'one' }, { id: -2, label: 'two' }], position: [0.5, -1, 3.25],
  pair: [7, 'seven'], blob: new Uint8Array([0, 255, 128]), bits: [true, false, true], series: new Map([[3, [-1n, 2n ** 40n]]]),
});

const OTHER = Object.freeze({
  i8: 5, u8: 0, i16: 1, u16: 2, i32: 3, u32: 4, i64: -7n, u64: 9n, f32: -0.25, f64: 1e300, flag: false, name: '',
  tags: [], scores: new Map(), extra: null, missing: { id: 3, label: 'here' }, inners: [], position: [1, 2, 3],
  pair: [65535, ''], blob: new Uint8Array(0), bits: [], series: new Map(),
});

// What values_echo makes of a Sample (values_echo.cpp, line for line).
function echoed(value) {
  return {
    ...value,
    i8: (-value.i8 / 2) | 0,
    u64: value.u64 / 2n,
    i64: value.i64 / 2n,
    f64: value.f64 * 2,
    flag: !value.flag,
    name: `${value.name}!`,
    tags: [...value.tags, 'c++'],
    scores: new Map([...value.scores, ['c++', value.tags.length]]),
    extra: value.extra === null ? 0.25 : null,
    missing: value.missing === null ? { id: 42, label: 'found' } : null,
    inners: value.inners.map((inner) => ({ ...inner, label: `${inner.label}+` })),
    position: [...value.position].reverse(),
    pair: [value.pair[0], String(value.pair[0])],
    blob: new Uint8Array([...value.blob, value.blob.length]),
    bits: value.bits.map((bit) => !bit),
    series: new Map([...value.series, [value.series.size, [value.i64]]]),
  };
}

const typed = { input: Sample, output: Sample };

// The same checks on a client here and on one behind worker mode's protocol.
const clients = {
  here: (dir, user) => connect(undefined, { functions: testFunctionsDir(dir), suspension: 'asyncify', user }),
  'worker mode': (dir, user) => {
    const { port1, port2 } = new MessageChannel();
    serve(port1);
    const client = new WorkerClient(port2, () => { port1.close(); port2.close(); });
    return client.connect({ functions: testFunctionsDir(dir), suspension: 'asyncify', user });
  },
};

for (const { label, dir } of wasmDirs) {
  const skip = hasTestFunctions(dir) ? false : `tests/js/runtime/functions not built in ${dir}`;

  for (const [mode, makeClient] of Object.entries(clients)) {
    describe(`typed values with C++, ${mode} (${label})`, { skip }, () => {
      it('C++ decodes what JavaScript encodes (input and state), and JavaScript what C++ encodes (output and state)', async () => {
        const client = await makeClient(dir, 'typed');
        await client.state.set('values_from_js', FIXED, Sample);
        const result = await client.invoke('values_fixed', FIXED, typed);
        assert.equal(result.error, null);
        assert.deepEqual(result.value, FIXED);
        assert.deepEqual(result.output, encodeOutput(FIXED, Sample));
        assert.deepEqual(await client.state.get('values_from_cpp', Sample), FIXED);
        assert.deepEqual(await client.state.get('values_from_cpp'), encode(FIXED, Sample));
        await client.close();
      });

      it('C++ sees the field JavaScript got wrong; a failed call has no value', async () => {
        const client = await makeClient(dir, 'typed-wrong');
        await client.state.set('values_from_js', FIXED, Sample);
        const result = await client.invoke('values_fixed', { ...FIXED, f32: 1.25 }, typed);
        assert.equal(result.returnValue, 1);
        assert.equal(result.value, undefined);
        assert.equal(result.outputText, 'invalid_argument: the input differs from fixed_sample() in field f32');
        await client.state.set('values_from_js', { ...FIXED, series: new Map([[3, [-1n, 2n ** 40n + 1n]]]) }, Sample);
        assert.match((await client.invoke('values_fixed', FIXED, typed)).outputText, /values_from_js differs from fixed_sample\(\) in field series$/);
        await client.close();
      });

      it('a value goes JavaScript → C++ → JavaScript through invoke', async () => {
        const client = await makeClient(dir, 'typed-echo');
        for (const value of [FIXED, OTHER]) {
          const result = await client.invoke('values_echo', value, typed);
          assert.equal(result.error, null);
          assert.deepEqual(result.value, echoed(value));
        }
        await client.close();
      });

      it('bad bytes fail in C++ as decode_failed; an output schema that does not fit rejects with DecodeError', async () => {
        const client = await makeClient(dir, 'typed-bad');
        const malformed = await client.invoke('values_echo', new Uint8Array([1, 2, 3]), { output: Sample });
        assert.equal(malformed.returnValue, 1);
        assert.equal(malformed.value, undefined);
        assert.match(malformed.outputText, /^decode_failed: input: /);
        await assert.rejects(client.invoke('values_echo', OTHER, { input: Sample, output: t.struct({ i8: t.i8, u8: t.u8 }) }),
          (error) => error instanceof DecodeError && /^invoke\('values_echo'\) output: \d+ trailing bytes after the value$/.test(error.message));
        await assert.rejects(client.invoke('values_echo', { ...OTHER, u8: -1 }, typed),
          (error) => error instanceof RangeError && error.message === "invoke('values_echo') input at .u8: -1 is out of range for u8 (0 to 255)");
        await assert.rejects(client.invoke('values_echo', OTHER, { output: 'Sample' }), { name: 'TypeError', message: /options\.output must be a schema/ });
        await client.close();
      });

      it('state: a missing key is null, bytes that are not the value a DecodeError naming the key', async () => {
        const client = await makeClient(dir, 'typed-state');
        assert.equal(await client.state.get('nothing', Sample), null);
        await client.state.set('three', new Uint8Array([1, 2, 3]));
        await assert.rejects(client.state.get('three', Sample), (error) => error instanceof DecodeError
          && error.message === "state key 'three' at .i16: needed 2 bytes at offset 3 but only 0 remain" && error.path === '.i16');
        assert.deepEqual(await client.state.get('three', t.bytes), new Uint8Array([1, 2, 3]));
        await client.state.set('text', 'plain', t.string);
        assert.deepEqual(await client.state.get('text'), new TextEncoder().encode('plain'));
        await assert.rejects(client.state.set('k', 1, t.optional), { name: 'TypeError', message: /state\.set\('k'\): the schema must be a schema made with t/ });
        await client.close();
      });
    });
  }

  describe(`typed values with the examples (${label})`, () => {
    const client$ = connect(undefined, { functions: examplesDir(dir), suspension: 'asyncify', user: 'typed-examples' });

    it('chain_worker takes a Sentence and returns TextStats (text_stats.hpp)', async () => {
      const Sentence = t.struct({ text: t.string });
      const TextStats = t.struct({ words: t.u32, letters: t.u32 });
      const result = await (await client$).invoke('chain_worker', { text: 'Hello, typed world' }, { input: Sentence, output: TextStats });
      assert.deepEqual(result.value, { words: 3, letters: 15 });
    });

    it('text and bytes travel raw: hello (std::string) and echo (Bytes)', async () => {
      const client = await client$;
      assert.equal((await client.invoke('hello', 'Ada', { input: t.string, output: t.string })).value, 'Hello Ada!');
      const bytes = new Uint8Array([0x66, 0x6a, 0x73]);
      assert.deepEqual((await client.invoke('echo', bytes, { input: t.bytes, output: t.bytes })).value, bytes);
      assert.deepEqual((await client.invoke('echo', [0x66, 0x6a], { input: t.vector(t.u8), output: t.vector(t.u8) })).value, [0x66, 0x6a]);
      await client.close();
    });
  });
}
