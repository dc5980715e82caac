// The two tables of fault messages are one: every kind of sdk/js/host/faults.js (MESSAGES) has the same words in
// include/faasmjs/detail/fault_messages.hpp (kFaultTemplates), and every C++ kind is the browser's or marked
// native_only. Both are rendered with each field's value being its own name in braces, so a field spelled
// differently, or a word changed on one side, fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { HostFault } from '../../sdk/js/host/faults.js';

const header = fs.readFileSync(new URL('../../include/faasmjs/detail/fault_messages.hpp', import.meta.url), 'utf8');
const table = header.slice(header.indexOf('kFaultTemplates[] = {'), header.indexOf('};', header.indexOf('kFaultTemplates[] = {')));
// {"kind", "text" "more text", native_only}: adjacent C++ string literals join.
const ENTRY = /\{\s*"(\w+)",\s*((?:"(?:[^"\\]|\\.)*"\s*)+),\s*(true|false)\s*\}/g;
const cxx = new Map([...table.matchAll(ENTRY)].map(([, kind, literals, nativeOnly]) => [kind, {
  text: [...literals.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(([, body]) => body.replace(/\\(.)/g, '$1')).join(''),
  nativeOnly: nativeOnly === 'true',
}]));

// Renders a JS message with every field it reads answered by "{field}".
function jsTemplate(kind) {
  const fields = new Proxy({}, { get: (_, name) => (typeof name === 'string' ? `{${name}}` : undefined) });
  return new HostFault('call', kind, fields).message.slice('call: '.length);
}

test('the C++ table parses', () => {
  assert.ok(cxx.size >= 20, `only ${cxx.size} entries parsed from fault_messages.hpp`);
});

test('every kind of the browser has the same words in C++', () => {
  const source = fs.readFileSync(new URL('../../sdk/js/host/faults.js', import.meta.url), 'utf8');
  const jsKinds = [...source.slice(source.indexOf('const MESSAGES'), source.indexOf('});')).matchAll(/^ {2}(\w+):/gm)]
    .map(([, kind]) => kind);
  assert.ok(jsKinds.length >= 20, `only ${jsKinds.length} kinds found in faults.js`);
  for (const kind of jsKinds) {
    assert.ok(cxx.has(kind), `fault kind '${kind}' of faults.js is missing from fault_messages.hpp`);
    assert.equal(cxx.get(kind).nativeOnly, false, `'${kind}' is the browser's too: it cannot be native_only`);
    assert.equal(cxx.get(kind).text, jsTemplate(kind), `fault kind '${kind}'`);
  }
  for (const [kind, { nativeOnly }] of cxx) {
    assert.ok(nativeOnly || jsKinds.includes(kind), `fault kind '${kind}' of fault_messages.hpp is not in faults.js nor native_only`);
  }
});
