// The compute-heavy `pi` example in headless Chromium: the plain binary with a synchronous host against the
// Asyncify binary and JSPI, as a Markdown section on stdout:
//   node tests/bench/browser_pi.mjs <build dir>
// Goal (issue 3): Asyncify ≤ 1.05× plain, JSPI ≤ 1.01×. See browser/pi.js for what each row runs.
import { chromiumVersion } from '../../tools/demo/chromium.mjs';
import { expectedOutputs } from '../../tools/demo/expected.mjs';
import { buildDirArgument, openBenchPage } from './browser/session.mjs';

const RUNS = 5;
// What pi does without input (the README's "none (= `8 40000000`)"), so that its output can be checked.
const INPUT = '8 40000000';
const { output: expected } = expectedOutputs().find((row) => row.function === 'pi' && row.input === undefined);

const buildDir = buildDirArgument('browser_pi.mjs');
const { page, close } = await openBenchPage(buildDir);
let best;
let outputs;
try {
  ({ best, outputs } = await page.evaluate(async (options) => (await import('/__bench__/pi.js')).measure(options),
    { input: INPUT, runs: RUNS }));
} finally {
  await close();
}
for (const [name, output] of Object.entries(outputs)) {
  if (output !== expected) throw new Error(`${name} computed ${JSON.stringify(output)}, expected ${JSON.stringify(expected)}`);
}

const ROWS = [
  ['plain', 'plain binary, synchronous host (baseline)', null],
  ['jspi', 'JSPI on the plain binary, same host', 1.01],
  ['asyncify', 'Asyncify binary (sdk/js/asyncify.js), same host', 1.05],
  ['client-jspi', 'sdk/js client, JSPI', 1.01],
  ['client-asyncify', 'sdk/js client, Asyncify', 1.05],
];
console.log(`| pi, ${INPUT.replace(' ', ' workers × ')} samples | ms | vs plain | goal |`);
console.log('|---|---:|---:|---:|');
for (const [name, label, goal] of ROWS) {
  const ratio = best[name] / best.plain;
  const verdict = goal === null ? '' : `≤ ${goal.toFixed(2)}× ${ratio <= goal ? 'met' : 'missed'}`;
  console.log(`| ${label} | ${best[name].toFixed(1)} | ${ratio.toFixed(3)}× | ${verdict} |`);
}
console.log();
console.log(`Best of ${RUNS} runs per row, rows interleaved; every row computed "${expected}". The client rows `
            + 'include what the runtime adds per call (a fresh instance per call and per worker, events, traces); '
            + `headless ${chromiumVersion()}.`);
