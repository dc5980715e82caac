// The demo page (examples/webapp) as a person sees it, served by a real gateway: no horizontal overflow from a
// desktop down to a 360 px phone, chain's fork-join drawn as one timeline bar per call with the chained ones
// overlapping in time, a status line that tells the truth when the gateway stops and comes back, and the
// cluster's compile progress while a gateway compiles.
//
// Screenshots of the page and of chain's card at 1280, 390 and 360 px go to FAASMJS_ARTIFACTS (ctest: the
// build's tests/browser/artifacts) for a person to look at; the test asserts properties, not pixels.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { launchChromium, newPage } from '../../tools/demo/chromium.mjs';
import { startGateway } from '../../tools/demo/gateway.mjs';
import { assertNoProblems, examplesDir } from './support.mjs';

const artifacts = process.env.FAASMJS_ARTIFACTS;
const WIDTHS = [1280, 768, 390, 360];
const SCREENSHOT_WIDTHS = new Set([1280, 390, 360]);
// chain forks its `square` entry 4 times by pointer and chain_worker 3 times by name (examples/functions).
const CHAIN_CALLS = 1 + 4 + 3;

let gateway;
let browser;
before(async () => {
  if (!examplesDir) throw new Error('set FAASMJS_WASM_DIR to a wasm sub-build directory (e.g. build/wasm-clang)');
  gateway = await startGateway({ functionDirs: [examplesDir] });
  browser = await launchChromium();
  if (artifacts) fs.mkdirSync(artifacts, { recursive: true });
});
after(async () => {
  await browser?.close();
  await gateway?.close();
});

async function openDemo(width, query = '') {
  const page = await newPage(browser.context);
  await page.setViewportSize({ width, height: 900 });
  await page.goto(`${gateway.url}${query}#token=${gateway.token('demo')}`);
  await page.waitForFunction(() => document.body.dataset.client === 'ready');
  return page;
}

async function runCard(page, name) {
  await page.locator(`.card[data-function="${name}"] button[type="submit"]`).click();
  await page.waitForFunction((card) => !['idle', 'running'].includes(document.querySelector(`.card[data-function="${card}"]`).dataset.status), name);
  return page.evaluate((card) => document.querySelector(`.card[data-function="${card}"]`).dataset.status, name);
}

const overflow = (page) => page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth }));

describe('layout and timeline', () => {
  for (const width of WIDTHS) {
    it(`fits ${width} px and draws chain's fork-join as overlapping bars`, async () => {
      const page = await openDemo(width, '?where=browser&chain=cluster');
      const before = await overflow(page);
      assert.ok(before.scrollWidth <= before.innerWidth, `page ${before.scrollWidth} px wide at ${width} px`);
      assert.match(await page.textContent('#client-status'), /^ready: .*, connected to ws:\/\/127\.0\.0\.1:\d+\/ws$/);
      assert.equal(await page.getAttribute('body', 'data-connection'), 'open');

      assert.equal(await runCard(page, 'chain'), 'ok');
      const bars = await page.$$eval('.card[data-function="chain"] svg.timeline rect.bar', (all) => all.map((bar) => ({
        ...bar.dataset, startMs: Number(bar.dataset.startMs), endMs: Number(bar.dataset.endMs),
      })));
      assert.equal(bars.length, CHAIN_CALLS, 'one bar per call');
      const [root, ...chained] = bars;
      assert.deepEqual([root.label, root.place, root.depth], ['chain', 'page', '0']);
      for (const bar of chained) {
        assert.equal(bar.place, 'cluster');
        assert.equal(bar.depth, '1');
        assert.ok(bar.startMs >= root.startMs && bar.endMs <= root.endMs + 1, `${bar.label} lies within its caller`);
      }
      // Named by what they run: the pointer calls are chain's table entry, not chain itself.
      assert.deepEqual(chained.map((bar) => bar.label.replace(/\d+$/, 'N')).sort(),
        [...Array(4).fill('chain › entry N'), ...Array(3).fill('chain_worker')]);
      const lastStart = Math.max(...chained.map((bar) => bar.startMs));
      const firstEnd = Math.min(...chained.map((bar) => bar.endMs));
      assert.ok(lastStart < firstEnd, `the chained calls overlap in time (last start ${lastStart} ms, first end ${firstEnd} ms)`);
      assert.deepEqual(await page.$$eval('.card[data-function="chain"] .legend li', (all) => all.map((item) => item.textContent)),
        ['on the page', 'in a Web Worker', 'in the cluster']);

      const afterRun = await overflow(page);
      assert.ok(afterRun.scrollWidth <= afterRun.innerWidth, `page ${afterRun.scrollWidth} px wide at ${width} px after the run`);
      if (artifacts && SCREENSHOT_WIDTHS.has(width)) {
        await page.screenshot({ path: path.join(artifacts, `demo-${width}.png`) });
        await page.locator('.card[data-function="chain"]').screenshot({ path: path.join(artifacts, `demo-chain-${width}.png`) });
      }
      assertNoProblems(assert, page);
      await page.close();
    });
  }

  it('draws a wholly-cluster fork-join from the gateway\'s times: nested bars that overlap', async () => {
    const page = await openDemo(390, '?where=cluster&chain=cluster');
    assert.equal(await runCard(page, 'chain'), 'ok');
    const bars = await page.$$eval('.card[data-function="chain"] rect.bar', (all) => all.map((bar) => ({
      place: bar.dataset.place, startMs: Number(bar.dataset.startMs), endMs: Number(bar.dataset.endMs),
    })));
    assert.equal(bars.length, CHAIN_CALLS);
    assert.ok(bars.every((bar) => bar.place === 'cluster'));
    const chained = bars.slice(1);
    // Not all at the root's start, as before the gateway said when each call started.
    assert.ok(chained.some((bar) => bar.startMs > 0), 'the chained calls start when the cluster started them');
    const [root] = bars;
    for (const bar of chained) assert.ok(bar.startMs >= root.startMs && bar.endMs <= root.endMs, 'each lies within its caller');
    // Several workers run them at once, but a short one may end before the last is chained: some overlap.
    const overlapping = chained.some((a, i) => chained.some((b, j) => i !== j && a.startMs < b.endMs && b.startMs < a.endMs));
    assert.ok(overlapping, `some chained calls overlap: ${JSON.stringify(chained)}`);
    assertNoProblems(assert, page);
    await page.close();
  });
});

