// The Asyncify driver: runs a binary transformed by faasmjs-asyncify (`NAME.async.wasm`) so that its imports
// may return Promises, without blocking the event loop. Dependency-free; runs in browsers and Node 20.
//
// How a suspension goes (states are Binaryen's: 0 normal, 1 unwinding, 2 rewinding):
//   1. A wrapped export calls the wasm export. Deep inside, an import returns a Promise.
//   2. The import wrapper keeps the Promise, writes the data region's header [current, end] and calls
//      asyncify_start_unwind(data). Every instrumented function on the stack saves its locals into the region
//      and returns; the wasm export returns to the wrapper with the state at 1.
//   3. The wrapper calls asyncify_stop_unwind() (state 0) and awaits the Promise: the event loop runs.
//   4. It calls asyncify_start_rewind(data) (state 2) and the same export again with the same arguments. The
//      instrumented functions restore their locals and call on down to the import that suspended; its wrapper
//      calls asyncify_stop_rewind() (state 0) and returns the awaited value (or throws its rejection).
//   5. Execution continues; the loop repeats for every further suspension within the same call.
//
// The data region is allocated once per instance with the guest's exported `malloc` at the first suspension
// (or given as options.dataAddress) and reused. One call per instance may be in flight: a second call while
// one is running or suspended is refused, since both would share the wasm stack and the data region.
//
// This module knows nothing of Faasm: the browser runtime builds its host interface, WASI and JSPI path on
// top of it and tells it which imports may suspend (the manifest's "blockingImports").

/** Binaryen's Asyncify states, as returned by the module's `asyncify_get_state` export. */
export const State = Object.freeze({ Normal: 0, Unwinding: 1, Rewinding: 2 });

export const DEFAULT_DATA_SIZE = 64 * 1024;

// [current i32, end i32] at the start of the data region; saved frames follow (Binaryen's Asyncify.cpp).
const HEADER_BYTES = 8;

const CONTROL_EXPORTS = Object.freeze([
  'asyncify_start_unwind', 'asyncify_stop_unwind', 'asyncify_start_rewind', 'asyncify_stop_rewind',
  'asyncify_get_state',
]);

/** Misuse of the driver or a module that breaks the Asyncify contract. */
export class AsyncifyError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'AsyncifyError';
  }
}

const drivers = new WeakMap();

export class Resumption {
  constructor(fn) { this.fn = fn; }
}

/**
 * What an import's Promise may resolve to when the host must touch the guest once its stack is back in place
 * (e.g. allocate an output with the guest's malloc): the driver calls fn after the rewind has reached the
 * import again, and the import returns fn's result. Calling into the guest between unwind and rewind would run
 * it with its stack saved away.
 * @param {() => any} fn
 */
export function resumeWith(fn) {
  if (typeof fn !== 'function') throw new TypeError(`resumeWith: fn must be a function, got ${typeof fn}`);
  return new Resumption(fn);
}

/** The value an import resumes with: a resumeWith() result runs now, with the guest's stack in place. */
export function resumedValue(value) {
  return value instanceof Resumption ? value.fn() : value;
}

function isThenable(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function')
    && typeof value.then === 'function';
}

function stateName(state) {
  return Object.keys(State).find((name) => State[name] === state) ?? `unknown (${state})`;
}

function suspendingPredicate(suspending) {
  if (suspending === undefined) return () => true;
  if (typeof suspending === 'function') return suspending;
  if (typeof suspending?.[Symbol.iterator] === 'function' && typeof suspending !== 'string') {
    const names = new Set(suspending);
    return (module, name) => names.has(`${module}.${name}`);
  }
  throw new TypeError('options.suspending must be an iterable of "module.name" strings or a function');
}

