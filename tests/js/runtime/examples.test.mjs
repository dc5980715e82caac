// Every example function through the Asyncify path, with the outputs examples/functions/README.md promises.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { connect } from '../../../sdk/js/index.js';
import { expectedOutputs } from '../../../tools/demo/expected.mjs';
import { examplesDir, wasmDirs } from './support.mjs';

// examples/functions/README.md, "Expected output", the one list (tools/demo/expected.mjs reads it), and the one
// row it describes rather than spells out: chain_worker's answer to malformed input.
const EXPECTED = [
  ...expectedOutputs().map((row) => [row.function, row.input, row.returnValue, row.output]),
  ['chain_worker', 'not a sentence', 1, /^decode_failed: input: /],
];

for (const { label, dir } of wasmDirs) {
  describe(`examples (${label}, asyncify)`, () => {
    let client;
    const client$ = connect(undefined, { functions: examplesDir(dir), suspension: 'asyncify', user: 'examples' })
      .then((c) => { client = c; return c; });
    after(() => client?.close());

    for (const [name, input, returnValue, output] of EXPECTED) {
      it(`${name}(${input === undefined ? '' : JSON.stringify(input)})`, async () => {
        const result = await (await client$).invoke(name, input);
        assert.equal(result.returnValue, returnValue, result.error ?? '');
        if (output instanceof RegExp) assert.match(result.outputText, output); else assert.equal(result.outputText, output);
        assert.equal(result.error === null, returnValue === 0);
        assert.equal(result.trace.suspension, 'asyncify');
      });
    }

    it('chain without chain_worker deployed fails as the README says', async () => {
      const files = (name) => ({
        wasm: fs.readFileSync(path.join(examplesDir(dir), `${name}.wasm`)),
        asyncWasm: fs.readFileSync(path.join(examplesDir(dir), `${name}.async.wasm`)),
      });
      const alone = await connect(undefined, { functions: { chain: files('chain') }, suspension: 'asyncify' });
      const result = await alone.invoke('chain');
      assert.equal(result.returnValue, 1);
      assert.match(result.outputText,
        /^call_failed: 3 of 3 chained calls failed; first: chained call \d+ \(chain_worker\) returned 1/);
      const failed = result.trace.chained.filter((trace) => trace.returnValue !== 0);
      assert.deepEqual(failed.map((trace) => trace.function), ['chain_worker', 'chain_worker', 'chain_worker']);
      await alone.close();
    });
  });
}
