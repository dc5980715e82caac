#!/usr/bin/env node
// Drives the demo page (examples/webapp), served by a real faasmjs-gateway, in headless Chromium the way a
// user would: picks the suspension mode, the thread and where calls run with the page's own controls, types
// each input of examples/functions/README.md's table into the function's card, presses Run and compares
// what the card shows with the README. Prints each output; exits 1 on any failure, 2 on bad usage. With --faasm
// the gateway is in front of a Faasm cluster: every call in the cluster must have run on one of its hosts, and a
// function Faasm's WAMR cannot run is listed as skipped there with the gateway's reason (the imports it lacks).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { functionsDirOf, repoRoot } from '../devserver/server.mjs';
import { launchChromium, newPage } from './chromium.mjs';
import { expectedOutputs, onFaasm } from './expected.mjs';
import { faasmHosts, faasmRefusal, parseFaasmOption, unexpectedRefusal } from './faasm.mjs';
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
      --faasm <spec>    the gateway is in front of Faasm: planner=URL,upload=URL[,redis=HOST:PORT], passed on as
                        its --faasm (or, with --url, the cluster that gateway uses); calls in the cluster must
                        run on the planner's hosts, and functions Faasm's WAMR cannot run are skipped there,
                        with the reason
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
      faasm: { type: 'string' },
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
let faasm = null;
if (values.faasm !== undefined) {
  try {
    faasm = parseFaasmOption(values.faasm);
  } catch (error) {
    usage(error.message);
  }
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
  return card.evaluate((element) => ({
    ...Object.fromEntries([...element.querySelectorAll('[data-field]')].map((field) => [field.dataset.field, field.textContent])),
    status: element.dataset.status,
    // Each line of the card's calls list: which calls, where, and with Faasm on which hosts.
    calls: [...element.querySelectorAll('[data-field="calls"] li')].map((line) => ({ ...line.dataset })),
  }));
}

// What the card says about where its calls ran: with Faasm behind the gateway every call in the cluster ran on one of
// its hosts, without it none did.
function placeProblems(shown, hosts) {
  const problems = [];
  for (const line of shown.calls.filter((calls) => calls.where === 'cluster')) {
    const what = `${line.count}× ${line.function} in the cluster`;
    if (hosts === null) {
      if (line.backend === 'faasm') problems.push(`${what} ran on Faasm, expected the embedded cluster`);
    } else if (line.backend !== 'faasm') {
      problems.push(`${what} ran ${line.backend ? `on backend '${line.backend}'` : 'in the embedded cluster'}, expected Faasm`);
    } else {
      const strangers = line.hosts.split(',').filter((host) => !hosts.includes(host));
      if (strangers.length) problems.push(`${what} ran on ${strangers.join(', ')}, not one of Faasm's hosts ${hosts.join(', ')}`);
    }
  }
  return problems;
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
    gateway = await startGateway({
      binary: gatewayBinary(buildDir),
      functionDirs: [functionsDir],
      args: faasm ? ['--faasm', values.faasm] : [],
    });
    // The demo page takes its token from the URL's fragment, as ./tools/dev.sh demo prints it.
    url = `${gateway.url}#token=${gateway.token('demo')}`;
  }
  const hosts = faasm ? await faasmHosts(faasm.planner) : null;
  if (hosts) console.log(`calls in the cluster run on Faasm: planner ${faasm.planner}, hosts ${hosts.join(', ')}`);
  const browser = await launchChromium();
  let failures = 0;
  const skipped = new Map();
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
      let onHosts = 0;
      for (const listed of rows) {
        // A call wholly on Faasm fails with Faasm's output, not the function's own.
        const row = faasm && where === 'cluster' ? onFaasm(listed) : listed;
        const shown = await runCard(page, row);
        const refusal = faasm && where === 'cluster' ? faasmRefusal(shown.error) : null;
        if (refusal?.function === row.function) {
          const unexpected = unexpectedRefusal(refusal);
          failures += unexpected ? 1 : 0;
          console.log(`${unexpected ? 'FAIL' : 'skip'} ${row.function}(${show(row.input)}): ${refusal.line}`);
          if (unexpected) console.log(`       ${unexpected}`);
          else skipped.set(row.function, refusal.line);
          continue;
        }
        const problems = [
          ...compare(row, shown, { ...pass, suspension: await page.getAttribute('body', 'data-suspension') }),
          ...placeProblems(shown, hosts),
        ];
        const onFaasmLines = shown.calls.filter((calls) => calls.backend === 'faasm');
        onHosts += onFaasmLines.reduce((sum, calls) => sum + Number(calls.count), 0);
        const ranOn = [...new Set(onFaasmLines.flatMap((calls) => calls.hosts.split(',')))].sort();
        failures += problems.length > 0 ? 1 : 0;
        console.log(`${problems.length ? 'FAIL' : 'ok  '} ${row.function}(${show(row.input)}) → ${show(shown.output)}`
                    + ` [return ${shown.returnValue}; ${shown.timings}; page stall ${shown.stall}`
                    + `${ranOn.length ? `; on Faasm host(s) ${ranOn.join(', ')}` : ''}]`);
        for (const problem of problems) console.log(`       ${problem}`);
      }
      if (hosts && chain === 'cluster') {
        const placed = `${onHosts} call(s) ran on Faasm's hosts`;
        failures += onHosts === 0 ? 1 : 0;
        console.log(onHosts ? placed : `FAIL ${placed}: nothing in this pass reached Faasm`);
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
  for (const [name, line] of skipped) console.log(`skipped on Faasm: ${name} (${line})`);
  console.log(failures ? `\n${failures} failure(s)` : `\nall examples passed${skipped.size ? ', except what Faasm cannot run (above)' : ''}`);
  return failures ? 1 : 0;
}

main().then((status) => process.exit(status), (error) => {
  console.error(`check: ${error.stack ?? error}`);
  process.exit(1);
});
