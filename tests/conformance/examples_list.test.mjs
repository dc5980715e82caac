// The expected outputs of the example functions are one list, examples/functions/README.md's table, read by the
// JavaScript tests through tools/demo/expected.mjs and by the C++ tests through tests/support/expected_outputs.hpp:
// both readings must find the same rows (conformance.examples_list). FAASMJS_EXAMPLES_LIST is the C++ reading's
// printer (examples_list.cpp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { expectedOutputs } from '../../tools/demo/expected.mjs';

const printer = process.env.FAASMJS_EXAMPLES_LIST;
if (!printer) throw new Error('set FAASMJS_EXAMPLES_LIST: run this through ctest');
const readme = fileURLToPath(new URL('../../examples/functions/README.md', import.meta.url));

test('the C++ and the JavaScript reading of the README find the same rows', () => {
  const cxx = execFileSync(printer, [readme], { encoding: 'utf8' }).trim().split('\n').map((line) => JSON.parse(line));
  const js = expectedOutputs().map((row) => [row.function, row.input ?? null, row.returnValue, row.output]);
  assert.ok(js.length >= 10, `only ${js.length} rows`);
  assert.deepEqual(cxx, js);
});
