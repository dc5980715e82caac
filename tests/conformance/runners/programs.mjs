// The suite's programs (programs/NAME.c or .cpp, built with both toolchains) and their NAME.expect.json
// (format in ../README.md): what is found in a wasm sub-build, and the check of a call's answer against it.
import fs from 'node:fs';
import path from 'node:path';

import { CONFORMANCE_DIR, HOSTS, bytesOf } from './cases.mjs';

const SOURCES = path.join(CONFORMANCE_DIR, 'programs');
const decoder = new TextDecoder();

/** Every program with an expect file, and its built binary in `builtDir` (the sub-build's tests/conformance). */
export function loadPrograms(builtDir) {
  if (!fs.existsSync(SOURCES)) return [];
  const programs = [];
  for (const file of fs.readdirSync(SOURCES).filter((f) => f.endsWith('.expect.json')).sort()) {
    const name = file.slice(0, -'.expect.json'.length);
    const expect = JSON.parse(fs.readFileSync(path.join(SOURCES, file), 'utf8'));
    for (const host of Object.keys(expect.unsupported ?? {})) {
      if (!HOSTS.includes(host)) throw new Error(`${file}: unknown host '${host}' in "unsupported"`);
    }
    if (!fs.existsSync(path.join(builtDir, `${name}.wasm`))) {
      throw new Error(`${file}: ${name}.wasm is not in ${builtDir} (tests/conformance/CMakeLists.txt builds programs/)`);
    }
    const options = {};
    if (expect.cmdline !== undefined) options.cmdline = expect.cmdline;
    if (expect.files !== undefined) options.files = expect.files;
    programs.push({ name, expect, input: expect.input === undefined ? undefined : bytesOf(expect.input, file), options });
  }
  return programs;
}

// Faasm hands a program's stdout and stderr back only inside its output: with CAPTURE_STDOUT=on a worker
// returns what the call wrote to descriptors 0-2 in the order written, a newline and then the output, which
// for a call returning non-zero is "Call failed (return value=N)" (faasm src/wasm/WasmModule.cpp executeTask,
// src/wamr/filesystem.cpp fd_write).
function faasmOutput(expect, returnValue) {
  if (expect.stderr === undefined) return { problem: 'the expect file gives no "stderr", which Faasm returns with stdout' };
  const written = expect.interleaved ?? expect.stdout + expect.stderr;
  if (expect.interleaved === undefined && expect.stdout !== '' && expect.stderr !== '') {
    return { problem: 'the expect file writes both streams but gives no "interleaved" order, which Faasm returns' };
  }
  const output = returnValue === 0 ? expect.output ?? '' : `Call failed (return value=${returnValue})`;
  return { output: written === '' ? output : `${written}\n${output}` };
}

/** null when the answer on `host` is what NAME.expect.json says, else the first difference. */
export function programMismatch(expect, observed, host) {
  const returnValue = expect.returnValue ?? 0;
  if (observed.returnValue !== returnValue) {
    return `return value ${observed.returnValue}, expected ${returnValue} (error ${JSON.stringify(observed.error)})`;
  }
  if (expect.error !== undefined && observed.error !== expect.error) {
    return `error ${JSON.stringify(observed.error)}, expected ${JSON.stringify(expect.error)}`;
  }
  if (host === 'faasm') {
    const { output, problem } = faasmOutput(expect, returnValue);
    if (problem !== undefined) return problem;
    const got = decoder.decode(observed.output);
    return got === output ? null : `output ${JSON.stringify(got)}, expected ${JSON.stringify(output)}`;
  }
  if (expect.stdout !== undefined && observed.stdout !== expect.stdout) {
    return `stdout ${JSON.stringify(observed.stdout)}, expected ${JSON.stringify(expect.stdout)}`;
  }
  if (expect.stderr !== undefined && observed.stderr !== expect.stderr) {
    return `stderr ${JSON.stringify(observed.stderr)}, expected ${JSON.stringify(expect.stderr)}`;
  }
  if (expect.output !== undefined && decoder.decode(observed.output) !== expect.output) {
    return `output ${JSON.stringify(decoder.decode(observed.output))}, expected ${JSON.stringify(expect.output)}`;
  }
  return null;
}
