// Every example function through the Asyncify path, with the outputs examples/functions/README.md promises.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { connect } from '../../../sdk/js/index.js';
import { examplesDir, wasmDirs } from './support.mjs';

// README.md, "Expected output": [function, input, return value, output (string or RegExp)].
const EXPECTED = [
  ['hello', undefined, 0, 'Hello Faasm!'],
  ['hello', 'Ada', 0, 'Hello Ada!'],
  ['echo', undefined, 0, 'Nothing to echo'],
  ['echo', 'any bytes', 0, 'any bytes'],
  ['chain', undefined, 0, 'sum of squares 1..4 = 30; words in 3 sentences = 9'],
  ['state', undefined, 0, 'settings fast/3; counters[2..3] = 20,30; counters[7] = 107; log total = 7'],
  ['blocking_indirect', undefined, 0,
    'chained 42 via virtual, pointer, std::function; state 7 via virtual, pointer, std::function'],
  ['pi', undefined, 0, 'Pi estimate from 8 x 40000000 samples: 3.141597 (error 0.000004)'],
  ['pi', '4 100000', 0, 'Pi estimate from 4 x 100000 samples: 3.139630 (error 0.001963)'],
  ['pi', '4 2000000', 0, 'Pi estimate from 4 x 2000000 samples: 3.141129 (error 0.000464)'],
  ['pi', 'four', 1, "invalid_argument: workers must be a positive integer, got 'four'"],
  ['faasm_compat', undefined, 0, 'sum of doubles: 12'],
  ['faasm_compat', '5 10', 0, 'sum of doubles: 30'],
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
