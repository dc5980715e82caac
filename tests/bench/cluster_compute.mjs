// The embedded cluster's speed on compute, as a Markdown section on stdout:
//   node tests/bench/cluster_compute.mjs <build dir>
// The pi example run in the cluster (its wasm2c-compiled plain binary, invoked over the wire protocol from
// Node) against the same source compiled natively (tests/bench/native/pi_native.cpp), same input, best of
// several runs each (goal ≤ 1.5×).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import WebSocket from 'ws';

import { connect } from '../../sdk/js/index.js';
import { functionsDirOf } from '../../tools/devserver/server.mjs';
import { gatewayBinary, startGateway } from '../../tools/demo/gateway.mjs';
import { buildDirArgument } from './browser/session.mjs';

const INPUT = '1 100000000';
const RUNS = 5;

const buildDir = buildDirArgument('cluster_compute.mjs');
const native = execFileSync(path.join(buildDir, 'tests', 'bench', 'native', 'faasmjs_bench_pi_native'),
  [INPUT, String(RUNS)], { encoding: 'utf8' }).trim().split('\n');
const [nativeOutput, nativeMs] = [native[0], Number(native[1])];

const gateway = await startGateway({ binary: gatewayBinary(buildDir), functionDirs: [functionsDirOf(buildDir)] });
let clusterMs = Infinity;
let clusterRunMs = Infinity;
let clusterOutput;
try {
  const client = await connect(gateway.wsUrl, { token: gateway.token('bench'), webSocket: WebSocket });
  try {
    await client.invoke('pi', '1 1000', { where: 'cluster' });
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      const result = await client.invoke('pi', INPUT, { where: 'cluster' });
      const took = performance.now() - started;
      if (result.returnValue !== 0) throw new Error(`pi failed in the cluster: ${result.error}`);
      clusterOutput = result.outputText;
      clusterMs = Math.min(clusterMs, took);
      const [worker] = result.trace.chained;
      clusterRunMs = Math.min(clusterRunMs, worker.runUs / 1000);
    }
  } finally {
    await client.close();
  }
} catch (error) {
  console.error(gateway.log);
  throw error;
} finally {
  await gateway.close();
}
if (clusterOutput !== nativeOutput) throw new Error(`outputs differ: cluster ${clusterOutput}, native ${nativeOutput}`);

console.log('| pi, one worker, 100 million samples | ms | vs native |');
console.log('|---|---:|---:|');
console.log(`| native (\`clang++\`/\`g++\` -O2, in-process host) | ${nativeMs.toFixed(1)} | 1.00× |`);
console.log(`| embedded cluster, whole call as the client sees it | ${clusterMs.toFixed(1)} | ${(clusterMs / nativeMs).toFixed(2)}× |`);
console.log(`| embedded cluster, the chained worker's run time | ${clusterRunMs.toFixed(1)} | ${(clusterRunMs / nativeMs).toFixed(2)}× |`);
console.log();
console.log(`Goal ≤ 1.5×. Best of ${RUNS} runs each; both print "${nativeOutput}".`);
