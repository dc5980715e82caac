#!/usr/bin/env node
// Drives the demo page (examples/webapp), served by a real faasmjs-gateway, in headless Chromium the way a
// user would: picks the suspension mode, the thread and where calls run with the page's own controls, types
// each input of examples/functions/README.md's table into the function's card, presses Run and compares
// what the card shows with the README. Prints each output; exits 1 on any failure, 2 on bad usage.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { functionsDirOf, repoRoot } from '../devserver/server.mjs';
import { launchChromium, newPage } from './chromium.mjs';
import { expectedOutputs } from './expected.mjs';
import { gatewayBinary, startGateway } from './gateway.mjs';

const USAGE = `Usage: node tools/demo/check.mjs [options]

Starts faasmjs-gateway with the demo and the example functions, then runs every example of the demo page
in headless Chromium: in the browser through JSPI and Asyncify with chained calls sent to the cluster, in
the browser alone, and in the cluster; checks the outputs against examples/functions/README.md.

Options:
  -b, --build-dir <d>   build directory: the native one (its gateway and wasm-clang functions are used) or a
                        wasm sub-build (then FAASMJS_GATEWAY names the gateway) (default ./build)
      --url <url>       check a demo that is already served there instead of starting a gateway
      --worker          also run every example in worker mode
  -h, --help            show this help
`;

// Generous: pi's default input is 320 million samples, and a loaded 2-core machine is slow.
const RUN_TIMEOUT_MS = 180_000;
const CONNECT_TIMEOUT_MS = 30_000;

function usage(message) {
  process.stderr.write(`check: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      'build-dir': { type: 'string', short: 'b', default: path.join(repoRoot, 'build') },
      url: { type: 'string' },
      worker: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  usage(error.message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const show = (text) => (text === undefined ? 'none' : JSON.stringify(text));

/** Switches the page's controls and waits for the client they need. */
async function choose(page, { suspension, worker, where, chain }) {
  await page.check(`input[name="suspension"][value="${suspension}"]`);
  await page.setChecked('input[name="worker"]', worker);
  await page.check(`input[name="where"][value="${where}"]`);
  await page.check(`input[name="chain"][value="${chain}"]`);
  await page.waitForFunction(
    ([wanted, inWorker]) => document.body.dataset.client === 'error'
      || (document.body.dataset.client === 'ready' && (wanted === 'auto' || document.body.dataset.suspension === wanted)
          && document.body.dataset.worker === String(inWorker)),
    [suspension, worker], { timeout: CONNECT_TIMEOUT_MS });
  const status = await page.textContent('#client-status');
  if (await page.getAttribute('body', 'data-client') === 'error') throw new Error(status);
  return status;
}

/** Runs one row through its card; returns what the card shows. */
async function runCard(page, row) {
  const card = page.locator(`.card[data-function="${row.function}"]`);
  await card.locator('input[name="input"]').fill(row.input ?? '');
  await card.locator('button[type="submit"]').click();
  await page.waitForFunction(
    (name) => !['idle', 'running'].includes(document.querySelector(`.card[data-function="${name}"]`).dataset.status),
    row.function, { timeout: RUN_TIMEOUT_MS });
  return card.evaluate((element) => Object.fromEntries(
    [...element.querySelectorAll('[data-field]')].map((field) => [field.dataset.field, field.textContent])
      .concat([['status', element.dataset.status]])));
}

function compare(row, shown, { suspension, where }) {
  const problems = [];
  if (shown.output !== row.output) problems.push(`output ${show(shown.output)}, expected ${show(row.output)}`);
  if (shown.returnValue !== String(row.returnValue)) {
    problems.push(`return value ${shown.returnValue || '(none)'}, expected ${row.returnValue}`);
  }
  if (shown.status !== 'error' && where === 'browser' && shown.suspension !== suspension) {
    problems.push(`ran with ${shown.suspension}, expected ${suspension}`);
  }
  if (shown.status !== 'error' && !shown.where.startsWith(where)) {
    problems.push(`ran in ${shown.where}, expected the ${where}`);
  }
  if (shown.status === 'error') problems.push(`invoke rejected: ${shown.error}`);
  return problems;
}

async function main() {
  let gateway = null;
  let url = values.url;
  if (!url) {
    const buildDir = path.resolve(values['build-dir']);
    const functionsDir = functionsDirOf(buildDir);
    if (!fs.existsSync(path.join(functionsDir, 'hello.wasm'))) {
      usage(`no example functions in ${functionsDir}: build first or pass --build-dir`);
    }
    gateway = await startGateway({ binary: gatewayBinary(buildDir), functionDirs: [functionsDir] });
    // The demo page takes its token from the URL's fragment, as ./tools/dev.sh demo prints it.
    url = `${gateway.url}#token=${gateway.token('demo')}`;
  }
  const browser = await launchChromium();
  let failures = 0;
  try {
    const page = await newPage(browser.context);
    await page.goto(url);
    const cards = await page.$$eval('.card', (all) => all.map((card) => card.dataset.function));
    const rows = expectedOutputs().filter((row) => cards.includes(row.function));
    const inBrowser = [false, ...(values.worker ? [true] : [])].flatMap((worker) => ['jspi', 'asyncify']
      .map((suspension) => ({ suspension, worker, where: 'browser', chain: 'cluster' })));
    const passes = [
      ...inBrowser,
      { suspension: 'auto', worker: false, where: 'browser', chain: 'browser' },
      { suspension: 'auto', worker: false, where: 'cluster', chain: 'cluster' },
    ];
    for (const pass of passes) {
      const { suspension, worker, where, chain } = pass;
      console.log(`\n## in the ${where}${where === 'browser' ? ` with ${suspension}, chained calls to the ${chain}` : ''}`
                  + `${worker ? ', worker mode' : ''} (${await choose(page, pass)})`);
      for (const row of rows) {
        const shown = await runCard(page, row);
        const problems = compare(row, shown, { ...pass, suspension: await page.getAttribute('body', 'data-suspension') });
        failures += problems.length > 0 ? 1 : 0;
        console.log(`${problems.length ? 'FAIL' : 'ok  '} ${row.function}(${show(row.input)}) → ${show(shown.output)}`
                    + ` [return ${shown.returnValue}; ${shown.timings}; page stall ${shown.stall}]`);
        for (const problem of problems) console.log(`       ${problem}`);
      }
    }
    for (const problem of page.problems) {
      failures += 1;
      console.log(`FAIL ${problem}`);
    }
  } finally {
    await browser.close();
    await gateway?.close();
  }
  console.log(failures ? `\n${failures} failure(s)` : '\nall examples passed');
  return failures ? 1 : 0;
}

main().then((status) => process.exit(status), (error) => {
  console.error(`check: ${error.stack ?? error}`);
  process.exit(1);
});
