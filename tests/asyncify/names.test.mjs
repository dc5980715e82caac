// The names a trap's backtrace shows: every function the build made keeps its name section (clang's and
// emcc's optimising wasm-opt would drop it), and faasmjs-asyncify's output names each function as the input
// did, also where Binaryen rewrote the module.
//
// FAASMJS_WASM_DIR: a wasm sub-build's binary directory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const wasmDir = process.env.FAASMJS_WASM_DIR;
assert.ok(wasmDir, 'FAASMJS_WASM_DIR must name a wasm sub-build directory');

const CONTROLS = new Set(['asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind',
                          'asyncify_stop_rewind', 'asyncify_get_state']);
const FUNCTION_EXPORT = 0;
const EXPORT_SECTION = 7;
const FUNCTION_NAMES = 1;

// A binary's function names by index (its name section) and its exported functions' indices by export name.
function namesAndExports(file) {
  const bytes = fs.readFileSync(file);
  let at = 8;
  const u32 = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  const name = () => {
    const length = u32();
    at += length;
    return bytes.subarray(at - length, at).toString('utf8');
  };
  const names = new Map();
  const exports = new Map();
  while (at < bytes.length) {
    const id = bytes[at++];
    const end = u32() + at;
    if (id === EXPORT_SECTION) {
      for (let count = u32(); count > 0; count--) {
        const exported = name();
        const kind = bytes[at++];
        const index = u32();
        if (kind === FUNCTION_EXPORT) exports.set(exported, index);
      }
    } else if (id === 0 && name() === 'name') {
      while (at < end) {
        const subsection = bytes[at++];
        const subsectionEnd = u32() + at;
        if (subsection === FUNCTION_NAMES) {
          for (let count = u32(); count > 0; count--) {
            const index = u32();
            names.set(index, name());
          }
        }
        at = subsectionEnd;
      }
    }
    at = end;
  }
  return { names, exports };
}

const binaries = ['examples/functions', 'tests/asyncify/functions', 'tests/js/runtime/functions'].flatMap((dir) =>
  fs.readdirSync(path.join(wasmDir, dir)).filter((file) => file.endsWith('.async.wasm'))
    .map((file) => ({ dir: path.join(wasmDir, dir), name: file.slice(0, -'.async.wasm'.length) })));

describe(`function names (${path.basename(wasmDir)})`, () => {
  it('covers functions that went through Binaryen', () => {
    const transformed = binaries.filter(({ dir, name }) =>
      !fs.readFileSync(path.join(dir, `${name}.wasm`)).equals(fs.readFileSync(path.join(dir, `${name}.async.wasm`))));
    assert.ok(transformed.length >= 5, `only ${transformed.length} of ${binaries.length} binaries were transformed`);
  });

  for (const { dir, name } of binaries) {
    it(`${name}: the plain binary names its functions, and the asyncified one names them alike`, () => {
      const plain = namesAndExports(path.join(dir, `${name}.wasm`));
      const async = namesAndExports(path.join(dir, `${name}.async.wasm`));
      assert.ok(plain.names.size > 0, `${name}.wasm has no function names`);
      assert.ok(plain.exports.has('_start'));
      // Exports anchor the indices: a name shifted by one function would name another one. Binaryen's
      // duplicate function elimination may have merged an exported function into an identical one (free into
      // a destructor that only frees), which then keeps its own name: the export's own name is gone then.
      const given = new Set(async.names.values());
      for (const [exported, index] of plain.exports) {
        const asyncName = async.names.get(async.exports.get(exported));
        if (asyncName !== plain.names.get(index)) {
          assert.ok(!given.has(plain.names.get(index)), `export ${exported} is named "${asyncName}", not "${
            plain.names.get(index)}", which names another function`);
        }
      }
      assert.equal(async.names.get(async.exports.get('_start')), '_start');
      const known = new Set(plain.names.values());
      for (const [index, given] of async.names) {
        if (CONTROLS.has(given) || given.startsWith('indirect call of ')) continue;
        assert.ok(known.has(given), `function ${index} of ${name}.async.wasm is named "${given}", unknown to ${name}.wasm`);
      }
    });
  }
});
