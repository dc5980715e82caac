// The page side of worker mode: a client with the same API as Client whose functions run in a dedicated
// module Web Worker (worker.js). Requests and answers travel by postMessage (protocol in worker.js); events
// are forwarded and dispatched here.
import { ClientClosed, LoadError, Unsupported, errorFromJSON } from './errors.js';
import { invokeTyped, typedState } from './typed-calls.js';
import { PROTOCOL_VERSION } from './worker.js';

/** options.functions as the worker must see it: URLs made absolute against this page. */
function forWorker(functions) {
  const base = globalThis.location?.href;
  const absolute = (value) => (typeof value === 'string' && base !== undefined ? new URL(value, base).href : value);
  if (typeof functions === 'string') return absolute(functions.endsWith('/') ? functions : `${functions}/`);
  return Object.fromEntries(Object.entries(functions).map(([name, files]) => [name,
    Object.fromEntries(Object.entries(files).map(([field, value]) => [field, absolute(value)]))]));
}

export class WorkerClient extends EventTarget {
  #port;
  #terminate;
  #pending = new Map();
  #nextId = 1;
  #closed = false;
  #suspension = null;
  #user = null;
  #gateway = null;

  /**
   * @param {MessagePort | Worker} port where worker.js's serve() answers
   * @param {() => void} [terminate] ends the worker once closed
   * @param {string} [script] the worker's script URL, for errors
   */
  constructor(port, terminate = () => port.close?.(), script = 'worker.js') {
    super();
    this.#port = port;
    this.#terminate = terminate;
    port.addEventListener('message', ({ data }) => this.#receive(data));
    // A script that fails to load (a 404, an HTML page) gives an error event without a message.
    port.addEventListener('error', (event) => this.#failAll(new LoadError(event.message
      ? `the faasm.js worker (${script}) failed: ${event.message}`
      : `the faasm.js worker script ${script} could not be loaded: is it served there? (connect options.workerUrl `
        + 'says where it is; docs/js-runtime.md, "Packages and bundlers")')));
    port.start?.();
    const request = (op, key, bytes) => this.#request({ type: 'state', op, key, bytes });
    this.state = typedState({
      get: (key) => request('get', key),
      set: (key, bytes) => request('set', key, bytes),
      keys: () => request('keys'),
    });
    this.files = Object.freeze({
      upload: (path, bytes) => this.#request({ type: 'files', op: 'upload', path, bytes }),
      get: (path) => this.#request({ type: 'files', op: 'get', path }),
    });
  }

  /** Sends the options (and the gateway's URL, if any); resolves once the worker's client exists. */
  async connect(options, url) {
    // A WebSocket constructor cannot travel by postMessage: the worker uses its own.
    const { webSocket, workerUrl, ...portable } = options;
    const { suspension, user, gateway } = await this.#request({
      type: 'connect', protocol: PROTOCOL_VERSION, url,
      options: { ...portable, functions: forWorker(options.functions), worker: false },
    });
    this.#suspension = suspension;
    this.#user = user;
    this.#gateway = gateway ?? null;
    return this;
  }

  get suspension() { return this.#suspension; }
  get user() { return this.#user; }
  get gateway() { return this.#gateway; }

  upload(name, wasm) {
    return this.#request({ type: 'upload', name, wasm });
  }

  functions() {
    return this.#request({ type: 'functions' });
  }

  // Typed inputs and outputs are encoded and decoded here: a schema stays on the page.
  invoke(name, input, options = {}) {
    return invokeTyped((callName, bytes, rest) => this.#request({ type: 'invoke', name: callName, input: bytes, options: rest }),
      name, input, options);
  }

  async close() {
    if (this.#closed) return;
    try {
      await this.#request({ type: 'close' });
    } finally {
      this.#closed = true;
      this.#failAll(new ClientClosed('the client was closed during the call'));
      this.#terminate();
    }
  }

  #request(message) {
    if (this.#closed) return Promise.reject(new ClientClosed(`${message.type}: the client is closed`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#port.postMessage({ ...message, id });
    });
  }

  #receive(data) {
    if (data?.type === 'event') {
      this.dispatchEvent(new CustomEvent(data.event, { detail: data.detail }));
      return;
    }
    const pending = this.#pending.get(data?.id);
    if (data?.type !== 'reply' || pending === undefined) return;
    this.#pending.delete(data.id);
    if (data.error !== undefined) pending.reject(errorFromJSON(data.error)); else pending.resolve(data.value);
  }

  #failAll(error) {
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }
}

/**
 * Starts the dedicated module worker (options.workerUrl, else worker.js beside this file) and its client
 * (connected to the gateway at url, if any).
 */
export async function connectWorker(options, url) {
  if (typeof Worker !== 'function') {
    throw new Unsupported('connect options.worker needs Web Workers (in Node, run functions in this thread)');
  }
  // The default is spelled as bundlers look for it: webpack and Vite see `new Worker(new URL('./…',
  // import.meta.url))` and bundle worker.js as a worker of its own (docs/js-runtime.md, "Packages and bundlers").
  const worker = options.workerUrl === undefined
    ? new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'faasm.js' })
    : new Worker(options.workerUrl, { type: 'module', name: 'faasm.js' });
  // For messages only, and spelled otherwise, lest bundlers take it for a second reference to bundle.
  const moduleUrl = import.meta.url;
  const script = new URL(options.workerUrl ?? new URL('worker.js', moduleUrl), globalThis.location?.href).href;
  const client = new WorkerClient(worker, () => worker.terminate(), script);
  try {
    return await client.connect(options, url);
  } catch (error) {
    worker.terminate();
    throw error;
  }
}