function checkedOptions(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const { dataSize = DEFAULT_DATA_SIZE, dataAddress, suspending } = options;
  if (!Number.isInteger(dataSize) || dataSize <= HEADER_BYTES || dataSize % 4 !== 0 || dataSize > 2 ** 31) {
    throw new RangeError(`options.dataSize must be a multiple of 4 above ${HEADER_BYTES}, got ${dataSize}`);
  }
  if (dataAddress !== undefined && (!Number.isInteger(dataAddress) || dataAddress <= 0
                                    || dataAddress + dataSize > 2 ** 32)) {
    throw new RangeError(`options.dataAddress must be a positive address with room for dataSize bytes, got ${dataAddress}`);
  }
  return { dataSize, dataAddress, maySuspend: suspendingPredicate(suspending) };
}

/**
 * The per-instance state machine. Reach it as `instance.asyncify`.
 */
export class AsyncifyDriver {
  #options;
  #raw = null;          // the instance's own exports
  #control = null;      // the asyncify_* exports, when the module has them all
  #view = null;         // a DataView on the memory, renewed when the memory grows
  #memory = null;
  #exports = null;      // the wrapped exports
  #dataAddress;
  #current = null;      // label of the call in flight
  #pending = undefined; // the Promise that started the current unwind
  #suspendedAt = null;  // label of the import that started it
  #outcome = null;      // { value } or { error } of the awaited Promise, consumed by the rewind
  #broken = null;       // why the instance can no longer be used

  /** @internal Use instantiate(), instantiateStreaming() or new Instance(). */
  constructor(options) {
    this.#options = options;
    this.#dataAddress = options.dataAddress;
  }

  /** True when the module has the asyncify control exports (faasmjs-asyncify found a blocking import). */
  get asyncified() {
    return this.#control !== null;
  }

  /** Binaryen's state: State.Normal also while a call is suspended (after asyncify_stop_unwind). */
  get state() {
    return this.#control === null ? State.Normal : this.#control.asyncify_get_state();
  }

  /** The label of the import a call is suspended in, or null. */
  get suspendedAt() {
    return this.#pending === undefined ? null : this.#suspendedAt;
  }

