// The cases of the conformance suite, as data (cases/*.json, format in ../README.md), turned into the
// driver's scripts (driver/conformance_driver.c) and into what every host must answer; and the check of a
// host's answer against them. Every runner uses this module, so that one reading of the data exists.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFORMANCE_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const HOSTS = Object.freeze(['node', 'chromium-jspi', 'chromium-asyncify', 'native', 'worker', 'faasm']);

const encoder = new TextEncoder();
const hex = (bytes) => Buffer.from(bytes).toString('hex');

/** A case's byte string: text (UTF-8) or { hex }. */
export function bytesOf(value, where) {
  if (typeof value === 'string') return encoder.encode(value);
  if (value !== null && typeof value === 'object' && typeof value.hex === 'string') return Buffer.from(value.hex, 'hex');
  throw new Error(`${where}: expected a string or { "hex": ... }, got ${JSON.stringify(value)}`);
}

const isExpectation = (value) => value !== null && typeof value === 'object' && !Array.isArray(value)
  && Object.keys(value).length > 0 && Object.keys(value).every((k) => k === 'r' || k === 'b');

/** A step [verb, ...args, expectation?] split into its parts. */
function partsOf(step, where) {
  if (!Array.isArray(step) || typeof step[0] !== 'string') throw new Error(`${where}: a step is [verb, ...args]`);
  const last = step[step.length - 1];
  const expect = step.length > 1 && isExpectation(last) ? last : null;
  return { verb: step[0], args: step.slice(1, expect ? -1 : undefined), expect };
}

function argToken(arg, where) {
  if (typeof arg === 'number') {
    if (!Number.isInteger(arg)) throw new Error(`${where}: ${arg} is not an integer`);
    return String(arg);
  }
  if (arg !== null && typeof arg === 'object' && Array.isArray(arg.script)) return `x${hex(scriptOf(arg.script, where))}`;
  return `x${hex(bytesOf(arg, where))}`;
}

/** The driver's input for these steps. */
export function scriptOf(steps, where) {
  const lines = steps.map((step, i) => {
    const { verb, args } = partsOf(step, `${where}, step ${i + 1}`);
    return [verb, ...args.map((arg) => argToken(arg, `${where}, step ${i + 1} (${verb})`))].join(' ');
  });
  return encoder.encode(lines.map((line) => `${line}\n`).join(''));
}

