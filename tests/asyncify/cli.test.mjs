// faasmjs-asyncify as a command: every bad input, bad option and unwritable output is one line on stderr
// naming the culprit and exit status 2, never an abort or a crash; and the flags do what --help says.
//
// FAASMJS_ASYNCIFY: the faasmjs-asyncify executable. WAT2WASM: wabt's wat2wasm.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { WASM_HEADER, leb, name, section } from '../support/wasm-bytes.mjs';

const tool = process.env.FAASMJS_ASYNCIFY;
const wat2wasm = process.env.WAT2WASM ?? 'wat2wasm';
assert.ok(tool, 'FAASMJS_ASYNCIFY must name the faasmjs-asyncify executable');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-cli-'));
const scratchPath = (name) => path.join(scratch, name);

function assemble(name, wat, features = []) {
  const source = scratchPath(`${name}.wat`);
  const binary = scratchPath(`${name}.wasm`);
  fs.writeFileSync(source, wat);
  execFileSync(wat2wasm, [...features, source, '-o', binary]);
  return binary;
}

const faasmFunction = (body, extra = '') => `(module
  (import "env" "__faasm_await_call" (func $await (param i32) (result i32)))
  (memory (export "memory") 1)
  ${extra}
  (func $start (export "_start") ${body}))`;

const valid = assemble('valid', faasmFunction('(drop (call $await (i32.const 1)))'));

const run = (...args) => spawnSync(tool, args, { encoding: 'utf8' });

