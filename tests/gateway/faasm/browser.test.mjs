// Headless Chromium (Debian's) with a real faasmjs-gateway --faasm in front of the fixture's Faasm cluster
// (FAASMJS_FAASM_ENV): every example of examples/functions/README.md that Faasm's WAMR can run gives the README's
// output wholly on Faasm (where:'cluster') and in the page with JSPI and with Asyncify, its chained calls sent to
// Faasm; every call in the cluster names Faasm and one of its hosts in its trace. An example Faasm cannot run is
// refused with the imports it lacks.
//
// Which examples can run is decided here from the binaries themselves (their imports against the WAVM-only list of
// tools/gateway/faasm/wamr_imports.h), independently of the gateway, so a gateway that refused too much or too little
// fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { expectedOutputs, onFaasm } from '../../../tools/demo/expected.mjs';
import { faasmRefusal, wavmOnlyImports } from '../../../tools/demo/faasm.mjs';
import { SUSPENSIONS, assertNoProblems, examplesDir, invokeAll, startGatewaySession } from '../../browser/support.mjs';

for (const name of ['FAASMJS_FAASM_ENV', 'FAASMJS_GATEWAY', 'FAASMJS_WASM_DIR']) {
  if (!process.env[name]) throw new Error(`set ${name}: run this suite through ctest (tests/gateway/faasm/CMakeLists.txt)`);
}
const cluster = Object.fromEntries(fs.readFileSync(process.env.FAASMJS_FAASM_ENV, 'utf8').trim().split('\n')
  .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
const workers = cluster.FAASM_WORKERS.split(',');

// Per README function, the env imports of its binary that only Faasm's WAVM backend has.
const wavmOnly = new Set(wavmOnlyImports());
const lacking = new Map([...new Set(expectedOutputs().map((row) => row.function))].map((name) => {
  const module = new WebAssembly.Module(fs.readFileSync(path.join(examplesDir, `${name}.wasm`)));
  const imports = WebAssembly.Module.imports(module)
    .filter((entry) => entry.module === 'env' && wavmOnly.has(entry.name)).map((entry) => `env.${entry.name}`);
  return [name, imports];
}));
const runnable = expectedOutputs().filter((row) => lacking.get(row.function).length === 0);
const unrunnable = [...lacking].filter(([, imports]) => imports.length > 0).map(([name]) => name);

let session;
before(async () => {
  session = await startGatewaySession([examplesDir], [
    '--faasm', `planner=${cluster.FAASM_PLANNER_URL},upload=${cluster.FAASM_UPLOAD_URL},redis=${cluster.FAASM_REDIS}`,
    '--call-timeout', '120000',
  ]);
});
after(() => session?.close());

const label = (row) => `${row.function}(${row.input === undefined ? 'none' : JSON.stringify(row.input)})`;

async function fromPage(options, calls) {
  const page = await session.open();
  const result = await invokeAll(page, { token: session.gateway.token('faasm-browser'), ...options }, calls, session.gateway.wsUrl);
  assert.equal(result.connectRejected, undefined, JSON.stringify(result.connectRejected));
  assertNoProblems(assert, page);
  await page.close();
  return result;
}

// Every call of a trace that ran in the cluster, depth first.
function clusterCalls(trace, calls = []) {
  if (trace.where === 'cluster') calls.push(trace);
  for (const child of trace.chained) clusterCalls(child, calls);
  return calls;
}

function assertOnFaasm(call, what) {
  assert.equal(call.backend, 'faasm', `${what}: ${call.function} ran on backend ${call.backend}`);
  assert.ok(workers.includes(call.host), `${what}: ${call.function} ran on ${call.host}, not one of ${workers}`);
}

describe('the browser with faasmjs-gateway --faasm', () => {
  it('has examples Faasm can run and one it cannot', () => {
    assert.ok(runnable.length > 0, 'no README example can run on Faasm');
    assert.ok(unrunnable.length > 0, `every README example can run on Faasm (${[...lacking.keys()]}): the refusal is untested`);
  });

  it('runs every example Faasm can run where:cluster, on Faasm\'s hosts', async () => {
    const { outcomes } = await fromPage({ where: 'cluster' }, runnable.map((row) => ({ name: row.function, input: row.input })));
    runnable.forEach((listed, i) => {
      const row = onFaasm(listed);
      const outcome = outcomes[i];
      assert.equal(outcome.rejected, undefined, `${label(row)} rejected: ${JSON.stringify(outcome.rejected)}`);
      assert.equal(outcome.outputText, row.output, label(row));
      assert.equal(outcome.returnValue, row.returnValue, label(row));
      assert.equal(outcome.trace.where, 'cluster', label(row));
      for (const call of clusterCalls(outcome.trace)) assertOnFaasm(call, label(row));
    });
  });

  for (const suspension of SUSPENSIONS) {
    it(`runs every example Faasm can run in the page with ${suspension}, its chained calls on Faasm`, async () => {
      const result = await fromPage({ suspension },
        runnable.map((row) => ({ name: row.function, input: row.input, options: { where: 'browser', chain: 'cluster' } })));
      assert.equal(result.suspension, suspension);
      let chainedToFaasm = 0;
      runnable.forEach((row, i) => {
        const outcome = result.outcomes[i];
        assert.equal(outcome.rejected, undefined, `${label(row)} rejected: ${JSON.stringify(outcome.rejected)}`);
        assert.equal(outcome.outputText, row.output, label(row));
        assert.equal(outcome.returnValue, row.returnValue, label(row));
        assert.equal(outcome.trace.where, 'browser', label(row));
        assert.equal(outcome.trace.suspension, suspension, label(row));
        const calls = clusterCalls(outcome.trace);
        for (const call of calls) assertOnFaasm(call, label(row));
        chainedToFaasm += calls.length;
        if (row.function === 'chain') {
          assert.deepEqual(outcome.trace.chained.map((call) => call.function).sort(),
            ['chain', 'chain', 'chain', 'chain', 'chain_worker', 'chain_worker', 'chain_worker'], label(row));
        }
      });
      assert.ok(chainedToFaasm > 0, 'no example chained a call to Faasm');
    });
  }

  it('refuses an example Faasm cannot run, naming the imports its WAMR backend lacks', async () => {
    const { outcomes } = await fromPage({ where: 'cluster' }, unrunnable.map((name) => ({ name })));
    unrunnable.forEach((name, i) => {
      const outcome = outcomes[i];
      assert.equal(outcome.rejected, undefined, `${name} rejected: ${JSON.stringify(outcome.rejected)}`);
      assert.equal(outcome.returnValue, 1, name);
      const refusal = faasmRefusal(outcome.error);
      assert.ok(refusal, `${name}'s error does not say it cannot run on Faasm: ${outcome.error}`);
      assert.equal(refusal.function, name);
      assert.deepEqual([...refusal.imports].sort(), [...lacking.get(name)].sort(), refusal.line);
      assert.ok(session.gateway.log.includes(refusal.line), `the gateway did not report at start: ${refusal.line}`);
    });
  });
});
