// The two ways a function waits without blocking the event loop, behind one interface (Runner):
//
//   jspi      JavaScript Promise Integration on the PLAIN binary: each blocking import becomes a
//             WebAssembly.Suspending, each entry point (constructors, zygote, _start, a table entry) is
//             wrapped with WebAssembly.promising. No transform, no overhead where nothing waits.
//   asyncify  the NAME.async.wasm that faasmjs-asyncify made, run by asyncify.js, which unwinds the stack to
//             the event loop and rewinds it when the Promise settles.
//
// 'auto' picks jspi where the engine has it (a feature test, not a user-agent check), else asyncify. Both
// give the host the same contract: an import may return a Promise, possibly resolving to resumeWith(fn) when
// the host must call into the guest once it has resumed.
import { AsyncifyError, instantiate as instantiateAsyncified, resumedValue } from './asyncify.js';
import { ReentrantCall, Unsupported } from './errors.js';
import { isThenable } from './sync-or-async.js';

export const SUSPENSIONS = Object.freeze(['auto', 'jspi', 'asyncify']);

/** True when the engine has JSPI (WebAssembly.Suspending and WebAssembly.promising). */
export function jspiAvailable() {
  return typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function';
}

/** 'jspi' or 'asyncify' for an option value; forcing jspi without engine support is refused. */
export function chooseSuspension(requested = 'auto', where = 'options.suspension') {
  if (!SUSPENSIONS.includes(requested)) {
    throw new TypeError(`${where} must be one of ${SUSPENSIONS.map((s) => `'${s}'`).join(', ')}, got ${String(requested)}`);
  }
  if (requested === 'auto') return jspiAvailable() ? 'jspi' : 'asyncify';
  if (requested === 'jspi' && !jspiAvailable()) {
    throw new Unsupported('suspension \'jspi\' was requested, but this engine has no JavaScript Promise Integration '
                          + '(WebAssembly.Suspending/promising); use \'auto\' or \'asyncify\'');
  }
  return requested;
}

/** Which binary each way runs. */
export function variantFor(suspension) {
  return suspension === 'jspi' ? 'plain' : 'async';
}

/** One instance with uniform async entry points. */
class Runner {
  #entry;

  constructor(exports, entry) {
    /** The instance's own, synchronous exports (memory, malloc...). */
    this.exports = exports;
    this.memory = exports.memory;
    this.table = Object.values(exports).find((value) => value instanceof WebAssembly.Table) ?? null;
    this.#entry = entry;
  }

  /** Calls an exported function (or a function of the instance's table) as an entry point. */
  async call(fn, label, args = []) {
    try {
      return await this.#entry(fn, label)(...args);
    } catch (error) {
      if (error instanceof AsyncifyError && /one call at a time/.test(error.message)) {
        throw new ReentrantCall(error.message, { cause: error });
      }
      throw error;
    }
  }
}

// The modules whose imports may block (tools/asyncify/faasm_abi.h names them by field, unique across both).
const BLOCKING_MODULES = Object.freeze(['env', 'wasi_snapshot_preview1']);

/**
 * Instantiates module so that the imports named in blockingImports (field names of env and
 * wasi_snapshot_preview1 imports) may suspend.
 * @returns {Promise<Runner>}
 */
export async function instantiate(suspension, module, imports, blockingImports) {
  const blocking = new Set(blockingImports);
  if (suspension === 'asyncify') {
    const instance = await instantiateAsyncified(module, imports, {
      suspending: (moduleName, name) => BLOCKING_MODULES.includes(moduleName) && blocking.has(name),
    });
    const driver = instance.asyncify;
    return new Runner(driver.rawExports, (fn, label) => driver.wrap(fn, label));
  }
  const suspendingImports = { ...imports };
  for (const moduleName of BLOCKING_MODULES) {
    const wrapped = { ...imports[moduleName] };
    for (const name of blocking) {
      const fn = wrapped[name];
      if (typeof fn !== 'function') continue;
      wrapped[name] = new WebAssembly.Suspending((...args) => {
        const result = fn(...args);
        return isThenable(result) ? Promise.resolve(result).then(resumedValue) : result;
      });
    }
    suspendingImports[moduleName] = wrapped;
  }
  const instance = await WebAssembly.instantiate(module, suspendingImports);
  return new Runner(instance.exports, (fn) => WebAssembly.promising(fn));
}
