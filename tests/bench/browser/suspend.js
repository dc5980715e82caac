// Page side of tests/bench/browser_suspend.mjs: the cost of one suspend/resume round trip on an
// already-resolved Promise, per way of suspending, in this engine. Every variant runs the same loop
// (suspend-loop.wat): the plain binary with a synchronous import, with JSPI, and the faasmjs-asyncify
// binary with a bare Asyncify driver and with sdk/js/asyncify.js.
import { instantiate } from '/sdk/js/asyncify.js';

// Where the bare driver keeps the saved stack: the loop module's malloc answer, 4 KiB for a tiny stack.
const DATA = 1024;
const DATA_END = DATA + 4096;

function synchronous(plain) {
  const instance = new WebAssembly.Instance(plain, { env: { __faasm_await_call: (id) => id } });
  return () => instance.exports._start;
}

function jspi(plain) {
  const instance = new WebAssembly.Instance(plain, {
    env: { __faasm_await_call: new WebAssembly.Suspending((id) => Promise.resolve(id)) },
  });
  const start = WebAssembly.promising(instance.exports._start);
  return () => start;
}

// Unwind, await, rewind, nothing else: the floor for any Asyncify driver.
function bare(asyncified) {
  let value;
  const instance = new WebAssembly.Instance(asyncified, { env: { __faasm_await_call: (id) => {
    const exports = instance.exports;
    if (exports.asyncify_get_state() === 2) {
      exports.asyncify_stop_rewind();
      return value;
    }
    value = Promise.resolve(id);
    new Int32Array(exports.memory.buffer, DATA, 2).set([DATA + 8, DATA_END]);
    exports.asyncify_start_unwind(DATA);
    return 0;
  } } });
  const exports = instance.exports;
  return () => async (n) => {
    let result = exports._start(n);
    while (exports.asyncify_get_state() === 1) {
      exports.asyncify_stop_unwind();
      value = await value;
      exports.asyncify_start_rewind(DATA);
      result = exports._start(n);
    }
    return result;
  };
}

async function driver(asyncified) {
  const instance = await instantiate(asyncified, { env: { __faasm_await_call: (id) => Promise.resolve(id) } },
                                     { suspending: ['env.__faasm_await_call'] });
  return () => instance.exports._start;
}

/**
 * Times `calls` suspensions per variant, `runs` times round-robin (so drift hits every variant alike), and
 * returns the best per-call time of each in microseconds. Each loop's sum is checked.
 */
export async function measure({ plainUrl, asyncUrl, calls, runs }) {
  const [plain, asyncified] = await Promise.all([plainUrl, asyncUrl].map((url) => WebAssembly.compileStreaming(fetch(url))));
  const variants = {
    synchronous: synchronous(plain),
    jspi: jspi(plain),
    bare: bare(asyncified),
    driver: await driver(asyncified),
  };
  const expected = (calls * (calls + 1)) / 2 | 0;
  const best = Object.fromEntries(Object.keys(variants).map((name) => [name, Infinity]));
  for (let run = 0; run < runs; run += 1) {
    for (const [name, entry] of Object.entries(variants)) {
      const start = performance.now();
      const sum = await entry()(calls);
      const elapsed = performance.now() - start;
      if (sum !== expected) throw new Error(`${name}: the loop summed ${sum}, expected ${expected}`);
      best[name] = Math.min(best[name], (elapsed * 1000) / calls);
    }
  }
  return best;
}