describe('connection', () => {
  it('says disconnected at once when the gateway stops, reconnects by itself when it is back, and runs again', async () => {
    const page = await openDemo(390);
    assert.equal(await runCard(page, 'hello'), 'ok');
    const stopped = Date.now();
    await gateway.stop();
    // Promptly: the socket's close, not a keep-alive timeout.
    await page.waitForFunction(() => ['reconnecting', 'lost'].includes(document.body.dataset.connection), null, { timeout: 3_000 });
    assert.match(await page.textContent('#client-status'), /^disconnected from ws:\/\/127\.0\.0\.1:\d+\/ws \(/);
    // The SDK gives up after its attempts (about 10 s); the page keeps trying on its own.
    await page.waitForFunction(() => document.body.dataset.connection === 'lost', null, { timeout: 30_000 });
    assert.match(await page.textContent('#client-status'), /^disconnected from .*: retrying in \d+ s$/);
    if (artifacts) await page.screenshot({ path: path.join(artifacts, 'demo-disconnected-390.png') });
    console.log(`# disconnected shown, then lost after ${Date.now() - stopped} ms`);

    await gateway.start();  // the same port
    await page.waitForFunction(() => document.body.dataset.connection === 'open' && document.body.dataset.client === 'ready',
      null, { timeout: 30_000 });
    assert.match(await page.textContent('#client-status'), /^ready: .*, connected to ws:/);
    await page.check('input[name="where"][value="cluster"]');
    assert.equal(await runCard(page, 'hello'), 'ok', 'a call in the cluster works again without a reload');
    assert.equal(await page.textContent('.card[data-function="hello"] [data-field="where"]'), 'cluster');
    // The failed attempts while the gateway was down are the browser's own console errors, nothing else.
    assertNoProblems(assert, page, [/WebSocket connection to .* failed/, /Failed to load resource/]);
    await page.close();
  });
});

describe('compile progress', () => {
  it('shows the cluster compiling on a gateway with an empty compile cache, until every function is compiled', async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-demo-cache-'));
    const fresh = await startGateway({ functionDirs: [examplesDir], cacheDir });
    try {
      const page = await newPage(browser.context);
      await page.setViewportSize({ width: 390, height: 900 });
      // Every state the page goes through, from its first script on.
      await page.addInitScript(() => {
        window.compileStates = [];
        new MutationObserver(() => {
          const state = document.body?.dataset.compile;
          if (state && window.compileStates.at(-1) !== state) window.compileStates.push(state);
        }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-compile'] });
      });
      await page.goto(`${fresh.url}#token=${fresh.token('demo')}`);
      await page.waitForFunction(() => document.body.dataset.compile !== undefined, null, { timeout: 30_000 });
      if (artifacts) await page.screenshot({ path: path.join(artifacts, 'demo-compiling-390.png') });
      await page.waitForFunction(() => document.body.dataset.compile === 'done', null, { timeout: 240_000 });
      const states = await page.evaluate(() => window.compileStates);
      assert.ok(states.length >= 2 && states.at(-1) === 'done', `states seen: ${states.join(' → ')}`);
      assert.ok(states.slice(0, -1).every((state) => ['compiling', 'optimising'].includes(state)), states.join(' → '));
      const total = fs.readdirSync(examplesDir).filter((file) => file.endsWith('.wasm') && !file.endsWith('.async.wasm')).length;
      assert.equal(await page.textContent('#compile-status'), `cluster: all ${total} functions compiled`);
      assert.equal(await page.locator('#compile-status progress').count(), 0, 'the bar goes once done');
      const width = await overflow(page);
      assert.ok(width.scrollWidth <= width.innerWidth, `page ${width.scrollWidth} px wide at 390 px`);
      assertNoProblems(assert, page);
      await page.close();
    } finally {
      await fresh.close();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
