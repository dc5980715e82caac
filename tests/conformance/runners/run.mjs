// Runs the whole conformance suite on one host: every case of cases/*.json through the driver, and (on the
// wasm hosts) every programs/NAME with its NAME.expect.json, with each toolchain's binaries. Prints one line
// per case that fails or is marked unsupported on this host (with the reason), and the counts; exits 1 if
// any case failed.
//
//   node run.mjs HOST          (ctest conformance.HOST sets the environment below)
//
// FAASMJS_WASM_DIRS          the wasm sub-build directories (":"-separated), whose tests/conformance/ hold the
//                            driver and the programs
// FAASMJS_CONFORMANCE_NATIVE the native driver (runners/native_main.cpp), for HOST native
// FAASMJS_FAASM_ENV          the Faasm fixture's cluster.env, for HOST faasm
// FAASMJS_GATEWAY            the gateway binary, for HOST worker and faasm
// FAASMJS_CONFORMANCE_TIERS  for HOST worker, the gateway's --tiers: the compiler tier whose machine code runs
//                            the cases (optimised unless set; ctest conformance.worker_quick sets quick)
import fs from 'node:fs';
import path from 'node:path';

import { CONFORMANCE_DIR, HOSTS, expectedCall, loadCases, mismatch, scriptOf } from './cases.mjs';
import { functionFolder, openHost } from './hosts.mjs';
import { loadPrograms, programMismatch } from './programs.mjs';

const host = process.argv[2];
if (!HOSTS.includes(host)) {
  console.error(`usage: run.mjs HOST (one of ${HOSTS.join(', ')})`);
  process.exit(2);
}
const wasmDirs = (process.env.FAASMJS_WASM_DIRS ?? '').split(':').filter(Boolean);
if (wasmDirs.length === 0) {
  console.error('run.mjs: set FAASMJS_WASM_DIRS to the wasm sub-build directories (run through ctest)');
  process.exit(2);
}

const counts = { ran: 0, passed: 0, unsupported: 0 };
const failures = [];

function report(id, problem) {
  counts.ran += 1;
  if (problem === null) {
    counts.passed += 1;
  } else {
    failures.push(id);
    console.log(`FAIL ${id}: ${problem}`);
  }
}

async function runCase(opened, testCase) {
  const calls = await opened.newCase();
  try {
    for (let i = 0; i < testCase.calls.length; i += 1) {
      const input = scriptOf(testCase.calls[i].steps, `${testCase.id}, call ${i + 1}`);
      const observed = await calls.invoke('conformance_driver', input, { globalRefuses: testCase.calls[i].globalRefuses });
      const problem = mismatch(expectedCall(testCase, i, host), observed);
      if (problem !== null) return `call ${i + 1}: ${problem}`;
    }
    return null;
  } finally {
    await calls.close();
  }
}

// The programs run one after another as one user: they are ordinary functions, none reads what another left.
async function runPrograms(opened, label, programs) {
  const calls = await opened.newCase();
  try {
    for (const program of programs) {
      const id = `program ${program.name} (${label})`;
      const unsupported = program.expect.unsupported?.[host];
      if (unsupported !== undefined) {
        counts.unsupported += 1;
        console.log(`UNSUPPORTED ${id}: ${unsupported}`);
        continue;
      }
      try {
        if (program.expect.sharedFiles !== undefined) await calls.share(program.expect.sharedFiles);
        report(id, programMismatch(program.expect, await calls.invoke(program.name, program.input, program.options), host));
      } catch (error) {
        report(id, `threw ${error.stack}`);
      }
    }
  } finally {
    await calls.close();
  }
}

async function runCases(opened, label) {
  for (const testCase of loadCases()) {
    const id = `${testCase.id} (${label})`;
    const unsupported = testCase.unsupported?.[host] ?? testCase.unsupportedBuild?.[label];
    if (unsupported !== undefined) {
      counts.unsupported += 1;
      console.log(`UNSUPPORTED ${id}: ${unsupported}`);
      continue;
    }
    try {
      report(id, await runCase(opened, testCase));
    } catch (error) {
      report(id, `threw ${error.stack}`);
    }
  }
}

// Each part gets a host serving only what it calls (hosts.mjs functionFolder). Faasm runs
// conformance_driver_wamr as conformance_driver (driver/conformance_driver.c says why).
const settingsFor = (builtDir, functions) => ({
  functionDirs: [functionFolder(builtDir, functions)],
  nativeDriver: process.env.FAASMJS_CONFORMANCE_NATIVE,
  faasmEnv: process.env.FAASMJS_FAASM_ENV,
  tiers: process.env.FAASMJS_CONFORMANCE_TIERS,
});

async function withHost(settings, run) {
  const opened = await openHost(host, settings);
  try {
    await run(opened);
  } finally {
    await opened.close();
  }
}

// The native host runs the driver's C source, not a binary: once. The wasm hosts run each toolchain's driver.
const builds = host === 'native' ? [{ label: 'native', dir: wasmDirs[0] }]
  : wasmDirs.map((dir) => ({ label: path.basename(dir), dir }));
for (const { label, dir } of builds) {
  const builtDir = path.join(dir, 'tests', 'conformance');
  const driver = { conformance_driver: host === 'faasm' ? 'conformance_driver_wamr' : 'conformance_driver' };
  await withHost(settingsFor(builtDir, driver), (opened) => runCases(opened, label));
  if (host === 'native') continue;
  const programs = loadPrograms(builtDir);
  const served = Object.fromEntries(programs.map(({ name }) => [name, name]));
  await withHost(settingsFor(builtDir, served), (opened) => runPrograms(opened, label, programs));
}

console.log(`conformance.${host}: ${counts.ran} ran, ${counts.passed} passed, ${failures.length} failed, `
  + `${counts.unsupported} marked unsupported (cases in ${path.join(CONFORMANCE_DIR, 'cases')})`);
const summary = process.env.FAASMJS_CONFORMANCE_SUMMARY;
if (summary) fs.writeFileSync(summary, `${JSON.stringify({ host, ...counts, failed: failures.length })}\n`);
process.exit(failures.length === 0 ? 0 : 1);
