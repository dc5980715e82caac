// where: 'auto' against the better fixed place, as a Markdown section on stdout:
//   node tests/bench/auto_placement.mjs <build dir>
// In headless Chromium against a real faasmjs-gateway on this machine (browser/placement.js does the
// measuring), a sweep of workloads: tiny calls (`noop`, `echo` of 16 bytes), compute-heavy calls (`pi`, one
// worker of many samples), large inputs (`echo` of 4 MiB, which comes back as output too). Each runs with
// where 'browser', 'cluster' and 'auto' (after its exploration: its re-explorations are counted). Goal: auto
// within 10% of the better fixed place on each.
import { chromiumVersion } from '../../tools/demo/chromium.mjs';
import { buildDirArgument, openBenchPage } from './browser/session.mjs';

const MiB = 1 << 20;
const WORKLOADS = [
  { label: 'tiny: `noop`', function: 'noop', calls: 1800 },
  { label: 'tiny: `echo` of 16 bytes', function: 'echo', input: 'sixteen bytes!!!', calls: 1800 },
  { label: 'compute: `pi 1 20000000`', function: 'pi', input: '1 20000000', calls: 72 },
  { label: 'large input: `echo` of 4 MiB', function: 'echo', bytes: 4 * MiB, calls: 90 },
];
const WARMUP = 3;
const ROUNDS = 9;
const GOAL = 1.10;

const buildDir = buildDirArgument('auto_placement.mjs');
const { page, close, gateway } = await openBenchPage(buildDir, {}, { gateway: true });
let rows;
try {
  rows = await page.evaluate(
    async (args) => (await import('/__bench__/placement.js')).sweep(args), { workloads: WORKLOADS, warmup: WARMUP, rounds: ROUNDS });
} catch (error) {
  console.error(gateway.log);
  throw error;
} finally {
  await close();
}

const ms = (value) => (value < 10 ? value.toFixed(3) : value.toFixed(1));
let met = 0;
console.log('| workload | browser ms/call | cluster ms/call | auto ms/call | auto ran (browser / cluster, re-explored) | auto vs better fixed |');
console.log('|---|---:|---:|---:|---|---:|');
for (const row of rows) {
  const better = Math.min(row.ms.browser, row.ms.cluster);
  const ratio = row.ms.auto / better;
  if (ratio <= GOAL) met += 1;
  console.log(`| ${row.label} | ${ms(row.ms.browser)} | ${ms(row.ms.cluster)} | ${ms(row.ms.auto)} | `
              + `${row.chosen.browser} / ${row.chosen.cluster}, ${row.chosen.reexplore} | ${ratio.toFixed(2)}× |`);
}
console.log();
console.log('auto\'s estimates at its last call (`trace.placement.detail`):');
console.log();
for (const row of rows) console.log(`- ${row.label}: ${row.last.where}, ${row.last.reason}: ${row.last.detail}`);
console.log();
console.log(`Goal: auto within 10% of the better fixed place (≤ ${GOAL.toFixed(2)}×): met on ${met} of ${rows.length} workloads. `
            + `Per placement, the median over ${ROUNDS} rounds of a block's mean ms per call (the order of the placements `
            + `rotating from round to round), each block on a client of its own alone in the page, after ${WARMUP} warm-up `
            + 'calls and, for auto, its exploration of both places (its re-explorations are measured; the counts are '
            + 'over all rounds). Functions chain in the place they run in. The gateway runs on '
            + `this machine (the round trip is loopback's); headless ${chromiumVersion()}.`);
