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
import { FIXED, OTHER, Sample, echoed } from './values-sample.mjs';

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
