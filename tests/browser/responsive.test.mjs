// The page stays responsive while a function waits on a blocking call. `chain` awaits its chained
// chain_worker calls; the test holds back chain_worker's binary, so those calls cannot finish and chain stays
// suspended in __faasm_await_call for as long as the test likes. Meanwhile the page's timers and animation
// frames must keep firing. No timing is asserted: the function provably cannot have finished while the
// ticks were counted, because its answer was still held.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { expectedOutputs } from '../../tools/demo/expected.mjs';
import { SUSPENSIONS, assertNoProblems, useBrowser } from './support.mjs';

// The examples' expected outputs: examples/functions/README.md's table, the one list.
const expected = (name, input) => expectedOutputs().find((row) => row.function === name && row.input === input).output;

const browser = useBrowser();
const TICKS = 5;

for (const suspension of SUSPENSIONS) {
  it(`timers and animation frames keep firing while chain is suspended (${suspension})`, async () => {
    const page = await browser.open();
    let requested;
    const workerRequested = new Promise((resolve) => { requested = resolve; });
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    await page.route('**/wasm/chain_worker*', async (route) => {
      requested();
      await released;
      await route.continue();
    });

    await page.evaluate(async (suspension) => {
      const { connect } = await import('/sdk/js/index.js');
      const client = await connect(undefined, { functions: '/wasm/', suspension });
      window.ticks = { timeouts: 0, frames: 0 };
      window.phases = [];
      client.addEventListener('progress', ({ detail }) => window.phases.push(`${detail.function}:${detail.phase}`));
      window.finished = false;
      window.call = client.invoke('chain').finally(() => { window.finished = true; });
      const timeout = () => { window.ticks.timeouts += 1; setTimeout(timeout, 10); };
      const frame = () => { window.ticks.frames += 1; requestAnimationFrame(frame); };
      setTimeout(timeout, 10);
      requestAnimationFrame(frame);
    }, suspension);

    await workerRequested;
    await page.waitForFunction(() => window.phases.includes('chain:suspended'));
    await page.evaluate(() => { window.ticks = { timeouts: 0, frames: 0 }; });
    await page.waitForFunction((wanted) => window.ticks.timeouts >= wanted && window.ticks.frames >= wanted, TICKS);
    assert.equal(await page.evaluate(() => window.finished), false, 'chain cannot finish while its callee is held');

    release();
    const result = await page.evaluate(async () => {
      const { output, ...rest } = await window.call;
      return rest;
    });
    assert.equal(result.returnValue, 0, result.error);
    assert.equal(result.outputText, expected('chain', undefined));
    assert.equal(result.trace.suspension, suspension);
    assertNoProblems(assert, page);
    await page.close();
  });
}
