// A minimal host for the asyncify tests: the Faasm imports the test functions use, with the blocking ones
// answering through Promises that settle later (alternately as a macrotask and a microtask), and just enough
// WASI preview1 for wasi-libc and Emscripten's standalone libc. It is not the browser runtime: its answers are
// simple formulas that the tests can predict.
import fs from 'node:fs';
import path from 'node:path';

import { instantiate } from '../../sdk/js/asyncify.js';

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_NOSYS = 52;

// What the blocking imports answer.
export const CHAIN_ID = 77;
export const awaitCallResult = (id) => id + 1000;
export const callOutput = (id) => `out${id}`;
export const stateValue = (key) => `v:${key}`;

export class ProcExit extends Error {
  constructor(code) {
    super(`proc_exit(${code})`);
    this.code = code;
  }
}

export const blockingImportsOf = (wasmDir, relativePath) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(wasmDir, relativePath.replace(/\.wasm$/, '.manifest.json'))));
  return manifest.blockingImports.map((name) => `env.${name}`);
};

export class TestHost {
  #instance = null;
  #tick = 0;
  input;
  output = '';
  stdout = '';
  suspensions = 0;
  // Replaces the answer of __faasm_await_call, e.g. with a rejected Promise.
  awaitCall = (id) => this.later(() => awaitCallResult(id));

  constructor(input = '') {
    this.input = new TextEncoder().encode(String(input));
  }

  attach(instance) {
    this.#instance = instance;
  }

  get #memory() {
    return new Uint8Array(this.#instance.exports.memory.buffer);
  }

  get #view() {
    return new DataView(this.#instance.exports.memory.buffer);
  }

  #string(pointer, length = this.#memory.indexOf(0, pointer) - pointer) {
    return new TextDecoder().decode(this.#memory.subarray(pointer, pointer + length));
  }

  // Settles after the current call has unwound: as a macrotask and a microtask in turn, so that both ways
  // a browser delivers a WebSocket answer are covered.
  later(compute) {
    this.suspensions += 1;
    const macrotask = this.#tick++ % 2 === 0;
    return new Promise((resolve, reject) => {
      const settle = () => {
        try {
          resolve(compute());
        } catch (error) {
          reject(error);
        }
      };
      if (macrotask) setTimeout(settle, 0); else queueMicrotask(settle);
    });
  }

  faasm() {
    return {
      __faasm_read_input: (buffer, length) => {
        if (length === 0) return this.input.length;
        const count = Math.min(length, this.input.length);
        this.#memory.set(this.input.subarray(0, count), buffer);
        return count;
      },
      __faasm_write_output: (pointer, length) => {
        this.output += this.#string(pointer, length);
      },
      __faasm_chain_name: () => CHAIN_ID,
      __faasm_await_call: (id) => this.awaitCall(id),
      // As on Faasm with WAMR: the host allocates the output in the guest, here while the call is suspended.
      __faasm_await_call_output: (id, outputPointer, lengthPointer) => this.later(() => {
        const bytes = new TextEncoder().encode(callOutput(id));
        const address = this.#instance.asyncify.rawExports.malloc(bytes.length);
        this.#memory.set(bytes, address);
        this.#view.setUint32(outputPointer, address, true);
        this.#view.setInt32(lengthPointer, bytes.length, true);
        return 0;
      }),
      __faasm_read_state: (keyPointer, buffer, length) => {
        const key = this.#string(keyPointer);
        return this.later(() => {
          const bytes = new TextEncoder().encode(stateValue(key));
          if (length === 0) return bytes.length;
          const count = Math.min(length, bytes.length);
          this.#memory.set(bytes.subarray(0, count), buffer);
          return count;
        });
      },
      __cxa_allocate_exception: () => { throw new Error('C++ exceptions are unavailable'); },
      __cxa_throw: () => { throw new Error('C++ exceptions are unavailable'); },
    };
  }

  wasi() {
    const args = [new TextEncoder().encode('function.wasm\0')];
    return {
      args_sizes_get: (count, size) => {
        this.#view.setUint32(count, args.length, true);
        this.#view.setUint32(size, args.reduce((total, arg) => total + arg.length, 0), true);
        return ERRNO_SUCCESS;
      },
      args_get: (argv, buffer) => {
        for (const [index, arg] of args.entries()) {
          this.#view.setUint32(argv + 4 * index, buffer, true);
          this.#memory.set(arg, buffer);
          buffer += arg.length;
        }
        return ERRNO_SUCCESS;
      },
      environ_sizes_get: (count, size) => {
        this.#view.setUint32(count, 0, true);
        this.#view.setUint32(size, 0, true);
        return ERRNO_SUCCESS;
      },
      environ_get: () => ERRNO_SUCCESS,
      clock_time_get: (id, precision, time) => {
        this.#view.setBigUint64(time, process.hrtime.bigint(), true);
        return ERRNO_SUCCESS;
      },
      random_get: (buffer, length) => {
        crypto.getRandomValues(this.#memory.subarray(buffer, buffer + length));
        return ERRNO_SUCCESS;
      },
      fd_write: (fd, iovs, count, written) => {
        if (fd !== 1 && fd !== 2) return ERRNO_BADF;
        let total = 0;
        for (let i = 0; i < count; i += 1) {
          const pointer = this.#view.getUint32(iovs + 8 * i, true);
          const length = this.#view.getUint32(iovs + 8 * i + 4, true);
          this.stdout += this.#string(pointer, length);
          total += length;
        }
        this.#view.setUint32(written, total, true);
        return ERRNO_SUCCESS;
      },
      fd_close: () => ERRNO_BADF,
      fd_seek: () => ERRNO_BADF,
      fd_fdstat_get: () => ERRNO_BADF,
      proc_exit: (code) => { throw new ProcExit(code); },
    };
  }

  // Every import the module declares: ours where we have one, otherwise a WASI call that answers ENOSYS or
  // an env function that fails the test by name.
  importsFor(module) {
    const provided = { env: this.faasm(), wasi_snapshot_preview1: this.wasi() };
    for (const { module: name, name: field, kind } of WebAssembly.Module.imports(module)) {
      if (kind !== 'function' || provided[name]?.[field]) continue;
      provided[name] ??= {};
      provided[name][field] = name === 'wasi_snapshot_preview1'
        ? () => ERRNO_NOSYS
        : () => { throw new Error(`unexpected call of ${name}.${field}`); };
    }
    return provided;
  }
}

// Instantiates a function and runs its once-per-instance set-up as Faasm does: constructors, then zygote.
export async function loadFunction(file, { host = new TestHost(), options } = {}) {
  const module = await WebAssembly.compile(fs.readFileSync(file));
  const instance = await instantiate(module, host.importsFor(module), options);
  host.attach(instance);
  await instance.exports.__wasm_call_ctors();
  await instance.exports._faasm_zygote();
  return { host, instance };
}

// One call of the function's entry point; a proc_exit(0) is a normal return.
export async function start(entry) {
  try {
    await entry();
  } catch (error) {
    if (!(error instanceof ProcExit) || error.code !== 0) throw error;
  }
}

export async function runFunction(file, input, { options } = {}) {
  const loaded = await loadFunction(file, { host: new TestHost(input), options });
  await start(loaded.instance.exports._start);
  return loaded;
}