  get dataAddress() { return this.#dataAddress ?? null; }
  get dataSize() { return this.#options.dataSize; }

  /**
   * The instance's own exports, callable synchronously: for the host to use the guest's allocator or memory
   * while a call is suspended. A raw call must not reach an import that suspends.
   */
  get rawExports() { return this.#raw; }

  /**
   * Makes any function of this instance (e.g. one read from its function table) an async entry point with
   * the same rules as the wrapped exports.
   * @param {Function} fn
   * @param {string} [label] names the function in errors
   */
  wrap(fn, label = fn.name || 'anonymous function') {
    if (typeof fn !== 'function') throw new TypeError(`wrap: fn must be a function, got ${typeof fn}`);
    return (...args) => this.#call(fn, label, args);
  }

  /** @internal */
  wrapImports(module, importObject) {
    const wrapped = {};
    for (const { module: moduleName, name, kind } of WebAssembly.Module.imports(module)) {
      const namespace = importObject?.[moduleName];
      // Left out, WebAssembly reports what is missing with its own TypeError or LinkError.
      if (namespace === null || (typeof namespace !== 'object' && typeof namespace !== 'function')) continue;
      const value = namespace[name];
      wrapped[moduleName] ??= {};
      wrapped[moduleName][name] = kind === 'function' && typeof value === 'function'
        ? this.#wrapImport(value, `${moduleName}.${name}`, this.#options.maySuspend(moduleName, name))
        : value;
    }
    return wrapped;
  }

  /** @internal */
  attach(instance, rawExports, module, importObject) {
    this.#raw = rawExports;
    if (CONTROL_EXPORTS.every((name) => typeof rawExports[name] === 'function')) {
      this.#control = Object.fromEntries(CONTROL_EXPORTS.map((name) => [name, rawExports[name]]));
    }
    this.#memory = this.#findMemory(module, importObject);
    const exports = Object.create(null);
    for (const [name, value] of Object.entries(this.#raw)) {
      exports[name] = typeof value === 'function' && !CONTROL_EXPORTS.includes(name)
        ? this.wrap(value, name)
        : value;
    }
    this.#exports = Object.freeze(exports);
    drivers.set(instance, this);
  }

  /** @internal */
  get exports() { return this.#exports; }

  #findMemory(module, importObject) {
    for (const { name, kind } of WebAssembly.Module.exports(module)) {
      if (kind === 'memory') return this.#raw[name];
    }
    for (const { module: moduleName, name, kind } of WebAssembly.Module.imports(module)) {
      if (kind === 'memory') return importObject[moduleName][name];
    }
    return null;
  }

  #expectState(expected, when) {
    const actual = this.state;
    if (actual !== expected) {
      throw new AsyncifyError(`asyncify state is ${stateName(actual)} ${when}, expected ${stateName(expected)}`);
    }
  }

  #wrapImport(fn, label, maySuspend) {
    return (...args) => {
      if (this.#control !== null) {
        const state = this.#control.asyncify_get_state();
        if (state === State.Rewinding) return this.#resume(label);
        if (state !== State.Normal) {
          throw this.#break(`${label} was called while unwinding: a function on the stack between it and `
                            + `${this.#suspendedAt} was not instrumented`);
        }
      }
      const result = fn(...args);
      if (!isThenable(result)) return result;
      this.#suspend(result, label, maySuspend);
      // Ignored while unwinding; a string because ToWebAssemblyValue turns '0' into zero for i32, i64, f32,
      // f64 and externref results alike, whatever the import's result type.
      return '0';
    };
  }

  #suspend(promise, label, maySuspend) {
    // A rejection is handled when the wrapper awaits it; until then it must not count as unhandled.
    const fail = (message) => {
      Promise.resolve(promise).catch(() => {});
      return new AsyncifyError(message);
    };
    if (!maySuspend) throw fail(`${label} returned a Promise, but it is not one of the imports that may suspend`);
    if (!this.asyncified) {
      throw fail(`${label} returned a Promise, but the module is not asyncified (no asyncify_* exports): `
                 + 'transform it with faasmjs-asyncify');
    }
    if (this.#current === null) {
      throw fail(`${label} returned a Promise outside a wrapped call (during instantiation or from a raw `
                 + 'export), where nothing can await it');
    }
    const data = this.#ensureData();
    if (this.#view?.buffer !== this.#memory.buffer) this.#view = new DataView(this.#memory.buffer);
    this.#view.setUint32(data, data + HEADER_BYTES, true);
    this.#view.setUint32(data + 4, data + this.#options.dataSize, true);
    this.#pending = promise;
    this.#suspendedAt = label;
    this.#control.asyncify_start_unwind(data);
  }

  #resume(label) {
    if (label !== this.#suspendedAt) {
      throw this.#break(`rewinding reached ${label}, but the call was suspended in ${this.#suspendedAt}`);
    }
    this.#control.asyncify_stop_rewind();
    const outcome = this.#outcome;
    this.#outcome = null;
    this.#pending = undefined;
    if ('error' in outcome) throw outcome.error;
    return resumedValue(outcome.value);
  }

  #ensureData() {
    if (this.#dataAddress !== undefined) return this.#dataAddress;
    const malloc = this.#raw.malloc;
    if (typeof malloc !== 'function') {
      throw new AsyncifyError('the module exports no malloc to allocate the asyncify data region with: '
                              + 'pass options.dataAddress');
    }
    const address = malloc(this.#options.dataSize);
    if (!address) throw new AsyncifyError(`malloc(${this.#options.dataSize}) for the asyncify data region failed`);
    this.#dataAddress = address;
    return address;
  }

  #break(reason, cause) {
    this.#broken ??= reason;
    return new AsyncifyError(reason, cause === undefined ? undefined : { cause });
  }

