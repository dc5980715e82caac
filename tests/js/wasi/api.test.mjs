// The embedder's side: options, binding memory, running a command, capturing stdout/stderr, stdin, and the
// promise that misuse throws a TypeError naming the argument. Also checks the package's declarations.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as wasiModule from '../../../sdk/js/wasi/index.js';
import { ERRNO, Guest } from './guest.mjs';

const { Wasi, ProcExit, MemoryFileSystem } = wasiModule;
const sdkDir = path.join(path.dirname(new URL(import.meta.url).pathname), '../../../sdk/js');

/** A minimal WASI command whose `_start` body is `body` (it may call import 0, proc_exit). */
function command(body) {
  const bytes = (text) => [text.length, ...new TextEncoder().encode(text)];
  const section = (id, contents) => {
    assert.ok(contents.length < 128);
    return [id, contents.length, ...contents];
  };
  const code = [0, ...body, 0x0b];
  return new WebAssembly.Module(new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [2, 0x60, 1, 0x7f, 0, 0x60, 0, 0]),
    ...section(2, [1, ...bytes('wasi_snapshot_preview1'), ...bytes('proc_exit'), 0x00, 0]),
    ...section(3, [1, 1]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...bytes('memory'), 0x02, 0, ...bytes('_start'), 0x00, 1]),
    ...section(10, [1, code.length, ...code]),
  ]));
}
const EXIT_7 = [0x41, 7, 0x10, 0];
const UNREACHABLE = [0x00];

function run(body, options) {
  const wasi = new Wasi(options);
  const instance = new WebAssembly.Instance(command(body), { wasi_snapshot_preview1: wasi.imports });
  return { wasi, code: wasi.start(instance) };
}

describe('options', () => {
  const rejects = [
    [null, /options must be an object/],
    [{ argv: [] }, /unknown option argv/],
    [{ args: 'a b' }, /args must be an array of strings/],
    [{ args: [1] }, /args must be an array of strings/],
    [{ args: ['a\0b'] }, /args must not contain NUL/],
    [{ env: [] }, /env must be an object/],
    [{ env: null }, /env must be an object/],
    [{ env: { A: 1 } }, /env\.A must be a string/],
    [{ env: { 'A=B': 'c' } }, /env\.A=B/],
    [{ stdin: [1, 2] }, /stdin must be a Uint8Array or a string/],
    [{ files: 'x' }, /files must be an object/],
    [{ fs: {} }, /fs must be a MemoryFileSystem/],
    [{ onStdout: 'console.log' }, /onStdout must be a function/],
    [{ onStderr: 1 }, /onStderr must be a function/],
    [{ trace: 'yes' }, /trace must be a boolean or a function/],
  ];
  for (const [options, message] of rejects) {
    it(`rejects ${JSON.stringify(options)} with a TypeError`, () => {
      assert.throws(() => new Wasi(options), { name: 'TypeError', message });
    });
  }
});

describe('binding memory', () => {
  it('needs a Memory or an Instance exporting one', () => {
    const wasi = new Wasi();
    assert.throws(() => wasi.bind({}), { name: 'TypeError', message: /target must be a WebAssembly\.Memory/ });
    assert.throws(() => wasi.bind(new WebAssembly.Instance(new WebAssembly.Module(
      new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])))), { name: 'TypeError' });
    const memory = new WebAssembly.Memory({ initial: 1 });
    assert.equal(wasi.bind(memory), wasi);
  });

  it('a call before bind throws instead of returning an errno', () => {
    const wasi = new Wasi();
    assert.throws(() => wasi.imports.fd_write(1, 0, 0, 0), { message: /call bind/ });
    assert.equal(wasi.imports.sched_yield(), ERRNO.SUCCESS, 'calls that touch no memory work');
  });

  it('sees memory that grew after binding', () => {
    const g = new Guest();
    const out = 65536 + 16;
    assert.equal(g.call.clock_time_get(0, 0n, out), ERRNO.FAULT);
    g.memory.grow(1);
    assert.equal(g.call.clock_time_get(0, 0n, out), ERRNO.SUCCESS);
    assert.ok(g.u64(out) > 0n);
  });
});

describe('start', () => {
  it('returns 0 when _start returns, and the proc_exit code otherwise', () => {
    assert.equal(run([]).code, 0);
    const { wasi, code } = run(EXIT_7);
    assert.equal(code, 7);
    assert.equal(wasi.exitCode, 7);
  });

  it('lets a trap through', () => {
    assert.throws(() => run(UNREACHABLE), WebAssembly.RuntimeError);
  });

  it('refuses what is not a command instance', () => {
    const wasi = new Wasi();
    assert.throws(() => wasi.start({}), { name: 'TypeError', message: /instance must be/ });
  });

  it('ProcExit is an Error, not a string', () => {
    const error = new ProcExit(3);
    assert.ok(error instanceof Error);
    assert.equal(error.code, 3);
    assert.match(error.message, /exit code 3/);
  });
});

