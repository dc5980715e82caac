// Worker mode in headless Chromium: the functions run in a dedicated module Worker started from sdk/js, give
// the same outputs as on the page's thread, and leave the page's thread free while they compute.
import assert from 'node:assert/strict';
import { it } from 'node:test';

import { expectedOutputs } from '../../tools/demo/expected.mjs';
import { SUSPENSIONS, assertNoProblems, invokeAll, recordWorkers, useBrowser } from './support.mjs';

const browser = useBrowser();

for (const suspension of SUSPENSIONS) {
  it(`runs every example of the README in a module Worker (${suspension})`, async () => {
    const page = await browser.open();
    await page.evaluate(recordWorkers);
    const rows = expectedOutputs();
    const { suspension: chosen, outcomes } = await invokeAll(page, { suspension, worker: true },
      rows.map((row) => ({ name: row.function, input: row.input })));
    assert.equal(chosen, suspension);
    rows.forEach((row, i) => {
      assert.equal(outcomes[i].outputText, row.output, row.function);
      assert.equal(outcomes[i].returnValue, row.returnValue, row.function);
      assert.equal(outcomes[i].trace.suspension, suspension);
    });
    const workers = await page.evaluate(() => window.startedWorkers);
    assert.equal(workers.length, 1);
    assert.match(workers[0].url, /\/sdk\/js\/worker\.js$/);
    assert.equal(workers[0].type, 'module');
    assertNoProblems(assert, page);
    await page.close();
  });
}

it('animation frames keep coming while pi computes in the worker', async () => {
  const page = await browser.open();
  const { frames, result } = await page.evaluate(async () => {
    const { connect } = await import('/sdk/js/index.js');
    const client = await connect(undefined, { functions: '/wasm/', worker: true });
    await client.invoke('hello');
    let count = 0;
    let counting = true;
    const frame = () => { count += 1; if (counting) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    // The README's default: 320 million samples, far longer than ten frames on any machine (on the page's
    // thread the same call lets through one or two).
    const { output, ...result } = await client.invoke('pi');
    counting = false;
    await client.close();
    return { frames: count, result };
  });
  assert.equal(result.returnValue, 0, result.error);
  assert.equal(result.outputText, expectedOutputs().find((row) => row.function === 'pi' && row.input === undefined).output);
  assert.ok(frames >= 10, `only ${frames} animation frames while pi ran in the worker`);
  await page.close();
});

it('close() ends the worker client: later invokes reject with ClientClosed', async () => {
  const page = await browser.open();
  const rejected = await page.evaluate(async () => {
    const { connect } = await import('/sdk/js/index.js');
    const client = await connect(undefined, { functions: '/wasm/', worker: true });
    await client.close();
    return client.invoke('hello').then(() => null, (error) => ({ code: error.code, message: error.message }));
  });
  assert.equal(rejected?.code, 'ClientClosed');
  assert.match(rejected.message, /closed/);
  await page.close();
});
