// Finds, fetches and compiles function binaries, once per function and variant: the plain NAME.wasm (JSPI)
// or NAME.async.wasm (Asyncify), and NAME.manifest.json beside them. Every invocation instantiates a fresh
// instance from the cached WebAssembly.Module, as Faasm starts each call from a clean snapshot.
//
// Where the files come from (options.functions):
//   a string      a base URL (browsers; relative to the page) or, in Node, a directory path or file: URL
//   an object     { NAME: { wasm, asyncWasm, manifest } }, each a URL/path, bytes or (binaries) a Module;
//                 the manifest may also be the parsed object
//
// A binary is checked before it is run: WebAssembly magic (so that an HTML error page reads as such),
// the exports every Faasm function has, and imports the host can satisfy.
import { FunctionNotFound, LoadError } from './errors.js';
import { BLOCKING_IMPORTS, HOST_IMPORTS } from './host/index.js';
import { MAY_SUSPEND as WASI_MAY_SUSPEND } from './wasi/wasi.js';
import { PREVIEW1_FUNCTIONS } from './wasi/defs.js';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const PROVIDED = new Map([
  ['env', new Set(HOST_IMPORTS)],
  ['wasi_snapshot_preview1', new Set(PREVIEW1_FUNCTIONS)],
]);
const REQUIRED_EXPORTS = Object.freeze([['_start', 'function'], ['memory', 'memory'], ['malloc', 'function']]);
const SUFFIXES = Object.freeze({ plain: '.wasm', async: '.async.wasm', manifest: '.manifest.json' });
const FIELDS = Object.freeze({ plain: 'wasm', async: 'asyncWasm', manifest: 'manifest' });

const isNode = typeof globalThis.process?.versions?.node === 'string';

class Missing extends Error {}

