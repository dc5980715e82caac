// Page side of tests/bench/browser_pi.mjs: the compute-heavy `pi` example in three ways that differ only in
// how its one blocking call (__faasm_await_call_output, its join) waits, all with the same small host:
//   plain     pi.wasm, the import answers synchronously (nothing suspends: the baseline)
//   jspi      pi.wasm, the import is a WebAssembly.Suspending and _start runs under WebAssembly.promising
//   asyncify  pi.async.wasm under sdk/js/asyncify.js
// and, end to end, through the sdk/js client with each suspension (which adds its own loading, fresh
// instances and bookkeeping). The host runs each chained worker (a table entry of the same binary, in a
// fresh instance) when its result is awaited, so all the computing happens inside the timed call.
import { connect } from '/sdk/js/index.js';
import { instantiate, resumeWith } from '/sdk/js/asyncify.js';

const ENOSYS = 52;
const utf8 = new TextEncoder();

class Exit {
  constructor(code) {
    this.code = code;
  }
}

// The imports pi has: stdio (unused at run time), exit, input and output, chaining. Each way below replaces
// the blocking one; a worker never awaits.
function imports(call, memory) {
  const bytes = () => new Uint8Array(memory().buffer);
  return {
    wasi_snapshot_preview1: {
      fd_write(fd, iovs, count, written) {
        const view = new DataView(memory().buffer);
        let total = 0;
        for (let i = 0; i < count; i += 1) total += view.getUint32(iovs + 8 * i + 4, true);
        view.setUint32(written, total, true);
        return 0;
      },
      fd_close: () => ENOSYS,
      fd_seek: () => ENOSYS,
      proc_exit(code) {
        throw new Exit(code);
      },
    },
    env: {
      __faasm_read_input(buffer, length) {
        if (length === 0) return call.input.length;
        const n = Math.min(length, call.input.length);
        bytes().set(call.input.subarray(0, n), buffer);
        return n;
      },
      __faasm_write_output(pointer, length) {
        call.output = bytes().slice(pointer, pointer + length);
      },
      __faasm_chain_ptr(index, input, length) {
        call.chained.push({ index, input: bytes().slice(input, input + length) });
        return call.chained.length;
      },
      __faasm_await_call_output() {
        throw new Error('a pi worker chained a call of its own');
      },
      __cxa_allocate_exception() {
        throw new Error('C++ exceptions are not supported');
      },
      __cxa_throw() {
        throw new Error('C++ exceptions are not supported');
      },
    },
  };
}

function newCall(input) {
  return { input, output: new Uint8Array(0), chained: [] };
}

// A chained worker: a fresh instance of the same binary runs table entry `index`, synchronously.
function runWorker(module, { index, input }) {
  const call = newCall(input);
  let instance;
  instance = new WebAssembly.Instance(module, imports(call, () => instance.exports.memory));
  instance.exports.__wasm_call_ctors();
  instance.exports._faasm_zygote();
  const returnValue = instance.exports.__indirect_function_table.get(index)();
  return { returnValue, output: call.output };
}

// As Faasm's await_call_output: the output is allocated in the caller with its malloc.
function deliver(exports, worker, outputPointer, lengthPointer) {
  const pointer = exports.malloc(worker.output.length);
  new Uint8Array(exports.memory.buffer).set(worker.output, pointer);
  const view = new DataView(exports.memory.buffer);
  view.setUint32(outputPointer, pointer, true);
  view.setUint32(lengthPointer, worker.output.length, true);
  return worker.returnValue;
}

async function entry(run, call) {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof Exit)) throw error;
    if (error.code !== 0) throw new Error(`pi exited with ${error.code}: ${new TextDecoder().decode(call.output)}`);
  }
  return new TextDecoder().decode(call.output);
}

const WAYS = {
  plain(module, call) {
    let instance;
    const host = imports(call, () => instance.exports.memory);
    host.env.__faasm_await_call_output = (id, out, length) => deliver(instance.exports,
      runWorker(module, call.chained[id - 1]), out, length);
    instance = new WebAssembly.Instance(module, host);
    return entry(() => {
      instance.exports.__wasm_call_ctors();
      instance.exports._faasm_zygote();
      instance.exports._start();
    }, call);
  },

  jspi(module, call) {
    let instance;
    const host = imports(call, () => instance.exports.memory);
    host.env.__faasm_await_call_output = new WebAssembly.Suspending(async (id, out, length) => deliver(
      instance.exports, runWorker(module, call.chained[id - 1]), out, length));
    instance = new WebAssembly.Instance(module, host);
    return entry(async () => {
      instance.exports.__wasm_call_ctors();
      instance.exports._faasm_zygote();
      await WebAssembly.promising(instance.exports._start)();
    }, call);
  },

  async asyncify(module, call) {
    let instance;
    const host = imports(call, () => instance.exports.memory);
    host.env.__faasm_await_call_output = (id, out, length) => {
      const worker = runWorker(module, call.chained[id - 1]);
      return Promise.resolve(resumeWith(() => deliver(instance.asyncify.rawExports, worker, out, length)));
    };
    instance = await instantiate(module, host, { suspending: ['env.__faasm_await_call_output'] });
    return entry(async () => {
      await instance.exports.__wasm_call_ctors();
      await instance.exports._faasm_zygote();
      await instance.exports._start();
    }, call);
  },
};

/**
 * Runs pi with `input` in every way `runs` times, round-robin, and returns the best time of each in ms and
 * the output each gave.
 */
export async function measure({ input, runs }) {
  const [plain, asyncified] = await Promise.all(['/wasm/pi.wasm', '/wasm/pi.async.wasm']
    .map((url) => WebAssembly.compileStreaming(fetch(url))));
  const clients = {
    'client-jspi': await connect(undefined, { functions: '/wasm/', suspension: 'jspi' }),
    'client-asyncify': await connect(undefined, { functions: '/wasm/', suspension: 'asyncify' }),
  };
  const ways = {
    plain: () => WAYS.plain(plain, newCall(utf8.encode(input))),
    jspi: () => WAYS.jspi(plain, newCall(utf8.encode(input))),
    asyncify: () => WAYS.asyncify(asyncified, newCall(utf8.encode(input))),
    ...Object.fromEntries(Object.entries(clients).map(([name, client]) => [name, async () => {
      const result = await client.invoke('pi', input);
      if (result.returnValue !== 0) throw new Error(`${name}: ${result.error}`);
      return result.outputText;
    }])),
  };
  // A warm-up call per client loads and compiles its binary, which is not what is measured.
  for (const client of Object.values(clients)) await client.invoke('pi', '1 1');
  const best = {};
  const outputs = {};
  for (let run = 0; run < runs; run += 1) {
    for (const [name, way] of Object.entries(ways)) {
      const start = performance.now();
      outputs[name] = await way();
      best[name] = Math.min(best[name] ?? Infinity, performance.now() - start);
    }
  }
  await Promise.all(Object.values(clients).map((client) => client.close()));
  return { best, outputs };
}
