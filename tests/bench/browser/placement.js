// Page side of the where: 'auto' benchmark (tests/bench/auto_placement.mjs): per workload, ms per call with
// where 'browser', 'cluster' and 'auto', in `rounds` rounds of a block per place, the order rotating from
// round to round so that neither a change in the machine's load nor the page's garbage favours one. Each block
// has a client of its own (so that 'auto' learns only from its own calls, exploring anew), alone in the page:
// another client's calls here are other work on its thread, which 'auto' measures (placement.js's timer
// lateness) and rightly avoids.
import { connect } from '/sdk/js/index.js';
import { PLACEMENT_DEFAULTS } from '/sdk/js/placement.js';

const gatewayUrl = () => `ws://${location.host}/ws`;
const MODES = ['browser', 'cluster', 'auto'];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function inputOf({ input, bytes }) {
  if (bytes === undefined) return input;
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 4096) data[i] = i & 0xFF;
  return data;
}

async function call(client, workload, input, where) {
  // Calls a function chains stay where it runs, so that 'browser' is all in the page.
  const result = await client.invoke(workload.function, input, { where, chain: 'browser' });
  if (result.returnValue !== 0) throw new Error(`${workload.label} (${where}): ${result.error}`);
  return result;
}

/**
 * For each workload { label, function, input | bytes, calls }: ms per call of each mode (the median over the
 * rounds of a block's mean, so that one round hit by the machine's other work does not decide), what 'auto'
 * chose in them and its last placement (trace.placement).
 */
export async function sweep({ workloads, warmup, rounds }) {
  const rows = [];
  for (const workload of workloads) {
    const input = inputOf(workload);
    const blocks = { browser: [], cluster: [], auto: [] };
    const chosen = { browser: 0, cluster: 0, reexplore: 0 };
    const calls = Math.ceil(workload.calls / rounds);
    let last = null;
    for (let round = 0; round < rounds; round += 1) {
      for (const mode of [...MODES.slice(round % MODES.length), ...MODES.slice(0, round % MODES.length)]) {
        const client = await connect(gatewayUrl(), { user: 'bench' });
        try {
          // Warm-up: binaries loaded and compiled in each place; 'auto' through its exploration of both.
          const warm = mode === 'auto' ? 2 * (PLACEMENT_DEFAULTS.samples + 1) + warmup : warmup;
          for (let i = 0; i < warm; i += 1) await call(client, workload, input, mode);
          const started = performance.now();
          for (let i = 0; i < calls; i += 1) {
            const { trace } = await call(client, workload, input, mode);
            if (mode !== 'auto') continue;
            last = trace.placement;
            chosen[trace.where] += 1;
            if (last.reason === 'reexplore') chosen.reexplore += 1;
          }
          blocks[mode].push((performance.now() - started) / calls);
        } finally {
          await client.close();
        }
      }
    }
    const ms = Object.fromEntries(MODES.map((mode) => [mode, median(blocks[mode])]));
    rows.push({ label: workload.label, calls: calls * rounds, ms, chosen, last });
  }
  return rows;
}
