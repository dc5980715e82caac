// Every doctest suite runs: the suites of each C++ test binary are listed by hand in CMake (one ctest test
// each, with its own fixtures, locks and environment), so a suite added to a source and not to its list
// would compile and never run. This asks each binary ctest runs for its suites (--list-test-suites) and
// checks that a registered test runs each one (--test-suite=NAME, or the binary without a suite filter).
//   FAASMJS_BUILD_DIR: the build directory; FAASMJS_CTEST: the ctest executable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

const buildDir = process.env.FAASMJS_BUILD_DIR;
const ctest = process.env.FAASMJS_CTEST;
assert.ok(buildDir && ctest, 'set FAASMJS_BUILD_DIR and FAASMJS_CTEST');

const SUITE_ARGUMENT = /^(?:--test-suite=|-ts=)(.+)$/;

// binary → the suites its tests select (null: a test runs it whole).
function registeredSuites() {
  const { tests } = JSON.parse(execFileSync(ctest, ['--test-dir', buildDir, '-N', '--show-only=json-v1'],
    { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const binaries = new Map();
  for (const { command } of tests) {
    if (!command) continue;
    const [binary, ...args] = command;
    // The build's own test executables only (not node, cmake or the ctest of the ASan build).
    if (!binary.startsWith(`${buildDir}/tests/`)) continue;
    const selected = args.map((arg) => SUITE_ARGUMENT.exec(arg)?.[1]).filter(Boolean).flatMap((list) => list.split(','));
    if (selected.length === 0) {
      if (isDoctest(binary)) binaries.set(binary, null);
      continue;
    }
    if (binaries.get(binary) === null) continue;
    const known = binaries.get(binary) ?? new Set();
    for (const suite of selected) known.add(suite);
    binaries.set(binary, known);
  }
  return binaries;
}

function listSuites(binary) {
  const text = execFileSync(binary, ['--list-test-suites'], { encoding: 'utf8', timeout: 30_000 });
  const lines = text.split('\n');
  const rule = /^=+$/;
  const first = lines.findIndex((line) => rule.test(line));
  const last = lines.findIndex((line, i) => i > first && rule.test(line));
  return lines.slice(first + 1, last).filter((line) => line !== '');
}

function isDoctest(binary) {
  try {
    return execFileSync(binary, ['--list-test-suites'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 })
      .startsWith('[doctest] listing all test suites');
  } catch {
    return false;
  }
}

describe('doctest suites', () => {
  const binaries = [...registeredSuites()].filter(([binary]) => isDoctest(binary));

  it('finds the C++ test binaries', () => {
    assert.ok(binaries.length >= 10, `only ${binaries.length} doctest binaries among the registered tests`);
  });

  for (const [binary, selected] of binaries) {
    it(`${binary.slice(buildDir.length + 1)}: every suite it holds runs under a ctest test`, () => {
      if (selected === null) return;
      const missing = listSuites(binary).filter((suite) => !selected.has(suite));
      assert.deepEqual(missing, [], `suites no ctest test runs: ${missing.join(', ')}`);
    });
  }
});