describe('stdout and stderr', () => {
  it('capture the bytes of each stream separately', () => {
    const g = new Guest();
    g.write(1, 'out ', 'put\n');
    g.write(2, 'err\n');
    g.write(1, 'more');
    assert.equal(new TextDecoder().decode(g.wasi.stdout), 'out put\nmore');
    assert.equal(new TextDecoder().decode(g.wasi.stderr), 'err\n');
  });

  it('hand complete lines to the callbacks, even when UTF-8 is split across writes', () => {
    const out = [];
    const err = [];
    const g = new Guest({ onStdout: (line) => out.push(line), onStderr: (line) => err.push(line) });
    const euro = new TextEncoder().encode('€');
    g.write(1, 'a\nb', euro.subarray(0, 1));
    assert.deepEqual(out, ['a']);
    g.write(1, euro.subarray(1), '\n\nlast');
    g.write(2, 'e1\n');
    assert.deepEqual(out, ['a', 'b€', '']);
    g.wasi.flush();
    assert.deepEqual(out, ['a', 'b€', '', 'last']);
    assert.deepEqual(err, ['e1']);
    g.wasi.flush();
    assert.equal(out.length, 4, 'flush emits a partial line once');
  });

  it('keep large outputs whole', () => {
    const g = new Guest();
    const chunk = 'x'.repeat(1000);
    for (let i = 0; i < 50; i++) g.write(1, chunk);
    assert.equal(g.wasi.stdout.length, 50_000);
  });

  it('look like a terminal to libc: a character device without seek or tell', () => {
    const g = new Guest();
    for (const fd of [0, 1, 2]) {
      const stat = g.fdstat(fd);
      assert.equal(stat.filetype, wasiModule.defs.FILETYPE.CHARACTER_DEVICE);
      assert.equal(stat.rightsBase & (wasiModule.defs.RIGHTS.FD_SEEK | wasiModule.defs.RIGHTS.FD_TELL), 0n);
    }
    assert.equal(g.fstat(1).filetype, wasiModule.defs.FILETYPE.CHARACTER_DEVICE);
  });
});

describe('stdin', () => {
  it('is empty by default', () => {
    assert.deepEqual(new Guest().read(0, 8), { errno: ERRNO.SUCCESS, count: 0, text: '' });
  });

  it('reads the given string or bytes, then end of file', () => {
    const g = new Guest({ stdin: 'hello' });
    assert.equal(g.read(0, 2, 2).text, 'hell');
    assert.equal(g.read(0, 8).text, 'o');
    assert.equal(g.read(0, 8).count, 0);
    assert.equal(new Guest({ stdin: new Uint8Array([104, 105]) }).read(0, 8).text, 'hi');
  });
});

describe('package', () => {
  const declared = (file) => {
    const text = fs.readFileSync(path.join(sdkDir, 'wasi', file), 'utf8');
    const names = new Set();
    for (const [, list] of text.matchAll(/export \{([^}]*)\}/g)) {
      for (const name of list.split(',')) names.add(name.trim());
    }
    for (const [, name] of text.matchAll(/export \* as (\w+)/g)) names.add(name);
    return names;
  };

  it('declares every runtime export of faasmjs/wasi', () => {
    const names = declared('index.d.ts');
    for (const name of Object.keys(wasiModule)) assert.ok(names.has(name), `${name} missing from index.d.ts`);
  });

  it('declares every constant of the defs module', () => {
    const text = fs.readFileSync(path.join(sdkDir, 'wasi/defs.d.ts'), 'utf8');
    for (const name of Object.keys(wasiModule.defs)) {
      assert.match(text, new RegExp(`export declare (const|function) ${name}\\b`), name);
    }
  });

  it('exports ./wasi with its types first, and only files the package ships', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(sdkDir, 'package.json'), 'utf8'));
    assert.equal(pkg.type, 'module');
    assert.deepEqual(Object.keys(pkg.exports['./wasi']), ['types', 'default']);
    for (const target of Object.values(pkg.exports['./wasi'])) {
      assert.ok(fs.existsSync(path.join(sdkDir, target)), target);
    }
    assert.equal(pkg.dependencies, undefined);
    assert.ok(pkg.files.includes('wasi/*.js') && pkg.files.includes('wasi/*.d.ts'));
  });

  it('imports nothing from Node in the runtime code', () => {
    for (const file of fs.readdirSync(path.join(sdkDir, 'wasi')).filter((name) => name.endsWith('.js'))) {
      const text = fs.readFileSync(path.join(sdkDir, 'wasi', file), 'utf8');
      assert.doesNotMatch(text, /from 'node:|require\(|process\.|Buffer/, file);
    }
  });

  it('MemoryFileSystem is the class the option accepts', () => {
    assert.ok(new Wasi({ fs: new MemoryFileSystem() }).fs instanceof MemoryFileSystem);
  });
});