  async #call(fn, label, args) {
    if (this.#broken !== null) throw new AsyncifyError(`${label}: the instance is unusable: ${this.#broken}`);
    if (this.#current !== null) {
      const where = this.suspendedAt === null ? 'running' : `suspended in ${this.suspendedAt}`;
      throw new AsyncifyError(`${label} was called while ${this.#current} is ${where}: `
                              + 'an instance runs one call at a time');
    }
    this.#current = label;
    try {
      let result = fn(...args);
      while (this.state === State.Unwinding) {
        this.#stopUnwind(label);
        try {
          this.#outcome = { value: await this.#pending };
        } catch (error) {
          this.#outcome = { error };
        }
        this.#expectState(State.Normal, `before rewinding into ${label}`);
        this.#control.asyncify_start_rewind(this.#dataAddress);
        result = fn(...args);
      }
      this.#expectState(State.Normal, `when ${label} returned`);
      return result;
    } catch (error) {
      this.#abandon();
      throw error;
    } finally {
      this.#current = null;
    }
  }

  #stopUnwind(label) {
    try {
      this.#control.asyncify_stop_unwind();
    } catch (error) {
      // asyncify_stop_unwind traps when the saved frames ran past the region's end; by then they have
      // overwritten whatever followed it.
      throw this.#break(`the stack of ${label} did not fit the ${this.#options.dataSize}-byte asyncify data `
                        + 'region (raise options.dataSize)', error);
    }
  }

  // After an exception, leave the state normal so that the instance's exports stay callable.
  #abandon() {
    this.#pending = undefined;
    this.#outcome = null;
    const state = this.state;
    try {
      if (state === State.Unwinding) this.#control.asyncify_stop_unwind();
      if (state === State.Rewinding) this.#control.asyncify_stop_rewind();
    } catch (error) {
      this.#break(`resetting the asyncify state after an error failed: ${error.message}`);
    }
  }
}

/**
 * A WebAssembly.Instance whose exported functions are async and whose imports may return Promises.
 * Constructing one compiles and links synchronously, as `new WebAssembly.Instance` does; prefer
 * instantiate() on a browser's main thread.
 */
export class Instance extends WebAssembly.Instance {
  constructor(module, importObject, options = {}) {
    const driver = new AsyncifyDriver(checkedOptions(options));
    super(module, driver.wrapImports(module, importObject));
    driver.attach(this, super.exports, module, importObject);
  }

  /** The exports, with every function but the asyncify_* controls wrapped as an async function. */
  get exports() { return drivers.get(this).exports; }

  /** The driver: state, raw exports, data region, wrap(). */
  get asyncify() { return drivers.get(this); }
}

async function instantiateModule(module, importObject, options) {
  const driver = new AsyncifyDriver(checkedOptions(options));
  const instance = await WebAssembly.instantiate(module, driver.wrapImports(module, importObject));
  driver.attach(instance, instance.exports, module, importObject);
  return Object.setPrototypeOf(instance, Instance.prototype);
}

/**
 * Like WebAssembly.instantiate: a Module gives an Instance, bytes give { module, instance }.
 * @param {BufferSource | WebAssembly.Module} source
 * @param {object} [importObject]
 * @param {{dataSize?: number, dataAddress?: number, suspending?: Iterable<string> | Function}} [options]
 */
export async function instantiate(source, importObject, options = {}) {
  if (source instanceof WebAssembly.Module) return instantiateModule(source, importObject, options);
  const module = await WebAssembly.compile(source);
  return { module, instance: await instantiateModule(module, importObject, options) };
}

/** Like WebAssembly.instantiateStreaming: a Response (or a Promise of one) gives { module, instance }. */
export async function instantiateStreaming(source, importObject, options = {}) {
  const module = await WebAssembly.compileStreaming(source);
  return { module, instance: await instantiateModule(module, importObject, options) };
}