/** Reads a URL with fetch, or in Node a path or file: URL from the file system (read-path.node.js). */
async function readLocation(location) {
  if (isNode && !/^(https?|data|blob):/i.test(location)) {
    const { readPath } = await import('#read-path');
    try {
      return await readPath(location);
    } catch (error) {
      if (error.code === 'ENOENT') throw new Missing(`${location} does not exist`);
      throw new LoadError(`cannot read ${location}: ${error.message}`, { cause: error });
    }
  }
  let response;
  try {
    response = await fetch(location);
  } catch (error) {
    throw new LoadError(`cannot fetch ${location}: ${error.message}`, { cause: error });
  }
  if (response.status === 404) throw new Missing(`GET ${location} answered 404 Not Found`);
  if (!response.ok) throw new LoadError(`GET ${location} answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

function baseLocation(base) {
  if (isNode && !/^(https?|data|blob|file):/i.test(base)) return base.endsWith('/') ? base : `${base}/`;
  const withSlash = base.endsWith('/') ? base : `${base}/`;
  return new URL(withSlash, globalThis.location?.href).href;
}

function resolve(base, file) {
  return base.includes('://') || base.startsWith('file:') ? new URL(file, base).href : `${base}${file}`;
}

function describe(source) {
  return typeof source === 'string' ? source : source instanceof WebAssembly.Module ? 'a Module' : 'bytes';
}

function checkMagic(bytes, where) {
  if (bytes.length < 8 || WASM_MAGIC.some((byte, i) => bytes[i] !== byte)) {
    const start = new TextDecoder().decode(bytes.subarray(0, 16)).replace(/[^\x20-\x7e]/g, '.');
    throw new LoadError(`${where} is not a WebAssembly binary (it starts with '${start}')`);
  }
}

function checkInterface(module, where) {
  const exports = new Map(WebAssembly.Module.exports(module).map(({ name, kind }) => [name, kind]));
  for (const [name, kind] of REQUIRED_EXPORTS) {
    if (exports.get(name) !== kind) {
      throw new LoadError(`${where} does not export the ${kind} ${name} that every Faasm function has `
                          + '(build it with faasmjs_add_function)');
    }
  }
  const unknown = WebAssembly.Module.imports(module)
    .filter(({ module: from, name, kind }) => kind !== 'function' || !PROVIDED.get(from)?.has(name))
    .map(({ module: from, name }) => `${from}.${name}`);
  if (unknown.length > 0) {
    throw new LoadError(`${where} imports ${unknown.join(', ')}, which the faasm.js host does not provide`);
  }
}

/**
 * @typedef {object} LoadedFunction
 * @property {string} name
 * @property {'plain' | 'async'} variant
 * @property {WebAssembly.Module} module
 * @property {object | null} manifest NAME.manifest.json, when there is one
 * @property {string[]} blockingImports imports of the module that may suspend, by field name (env's and WASI's)
 */

export class FunctionLoader {
  #functions;
  #cache = new Map();
  #versions = new Map();

  /** @param {string | Record<string, {wasm?, asyncWasm?, manifest?}>} functions */
  constructor(functions) {
    if (typeof functions === 'string') {
      this.#functions = baseLocation(functions);
    } else if (functions !== null && typeof functions === 'object' && !Array.isArray(functions)) {
      this.#functions = functions;
    } else {
      throw new TypeError('options.functions must be a base URL or directory, or an object { NAME: { wasm, asyncWasm, manifest } }');
    }
  }

  /**
   * The version of a function this loader has loaded (its manifest's `input.sha256`: the plain binary's, which
   * the cluster runs), or undefined before it is loaded or without a manifest. Loads nothing.
   * @param {string} name
   * @returns {string | undefined}
   */
  loadedVersion(name) {
    return this.#versions.get(name);
  }

  /** True if name could be a function here (for a base URL: any valid name). */
  knows(name) {
    return NAME_PATTERN.test(name)
      && (typeof this.#functions === 'string' || Object.hasOwn(this.#functions, name));
  }

  /**
   * The compiled function, from the cache when it was loaded before.
   * @param {string} name
   * @param {'plain' | 'async'} variant
   * @returns {Promise<LoadedFunction>}
   */
  load(name, variant) {
    const cacheKey = `${variant}:${name}`;
    let loading = this.#cache.get(cacheKey);
    if (loading === undefined) {
      loading = this.#load(name, variant);
      this.#cache.set(cacheKey, loading);
      loading.catch(() => this.#cache.delete(cacheKey));
    }
    return loading;
  }

  async #load(name, variant) {
    if (typeof name !== 'string' || !this.knows(name)) {
      throw new FunctionNotFound(typeof this.#functions === 'string' || !NAME_PATTERN.test(String(name))
        ? `'${name}' is not a valid function name`
        : `no function named '${name}' (known: ${Object.keys(this.#functions).join(', ') || 'none'})`);
    }
    // Both are fetched at once, but when both fail the binary's error is the one reported, whichever
    // answer came first.
    const [moduleResult, manifestResult] = await Promise.allSettled([this.#module(name, variant),
                                                                     this.#manifest(name)]);
    for (const result of [moduleResult, manifestResult]) {
      if (result.status === 'rejected') throw result.reason;
    }
    const [module, manifest] = [moduleResult.value, manifestResult.value];
    // Blocking imports are named by field (tools/asyncify/faasm_abi.h): env's __faasm_* ones and WASI's.
    const imported = new Set(WebAssembly.Module.imports(module)
      .filter((entry) => entry.module === 'env' || entry.module === 'wasi_snapshot_preview1').map((entry) => entry.name));
    const blockingImports = (manifest?.blockingImports ?? [...BLOCKING_IMPORTS, ...WASI_MAY_SUSPEND])
      .filter((entry) => imported.has(entry));
    if (typeof manifest?.input?.sha256 === 'string') this.#versions.set(name, manifest.input.sha256);
    return { name, variant, module, manifest, blockingImports };
  }

  #source(name, kind) {
    if (typeof this.#functions === 'string') return resolve(this.#functions, `${name}${SUFFIXES[kind]}`);
    const source = this.#functions[name]?.[FIELDS[kind]];
    return source instanceof URL ? source.href : source;
  }

  async #module(name, variant) {
    const source = this.#source(name, variant);
    const where = `function '${name}' (${describe(source)})`;
    if (source === undefined) {
      throw new LoadError(`function '${name}' has no ${FIELDS[variant]} binary`
                          + (variant === 'async' ? ' (its Asyncify build, needed where JSPI is unavailable)' : ''));
    }
    let module = source;
    if (!(source instanceof WebAssembly.Module)) {
      let bytes;
      try {
        bytes = typeof source === 'string' ? await readLocation(source) : toBytes(source, where);
      } catch (error) {
        if (!(error instanceof Missing)) throw error;
        if (variant === 'async' && await this.#exists(name, 'plain')) {
          throw new LoadError(`function '${name}' has no Asyncify build: ${error.message} (faasmjs_add_function `
                              + 'makes NAME.async.wasm beside NAME.wasm)');
        }
        throw new FunctionNotFound(`no function named '${name}': ${error.message}`);
      }
      checkMagic(bytes, where);
      try {
        module = await WebAssembly.compile(bytes);
      } catch (error) {
        throw new LoadError(`${where} does not compile: ${error.message}`, { cause: error });
      }
    }
    checkInterface(module, where);
    return module;
  }

  async #exists(name, kind) {
    const source = this.#source(name, kind);
    if (typeof source !== 'string') return source !== undefined;
    return readLocation(source).then(() => true, () => false);
  }

  async #manifest(name) {
    const source = this.#source(name, 'manifest');
    if (source === undefined) return null;
    if (typeof source === 'object' && !(source instanceof Uint8Array) && !(source instanceof ArrayBuffer)) return source;
    let bytes;
    try {
      bytes = typeof source === 'string' ? await readLocation(source) : toBytes(source, `manifest of '${name}'`);
    } catch (error) {
      if (error instanceof Missing) return null;
      throw error;
    }
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new LoadError(`the manifest of function '${name}' (${describe(source)}) is not JSON: ${error.message}`);
    }
  }
}

function toBytes(source, where) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  throw new LoadError(`${where}: expected a URL, a path, bytes or a WebAssembly.Module`);
}