// Bytes from a fixed-seed generator, so that a failure reproduces.
function pseudoRandomBytes(count, seed) {
  const bytes = new Uint8Array(count);
  let state = seed;
  for (let i = 0; i < count; i += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

function assertOneLineError(result, culprit, pattern) {
  assert.equal(result.signal, null, `killed by ${result.signal}`);
  assert.equal(result.status, 2, `exit status ${result.status}; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n');
  assert.equal(lines.length, 2, `not one line: ${JSON.stringify(result.stderr)}`);
  assert.equal(lines[1], '');
  assert.match(lines[0], /^faasmjs-asyncify: error: /);
  if (culprit) assert.ok(lines[0].includes(culprit), `${JSON.stringify(lines[0])} does not name ${culprit}`);
  if (pattern) assert.match(lines[0], pattern);
}

describe('faasmjs-asyncify rejects bad input with one line and exit status 2', () => {
  const badInputs = {
    'a missing file': () => scratchPath('missing.wasm'),
    'a directory': () => scratch,
    'an empty file': () => {
      fs.writeFileSync(scratchPath('empty.wasm'), '');
      return scratchPath('empty.wasm');
    },
    'random bytes': () => {
      fs.writeFileSync(scratchPath('random.wasm'), pseudoRandomBytes(4096, 1));
      return scratchPath('random.wasm');
    },
    'random bytes after a wasm header': () => {
      const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
      fs.writeFileSync(scratchPath('header.wasm'), Buffer.concat([Buffer.from(header), pseudoRandomBytes(4096, 2)]));
      return scratchPath('header.wasm');
    },
    'a wasm module without _start': () => assemble('no_start', '(module (memory (export "memory") 1))'),
    'a wasm module without an exported memory': () => assemble('no_memory', '(module (func (export "_start")))'),
    'a module importing from "asyncify"': () => assemble('reserved', `(module
      (import "asyncify" "start_unwind" (func $unwind (param i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $unwind (i32.const 0))))`),
    'a blocking function that makes a tail call': () => assemble('tail_call', faasmFunction(
      '(drop (call $wrapper (i32.const 0)))',
      '(func $wrapper (param i32) (result i32) (return_call $await (local.get 0)))'), ['--enable-tail-call']),
    'a module wabt accepts but libbinaryen 108 cannot read (two memories)': () => assemble('two_memories',
      faasmFunction('(drop (call $await (i32.load $second (i32.const 0))))', '(memory $second 1)'),
      ['--enable-multi-memory']),
  };
  for (const [what, make] of Object.entries(badInputs)) {
    it(what, () => {
      const input = make();
      const output = scratchPath('never-written.wasm');
      assertOneLineError(run(input, '-o', output), input);
      assert.ok(!fs.existsSync(output), 'wrote an output');
    });
  }

  it('an already asyncified module', () => {
    const once = scratchPath('once.async.wasm');
    assert.equal(run(valid, '-o', once).status, 0);
    assertOneLineError(run(once, '-o', scratchPath('twice.wasm')), once, /already asyncified/);
  });

  it('every truncation of a valid function', () => {
    const bytes = fs.readFileSync(valid);
    const truncated = scratchPath('truncated.wasm');
    for (let length = 1; length < bytes.length; length += 1) {
      fs.writeFileSync(truncated, bytes.subarray(0, length));
      assertOneLineError(run(truncated, '-o', scratchPath('truncated.out.wasm')), truncated);
    }
  });

  it('single-byte corruptions of a valid function: a clean result or a clean error, never a crash', () => {
    const bytes = fs.readFileSync(valid);
    const corrupt = scratchPath('corrupt.wasm');
    const noise = pseudoRandomBytes(2 * 150, 3);
    for (let i = 0; i < 150; i += 1) {
      const mutated = Buffer.from(bytes);
      mutated[noise[2 * i] % mutated.length] ^= noise[2 * i + 1] | 1;
      fs.writeFileSync(corrupt, mutated);
      const result = run(corrupt, '-o', scratchPath('corrupt.out.wasm'));
      if (result.status !== 0) assertOneLineError(result, corrupt);
    }
  });

  it('an output path that cannot be written', () => {
    const output = path.join(valid, 'out.wasm');
    assertOneLineError(run(valid, '-o', output), output);
  });

  it('a manifest path that cannot be written', () => {
    const manifest = path.join(valid, 'out.json');
    assertOneLineError(run(valid, '-o', scratchPath('ok.wasm'), '--manifest', manifest), manifest);
  });
});

// A function whose _start nests `depth` blocks around its call to __faasm_await_call, in binary form
// (wat2wasm itself overflows its stack on such text).
function nestedBlocks(depth) {
  const body = [0, ...new Array(depth).fill([0x02, 0x40]).flat(), 0x41, 1, 0x10, 0, 0x1a, ...new Array(depth + 1).fill(0x0b)];
  return Buffer.from([
    ...WASM_HEADER,
    ...section(1, [2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 0, 0]),
    ...section(2, [1, ...name('env'), ...name('__faasm_await_call'), 0, 0]),
    ...section(3, [1, 1]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...name('memory'), 2, 0, ...name('_start'), 0, 1]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

describe('faasmjs-asyncify refuses valid modules it cannot transform with one line naming what', () => {
  const refused = {
    'memory64': [() => assemble('memory64', faasmFunction('(drop (call $await (i32.const 1)))')
      .replace('(memory (export "memory") 1)', '(memory (export "memory") i64 1)'), ['--enable-memory64']),
      /memory64 is not supported$/],
    'multiple memories': [() => assemble('two_memories_named',
      faasmFunction('(drop (call $await (i32.load $second (i32.const 0))))', '(memory $second 1)'),
      ['--enable-multi-memory']), /multiple memories is not supported$/],
    'exception handling': [() => assemble('exceptions', faasmFunction(
      '(try (do (drop (call $await (i32.const 1)))) (catch $oops))', '(tag $oops)'), ['--enable-exceptions']),
      /exception handling is not supported$/],
    'relaxed SIMD': [() => assemble('relaxed_simd', faasmFunction(
      '(drop (i32x4.relaxed_trunc_f32x4_s (v128.const i32x4 0 0 0 0))) (drop (call $await (i32.const 1)))'),
      ['--enable-relaxed-simd']), /relaxed SIMD is not supported$/],
    // Found by fuzz.asyncify_input: a call_ref on an i32, on which wabt 1.0.32's validator asserted.
    'typed function references (a mutated module that made wabt abort)': [
      () => new URL('../fuzz/corpus/asyncify_input/regression-call-ref-validator-assert.wasm', import.meta.url).pathname,
      /typed function references is not supported$/],
    'an element segment at a negative offset': [() => assemble('negative_elem', faasmFunction(
      '(call $blocks)', '(table 2 funcref) (elem (i32.const -1) $blocks) (func $blocks (drop (call $await (i32.const 1))))')),
      /element segment 0 puts 1 function at offset -1 of table 0, which has 2 entries/],
  };
  for (const depth of [20000, 300000]) {
    refused[`${depth} nested blocks`] = [() => {
      fs.writeFileSync(scratchPath(`nested_${depth}.wasm`), nestedBlocks(depth));
      return scratchPath(`nested_${depth}.wasm`);
    }, /function 1 nests blocks more than 10000 deep/];
  }
  for (const [what, [make, pattern]] of Object.entries(refused)) {
    it(what, () => {
      const input = make();
      const output = scratchPath('never-written.wasm');
      assertOneLineError(run(input, '-o', output), input, pattern);
      assert.ok(!fs.existsSync(output), 'wrote an output');
    });
  }

  it('10000 nested blocks, the limit, are transformed', () => {
    const input = scratchPath('nested_10000.wasm');
    fs.writeFileSync(input, nestedBlocks(10000));
    const result = run(input, '-o', scratchPath('nested_10000.async.wasm'));
    assert.equal(result.status, 0, result.stderr);
  });
});

describe('faasmjs-asyncify rejects bad options with one line and exit status 2', () => {
  const cases = [
    [['--frobnicate', valid], '--frobnicate'],
    [[valid, '--output'], '--output'],
    [[valid, '--verbose=yes'], '--verbose'],
    [[valid, valid], valid],
    [[], 'no input file'],
    [[`@${scratchPath('no-such-response-file')}`], 'no-such-response-file'],
  ];
  for (const [args, culprit] of cases) {
    it(args.join(' ') || '(no arguments)', () => assertOneLineError(run(...args), culprit));
  }
});

describe('faasmjs-asyncify flags', () => {
  it('--version and -V print the version', () => {
    for (const flag of ['--version', '-V']) {
      const result = run(flag);
      assert.equal(result.status, 0);
      assert.match(result.stdout, /^faasmjs-asyncify \d+\.\d+\.\d+\n$/);
    }
  });

  it('-h is --help', () => {
    assert.equal(run('-h').stdout, run('--help').stdout);
  });

  it('names the output INPUT.async.wasm by default', () => {
    const input = scratchPath('default_name.wasm');
    fs.copyFileSync(valid, input);
    assert.equal(run(input).status, 0);
    assert.ok(fs.existsSync(scratchPath('default_name.async.wasm')));
  });

  it('reads arguments from @response files, quotes and nesting included', () => {
    const output = scratchPath('from response/out.wasm');
    fs.mkdirSync(path.dirname(output), { recursive: true });
    fs.writeFileSync(scratchPath('inner.rsp'), `--output '${output}'\n`);
    fs.writeFileSync(scratchPath('outer.rsp'), `"${valid}" @${scratchPath('inner.rsp')} -m ${scratchPath('rsp.json')}`);
    const result = run(`@${scratchPath('outer.rsp')}`);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(fs.existsSync(output));
    assert.ok(fs.existsSync(scratchPath('rsp.json')));
  });

  it('refuses a response file that includes itself', () => {
    fs.writeFileSync(scratchPath('loop.rsp'), `@${scratchPath('loop.rsp')}`);
    assertOneLineError(run(`@${scratchPath('loop.rsp')}`), 'loop.rsp', /nested/);
  });
});

describe('faasmjs-asyncify output', () => {
  const exportNames = (file) => WebAssembly.Module.exports(new WebAssembly.Module(fs.readFileSync(file)))
    .map(({ name }) => name);
  const controls = ['asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind', 'asyncify_stop_rewind',
                    'asyncify_get_state'];

  it('exports the asyncify controls and the function table when a blocking import is used', () => {
    const input = assemble('unexported_table', faasmFunction('(drop (call $await (i32.const 1)))',
                                                              '(table 1 funcref) (elem (i32.const 0) func $start)'));
    const output = scratchPath('unexported_table.async.wasm');
    assert.equal(run(input, '-o', output).status, 0);
    const names = exportNames(output);
    for (const name of [...controls, '__indirect_function_table', '_start', 'memory']) assert.ok(names.includes(name), name);
  });

  it('only adds the table export when no blocking import is used', () => {
    const input = assemble('nothing_blocks', `(module
      (memory (export "memory") 1) (table 1 funcref) (elem (i32.const 0) func $start)
      (func $start (export "_start")))`);
    const output = scratchPath('nothing_blocks.async.wasm');
    assert.equal(run(input, '-o', output).status, 0);
    assert.deepEqual(exportNames(output), [...exportNames(input), '__indirect_function_table']);
    const before = fs.readFileSync(input);
    const after = fs.readFileSync(output);
    assert.equal(after.length, before.length + 1 + '__indirect_function_table'.length + 2);
  });
});
