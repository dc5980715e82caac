// Every example function in headless Chromium, through JSPI on NAME.wasm and through Asyncify on
// NAME.async.wasm, against the expected outputs in examples/functions/README.md; and one typed call.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { expectedOutputs } from '../../tools/demo/expected.mjs';
import { SUSPENSIONS, assertNoProblems, invokeAll, useBrowser } from './support.mjs';

const browser = useBrowser();
const rows = expectedOutputs();
const label = (row) => `${row.function}(${row.input === undefined ? 'none' : JSON.stringify(row.input)})`;

for (const suspension of SUSPENSIONS) {
  describe(`${suspension}`, () => {
    it(`runs every example of the README with ${suspension}, loading only its binaries`, async () => {
      const page = await browser.open();
      const binaries = new Set();
      page.on('request', (request) => {
        const file = new URL(request.url()).pathname;
        if (file.endsWith('.wasm')) binaries.add(file.replace(/^\/wasm\//, ''));
      });
      const { suspension: chosen, outcomes, connectRejected } = await invokeAll(page, { suspension },
        rows.map((row) => ({ name: row.function, input: row.input })));
      assert.equal(connectRejected, undefined);
      assert.equal(chosen, suspension);
      rows.forEach((row, i) => {
        const outcome = outcomes[i];
        assert.equal(outcome.rejected, undefined, `${label(row)} rejected`);
        assert.equal(outcome.outputText, row.output, label(row));
        assert.equal(outcome.returnValue, row.returnValue, label(row));
        assert.equal(outcome.error === null, row.returnValue === 0, `${label(row)}: error ${outcome.error}`);
        assert.equal(outcome.trace.suspension, suspension, label(row));
        assert.equal(outcome.trace.where, 'browser', label(row));
      });
      // JSPI runs the plain binary, Asyncify only the transformed one: a mix would hide a broken path.
      const wanted = suspension === 'jspi' ? /^\w+\.wasm$/ : /^\w+\.async\.wasm$/;
      for (const binary of binaries) assert.match(binary, wanted, `${suspension} loaded ${binary}`);
      assert.ok(binaries.size > 0);
      assertNoProblems(assert, page);
      await page.close();
    });

    it(`shows fork-join in the trace with ${suspension}: chain's 7 calls are all chained before any finishes`, async () => {
      const page = await browser.open();
      const { outcomes: [chain] } = await invokeAll(page, { suspension }, [{ name: 'chain' }]);
      assert.equal(chain.returnValue, 0, chain.error);
      const { chained } = chain.trace;
      assert.deepEqual(chained.map((call) => call.function).sort(),
        ['chain', 'chain', 'chain', 'chain', 'chain_worker', 'chain_worker', 'chain_worker']);
      const lastStart = Math.max(...chained.map((call) => call.startedAt));
      const firstEnd = Math.min(...chained.map((call) => call.startedAt + call.durationMs));
      assert.ok(lastStart <= firstEnd, 'every chained call starts before the first one ends');
      assert.ok(chain.trace.suspensions > 0, 'chain waited on its chained calls');
      await page.close();
    });

    it(`reports chain_worker's decode error for malformed input with ${suspension}`, async () => {
      const page = await browser.open();
      const { outcomes: [worker] } = await invokeAll(page, { suspension }, [{ name: 'chain_worker', input: 'not cereal' }]);
      assert.equal(worker.returnValue, 1);
      assert.match(worker.outputText, /^decode_failed: input: /);
      assert.match(worker.error, /chain_worker returned 1/);
      await page.close();
    });

    it(`calls chain_worker with typed values (faasmjs/values, as the page imports it) with ${suspension}`, async () => {
      const page = await browser.open();
      const value = await page.evaluate(async (chosen) => {
        const { connect } = await import('/sdk/js/index.js');
        const { t } = await import('/sdk/js/values/index.js');
        const client = await connect(undefined, { functions: '/wasm/', suspension: chosen });
        const result = await client.invoke('chain_worker', { text: 'typed in a page' },
          { input: t.struct({ text: t.string }), output: t.struct({ words: t.u32, letters: t.u32 }) });
        await client.close();
        return result.value;
      }, suspension);
      assert.deepEqual(value, { words: 4, letters: 12 });
      assertNoProblems(assert, page);
      await page.close();
    });
  });
}
