// The browser and the gateway's cluster, as Markdown sections on stdout:
//   node tests/bench/gateway_browser.mjs <build dir>
// In headless Chromium against a real faasmjs-gateway (browser/gateway.js does the measuring):
//   - a chained no-op call browser → cluster → browser, against a raw WebSocket round trip through the same
//     gateway (goal ≤ 1.5×) and against a synchronous XMLHttpRequest, the seed's transport;
//   - pipelined no-op calls per second (goal ≥ 20,000/s on 2 cores);
//   - state transfer of 1 MiB and 64 MiB, against raw binary WebSocket transfer through the gateway (goal ≥ 0.7×).
import { chromiumVersion } from '../../tools/demo/chromium.mjs';
import { buildDirArgument, openBenchPage } from './browser/session.mjs';

const LATENCY_CALLS = 500;
const THROUGHPUT_CALLS = 2000;
const RUNS = 5;
const MiB = 1 << 20;

const buildDir = buildDirArgument('gateway_browser.mjs');
const { page, close, gateway } = await openBenchPage(buildDir, {}, { gateway: true });
let latency;
let throughput;
let state;
try {
  const measure = (name, options) => page.evaluate(
    async ([which, args]) => (await import('/__bench__/gateway.js'))[which](args), [name, options]);
  latency = await measure('latency', { calls: LATENCY_CALLS, runs: RUNS });
  throughput = await measure('throughput', { calls: THROUGHPUT_CALLS, runs: RUNS });
  state = await measure('stateTransfer', { sizes: [MiB, 64 * MiB], runs: 3 });
} catch (error) {
  console.error(gateway.log);
  throw error;
} finally {
  await close();
}

const ms = (value) => value.toFixed(3);
console.log('### Latency of one call');
console.log();
console.log('| per round trip | ms | vs raw WebSocket |');
console.log('|---|---:|---:|');
console.log(`| raw WebSocket PING/PONG through the gateway (baseline) | ${ms(latency.raw)} | 1.00× |`);
console.log(`| chained no-op call, browser → cluster → browser | ${ms(latency.chained)} | ${(latency.chained / latency.raw).toFixed(2)}× |`);
console.log(`| no-op INVOKE from the page (no function running in it) | ${ms(latency.invoke)} | ${(latency.invoke / latency.raw).toFixed(2)}× |`);
console.log(`| synchronous XMLHttpRequest to the gateway | ${ms(latency.syncXhr)} | ${(latency.syncXhr / latency.raw).toFixed(2)}× |`);
console.log();
console.log(`Chained call vs raw round trip: ${(latency.chained / latency.raw).toFixed(2)}× (goal ≤ 1.5×). `
            + `Against the seed's transport, a synchronous XMLHttpRequest per call (here only a GET of a small `
            + `file, so a floor for the seed, whose request also ran the function), a chained call is `
            + `${(latency.syncXhr / latency.chained).toFixed(1)}× faster, and it never blocks the page.`);
console.log();
console.log(`Best of ${RUNS} runs of ${LATENCY_CALLS} sequential round trips; the chained calls are \`pingpong\` `
            + '(tests/gateway/functions) running in the page with JSPI, each iteration chaining `noop` into the '
            + 'cluster and awaiting it.');
console.log();
console.log(`Of the chained call's ${((latency.chained - latency.raw) * 1000).toFixed(0)} µs over the raw round trip, `
            + `${latency.clusterUs.toFixed(0)} µs are the cluster's own part (the median chained call's queue wait plus run `
            + 'time in its trace, a reset instance included). The rest is the gateway handing the call to a worker slot '
            + 'and its RESULT back to the service thread, four thread wake-ups ("Gateway: what a call\'s thread hand-offs cost" '
            + 'measures them), and the page: the chain import, encoding the INVOKE, decoding the RESULT and its trace, '
            + 'suspending and resuming the function. The table\'s INVOKE from the page, with no function running there, is a '
            + 'top-level call, with the bookkeeping of one.');
console.log();
console.log('### Throughput of pipelined calls');
console.log();
console.log('| no-op calls in flight together | calls/s |');
console.log('|---|---:|');
console.log(`| fork-join from a browser function (\`fanout ${THROUGHPUT_CALLS}\`: all chained, then all awaited) | ${Math.round(throughput.forkJoin)} |`);
console.log(`| ${THROUGHPUT_CALLS} \`invoke\`s from the page at once, each run in the cluster | ${Math.round(throughput.pageInvokes)} |`);
console.log(`| the same fork-join run wholly in the cluster (no browser on the path: the cluster's own rate) | ${Math.round(throughput.inCluster)} |`);
console.log();
console.log(`Goal ≥ 20,000 calls/s. Best of ${RUNS} runs; every call runs \`noop\` in a kept instance, reset to its snapshot, in a `
            + 'worker process of the embedded cluster.');
console.log();
console.log('### State transfer');
console.log();
console.log('| value | push MB/s | pull MB/s | raw WebSocket MB/s | push vs raw | pull vs raw |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of state) {
  console.log(`| ${row.size / MiB} MiB | ${row.push.toFixed(1)} | ${row.pull.toFixed(1)} | ${row.raw.toFixed(1)} | `
              + `${(row.push / row.raw).toFixed(2)}× | ${(row.pull / row.raw).toFixed(2)}× |`);
}
console.log();
console.log('Goal ≥ 0.7× of raw. Push is `client.state.set` (a whole value to the global tier, durable on disk '
            + 'before the acknowledgement), pull `client.state.get`; raw is a PING of the same bytes echoed by '
            + 'the gateway, counted one way (half the round trip). Best of 3; headless '
            + `${chromiumVersion()}.`);
