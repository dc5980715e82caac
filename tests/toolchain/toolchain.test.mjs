// What both wasm toolchains must produce, checked on every function they built: Faasm's ABI (imports, exports,
// stack first), Faasm's entry protocol (constructors once, then `_start`), and exceptions that reach the host
// as a call to `env.__cxa_throw` instead of a link error or a silent exit.
//
// FAASMJS_WASM_DIR: a wasm sub-build's binary directory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
// faasm.js's own WASI layer: Node's node:wasi crashes the process (SIGSEGV) now and then when it runs
// modules with a 4 MiB stack, as every Faasm function has.
const { Wasi } = await import(path.join(here, '../../sdk/js/wasi/index.js'));
const wasmDir = process.env.FAASMJS_WASM_DIR;
assert.ok(wasmDir, 'FAASMJS_WASM_DIR must name a wasm sub-build directory');

const hostAbiHeader = fs.readFileSync(path.join(here, '../../include/faasmjs/detail/host_abi.h'), 'utf8');
// Every env import the ABI declares: Faasm's __faasm_* host interface and its __wasi_fd_dup.
const hostImports = new Set(hostAbiHeader.match(/(?<=^FAASMJS_HOST_FUNC\()\w+/gm));
const exceptionList = path.join(here, '../../cmake/function-support/cxx_exception_imports.txt');
const exceptionImports = new Set(fs.readFileSync(exceptionList, 'utf8').split('\n').filter(Boolean));
const requiredExports = ['memory', '_start', 'malloc', 'free', '__heap_base', '__data_end', '__stack_pointer',
                         '__wasm_call_ctors', '_faasm_zygote', '__indirect_function_table'];
const stackSize = 4 * 1024 * 1024;

function plainBinaries(dir) {
  return fs.readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.wasm') && !file.endsWith('.async.wasm') && !file.includes('CMakeFiles'))
    .map((file) => path.join(dir, file));
}

// Every import traps if called, so a module can be instantiated to read its globals.
function trappingImports(module) {
  const imports = {};
  for (const { module: name, name: field, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') continue;
    imports[name] ??= {};
    imports[name][field] = () => { throw new Error(`unexpected call of ${name}.${field}`); };
  }
  return imports;
}

// Runs a function the way Faasm does: constructors and zygote once, then `_start`, with argv
// ["function.wasm"]. Returns the exit code and captured stdout.
function runLikeFaasm(file, env = {}) {
  const wasi = new Wasi({ args: ['function.wasm'] });
  const module = new WebAssembly.Module(fs.readFileSync(file));
  const imports = trappingImports(module);
  imports.wasi_snapshot_preview1 = wasi.imports;
  Object.assign(imports.env ??= {}, env);
  const instance = new WebAssembly.Instance(module, imports);
  wasi.bind(instance);
  instance.exports.__wasm_call_ctors();
  assert.equal(instance.exports._faasm_zygote(), 0, '_faasm_zygote failed');
  const exitCode = wasi.start(instance);
  return { exitCode, stdout: new TextDecoder().decode(wasi.stdout) };
}

const binaries = plainBinaries(wasmDir);

describe(`functions built in ${path.basename(wasmDir)}`, () => {
  it('found the example and test functions', () => {
    assert.ok(binaries.some((file) => file.includes(`examples${path.sep}functions`)), 'no example functions');
    assert.ok(binaries.some((file) => file.endsWith('ctor_once.wasm')), 'no toolchain test functions');
  });

  for (const file of binaries) {
    describe(path.relative(wasmDir, file), () => {
      const module = new WebAssembly.Module(fs.readFileSync(file));

      it('imports only the Faasm host interface and WASI preview1', () => {
        for (const { module: name, name: field } of WebAssembly.Module.imports(module)) {
          const allowed = name === 'wasi_snapshot_preview1'
            || (name === 'env' && (hostImports.has(field) || exceptionImports.has(field)));
          assert.ok(allowed, `unexpected import ${name}.${field}`);
        }
      });

      it("exports what Faasm's link flags export", () => {
        const exported = new Set(WebAssembly.Module.exports(module).map(({ name }) => name));
        for (const name of requiredExports) assert.ok(exported.has(name), `missing export ${name}`);
      });

      it('puts a 4 MiB stack first in memory', () => {
        const { exports } = new WebAssembly.Instance(module, trappingImports(module));
        const stackPointer = exports.__stack_pointer.value;
        assert.ok(stackPointer >= stackSize, `stack pointer ${stackPointer} below 4 MiB`);
        assert.ok(stackPointer <= exports.__data_end.value, 'stack is not below the data');
        assert.ok(exports.__data_end.value <= exports.__heap_base.value, 'data end above heap base');
      });
    });
  }
});

describe('Emscripten host import declarations', () => {
  it('name exactly the host ABI', () => {
    const library = fs.readFileSync(path.join(here, '../../cmake/function-support/emscripten_host_imports.js'), 'utf8');
    assert.deepEqual(new Set(library.match(/(?<=^ {2})\w+(?=: function)/gm)), hostImports);
  });
});

describe('descriptor duplication', () => {
  const importsDup = (file) => WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(file)))
    .some(({ module: name, name: field }) => name === 'env' && field === '__wasi_fd_dup');

  it('is imported by a function that calls dup and fcntl(F_DUPFD)', () => {
    assert.ok(importsDup(path.join(wasmDir, 'tests/conformance/dup_fcntl.wasm')));
  });

  it('is not imported by functions that never duplicate a descriptor', () => {
    const examples = binaries.filter((file) => file.includes(`examples${path.sep}functions`));
    assert.ok(examples.length > 5, 'no example functions');
    for (const file of examples) assert.ok(!importsDup(file), `${path.relative(wasmDir, file)} imports env.__wasi_fd_dup`);
  });
});

describe('entry protocol', () => {
  it('runs the constructors once, not again from _start', () => {
    const { exitCode, stdout } = runLikeFaasm(path.join(wasmDir, 'tests/toolchain/functions/ctor_once.wasm'));
    assert.equal(stdout, 'constructed=1\n');
    assert.equal(exitCode, 0);
  });
});

describe('C++ exceptions', () => {
  it('reach the host as a call to env.__cxa_throw', () => {
    class HostTrap extends Error {}
    const env = {
      __cxa_allocate_exception: () => { throw new HostTrap('__cxa_allocate_exception'); },
      __cxa_throw: () => { throw new HostTrap('__cxa_throw'); },
    };
    assert.throws(() => runLikeFaasm(path.join(wasmDir, 'tests/toolchain/functions/throws.wasm'), env),
                  HostTrap);
  });
});