/** The log the driver writes for these steps, when each answers as expected. */
export function logOf(steps, where) {
  const slots = new Map();
  const lines = steps.map((step, i) => {
    const { verb, args, expect } = partsOf(step, `${where}, step ${i + 1}`);
    if (verb === 'chain_name' && args[2]?.script) slots.set(args[0], args[2].script);
    if (expect === null) return 'ok';
    const fields = [];
    if (expect.r !== undefined) fields.push(`r=${expect.r}`);
    if (expect.b !== undefined) {
      const b = expect.b;
      const bytes = b !== null && typeof b === 'object' && b.log !== undefined
        ? encoder.encode(logOf(slots.get(b.log) ?? [], `${where}, the script of slot ${b.log}`))
        : bytesOf(b, `${where}, step ${i + 1}`);
      fields.push(`b=${hex(bytes)}`);
    }
    return fields.join(' ');
  });
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * What one call of a case must give on `host`: { returnValue, output (bytes) | undefined, fault | undefined,
 * error (RegExp) | undefined }, with the host's documented difference applied (differs.HOST.calls[i]).
 */
export function expectedCall(testCase, index, host) {
  const call = testCase.calls[index];
  const where = `${testCase.name}, call ${index + 1}`;
  const expected = call.fault !== undefined ? { returnValue: 1, fault: call.fault }
    : call.error !== undefined ? { returnValue: call.returnValue ?? 1, error: new RegExp(call.error) }
    : { returnValue: call.returnValue ?? 0,
        output: call.output !== undefined ? bytesOf(call.output, where) : encoder.encode(logOf(call.steps, where)) };
  const override = testCase.differs?.[host]?.calls?.[index];
  if (override === undefined) return expected;
  const changed = { ...expected };
  if (override.returnValue !== undefined) changed.returnValue = override.returnValue;
  if (override.output !== undefined) { changed.output = bytesOf(override.output, where); delete changed.fault; }
  if (override.error !== undefined) { changed.error = new RegExp(override.error); delete changed.fault; delete changed.output; }
  return changed;
}

// A WASI errno row [call, args, errno] as a case of one step (the driver's `wasi` verb). The file's
// "unsupported" holds for every row; each of its "unsupportedRows" ({ hosts | builds, calls?, fd?, why }) for the
// rows of those calls (all without "calls") whose first argument is that descriptor (any without "fd"); each of
// its "differentRows" ({ hosts, calls?, fd?, errno, why }) is what those hosts answer instead, and why.
function rowCase([call, args, errno], file) {
  const unsupported = { ...file.unsupported };
  const unsupportedBuild = {};
  for (const { hosts = [], builds = [], calls, fd, why } of file.unsupportedRows ?? []) {
    if ((calls !== undefined && !calls.includes(call)) || (fd !== undefined && args[0] !== fd)) continue;
    for (const host of hosts) unsupported[host] = why;
    for (const build of builds) unsupportedBuild[build] = why;
  }
  const differs = {};
  for (const { hosts, calls, fd, errno: answered, why } of file.differentRows ?? []) {
    if ((calls !== undefined && !calls.includes(call)) || (fd !== undefined && args[0] !== fd)) continue;
    for (const host of hosts) differs[host] = { why, calls: [{ output: `r=${answered}\n` }] };
  }
  return {
    name: `${call}(${args.map((arg) => JSON.stringify(arg)).join(', ')}) answers errno ${errno}`,
    calls: [{ steps: [['wasi', call, ...args, { r: errno }]] }],
    unsupported,
    unsupportedBuild,
    differs,
  };
}

/** Every case of cases/*.json (a file of "cases", or of WASI "rows"), each with its area (the file's name). */
export function loadCases(dir = path.join(CONFORMANCE_DIR, 'cases')) {
  const cases = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const area = path.basename(file, '.json');
    const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    for (const testCase of data.cases ?? data.rows.map((row) => rowCase(row, data))) {
      const where = `${file}: ${testCase.name}`;
      for (const host of Object.keys({ ...testCase.unsupported, ...testCase.differs })) {
        if (!HOSTS.includes(host)) throw new Error(`${where}: unknown host '${host}' (hosts: ${HOSTS.join(', ')})`);
      }
      for (const [host, difference] of Object.entries(testCase.differs ?? {})) {
        if (typeof difference.why !== 'string') throw new Error(`${where}: differs.${host} needs a "why"`);
      }
      cases.push({ ...testCase, area, id: `${area}: ${testCase.name}` });
    }
  }
  return cases;
}

/**
 * A call's answer, { returnValue, output: Uint8Array, fault: string | null, error: string | null } (fault: the
 * "call: message" of the host fault that ended it), against what was expected; null when they agree, else the
 * difference in one line.
 */
export function mismatch(expected, observed) {
  const text = (bytes) => JSON.stringify(Buffer.from(bytes).toString('utf8'));
  if (observed.returnValue !== expected.returnValue) {
    return `return value ${observed.returnValue}, expected ${expected.returnValue}`
      + ` (output ${text(observed.output)}, error ${JSON.stringify(observed.error)})`;
  }
  if (expected.fault !== undefined && observed.fault !== expected.fault) {
    return `fault ${JSON.stringify(observed.fault)}, expected ${JSON.stringify(expected.fault)}`
      + (observed.fault === null ? ` (error ${JSON.stringify(observed.error)})` : '');
  }
  if (expected.error !== undefined && !expected.error.test(observed.error ?? '')) {
    return `error ${JSON.stringify(observed.error)}, expected to match ${expected.error}`;
  }
  if (expected.output !== undefined && Buffer.compare(Buffer.from(observed.output), Buffer.from(expected.output)) !== 0) {
    return `output ${text(observed.output)}, expected ${text(expected.output)}`;
  }
  return null;
}
