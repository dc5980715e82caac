// The manifests the build wrote next to each transformed function: the blocking imports found, a small
// instrumented set that leaves pure compute alone, sizes that match the files, and the Asyncify contract the
// browser runtime relies on.
//
// FAASMJS_WASM_DIR: a wasm sub-build's binary directory. FAASMJS_ASYNCIFY: the faasmjs-asyncify executable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const wasmDir = process.env.FAASMJS_WASM_DIR;
const tool = process.env.FAASMJS_ASYNCIFY;
assert.ok(wasmDir, 'FAASMJS_WASM_DIR must name a wasm sub-build directory');
assert.ok(tool, 'FAASMJS_ASYNCIFY must name the faasmjs-asyncify executable');

const functionsDir = path.join(wasmDir, 'tests/asyncify/functions');
const controls = ['asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind', 'asyncify_stop_rewind',
                  'asyncify_get_state'];
const blockingImports = {
  direct_call: ['__faasm_await_call'],
  virtual_call: ['__faasm_await_call'],
  function_pointer: ['__faasm_await_call'],
  std_function: ['__faasm_await_call'],
  nested_suspensions: ['__faasm_await_call'],
  shadow_stack: ['__faasm_await_call_output', '__faasm_read_state'],
  compute_and_block: ['__faasm_await_call'],
  no_blocking: [],
};
// A few frames at most lie between an entry point and a blocking call in these functions.
const MAX_INSTRUMENTED = 8;
// The functions whose blocking call is behind a virtual call, a function pointer or a std::function: their
// callers reach it only through an indirect call. The others call their way down directly.
const THROUGH_INDIRECT_CALLS = ['virtual_call', 'function_pointer', 'std_function'];

const readManifest = (dir, name) => JSON.parse(fs.readFileSync(path.join(dir, `${name}.manifest.json`), 'utf8'));
const exportNames = (file) => WebAssembly.Module.exports(new WebAssembly.Module(fs.readFileSync(file)))
  .map(({ name }) => name);

function checkConsistent(dir, name, manifest) {
  assert.equal(manifest.manifestVersion, 1);
  assert.equal(manifest.function, name);
  assert.equal(manifest.input.bytes, fs.statSync(path.join(dir, `${name}.wasm`)).size);
  assert.equal(manifest.input.sha256, createHash('sha256').update(fs.readFileSync(path.join(dir, `${name}.wasm`))).digest('hex'));
  assert.equal(manifest.output.bytes, fs.statSync(path.join(dir, `${name}.async.wasm`)).size);
  for (const blocking of manifest.blockingImports) assert.ok(manifest.faasmImports.includes(blocking), blocking);
  assert.ok(manifest.instrumentedFunctions <= manifest.definedFunctions);
  assert.ok(manifest.instrumentedOnlyThroughIndirectCalls <= manifest.instrumentedFunctions);
  assert.equal(manifest.asyncified, manifest.instrumentedFunctions > 0);
  const exported = exportNames(path.join(dir, `${name}.async.wasm`));
  assert.ok(exported.includes('__indirect_function_table'));
  assert.equal(manifest.tableExport, '__indirect_function_table');
  if (manifest.asyncified) {
    assert.deepEqual(manifest.asyncify.exports, controls);
    assert.deepEqual(manifest.asyncify.states, { normal: 0, unwinding: 1, rewinding: 2 });
    assert.deepEqual(manifest.asyncify.dataHeader.map(({ field, offset }) => [field, offset]),
                     [['current', 0], ['end', 4]]);
    for (const name of controls) assert.ok(exported.includes(name), name);
  } else {
    assert.equal(manifest.asyncify, null);
  }
}

describe(`manifests of ${path.basename(wasmDir)}`, () => {
  for (const [name, expected] of Object.entries(blockingImports)) {
    it(`${name}: blocking imports found, few functions instrumented`, () => {
      const manifest = readManifest(functionsDir, name);
      checkConsistent(functionsDir, name, manifest);
      assert.deepEqual(manifest.blockingImports, expected);
      if (expected.length === 0) {
        assert.equal(manifest.instrumentedFunctions, 0);
      } else {
        assert.ok(manifest.instrumentedFunctions >= 1);
        assert.ok(manifest.instrumentedFunctions <= MAX_INSTRUMENTED,
                  `${manifest.instrumentedFunctions} of ${manifest.definedFunctions} functions instrumented`);
      }
      const throughIndirect = manifest.instrumentedOnlyThroughIndirectCalls;
      if (THROUGH_INDIRECT_CALLS.includes(name)) {
        // The entry and the caller of the indirect call; the target itself calls the import directly.
        assert.ok(throughIndirect >= 1 && throughIndirect < manifest.instrumentedFunctions, `${throughIndirect}`);
      } else {
        assert.equal(throughIndirect, 0);
      }
    });
  }

  it('compute_and_block: the pure compute function is not instrumented', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-manifest-'));
    const manifestFile = path.join(scratch, 'verbose.json');
    const result = spawnSync(tool, [path.join(functionsDir, 'compute_and_block.wasm'), '--verbose',
                                    '-o', path.join(scratch, 'out.wasm'), '--manifest', manifestFile],
                             { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const { instrumented, instrumentedFunctions } = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    assert.equal(instrumented.length, instrumentedFunctions);
    assert.ok(instrumented.includes('_start'), instrumented.join(', '));
    assert.ok(!instrumented.includes('pure_compute'), instrumented.join(', '));
    assert.match(result.stdout, /_start: _start( -\S*> \S+)* -> env\.__faasm_await_call\n/);
  });

  it('no_blocking: the output is the input', () => {
    assert.deepEqual(fs.readFileSync(path.join(functionsDir, 'no_blocking.async.wasm')),
                     fs.readFileSync(path.join(functionsDir, 'no_blocking.wasm')));
  });

  const examplesDir = path.join(wasmDir, 'examples/functions');
  const examples = fs.existsSync(examplesDir)
    ? fs.readdirSync(examplesDir).filter((file) => file.endsWith('.manifest.json'))
    : [];
  for (const file of examples) {
    const name = file.replace(/\.manifest\.json$/, '');
    it(`example ${name}: manifest matches its files`, () => {
      checkConsistent(examplesDir, name, readManifest(examplesDir, name));
    });
  }
});
