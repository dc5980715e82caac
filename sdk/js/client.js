// The client: runs functions in this thread, chains them to fresh instances of their own binaries, and keeps
// state in a local tier. One client is one Faasm host: its invocations share one local state tier. Connected
// to a gateway (a Connection), it is a host of the gateway's cluster as well: a call may run in the cluster
// (INVOKE) instead of here, calls chained by browser functions go to the cluster by default, and the local
// tier sits in front of the gateway's global tier instead of a browser-local one.
//
// Calls form trees. A top-level invoke() is a root; every call it chains (by name or by pointer) is started
// at once, runs concurrently with its caller and its siblings (each in its own instance), and is awaited by
// id. Ids are unique per client; an await only finds calls of its own tree, and a tree's records go when the
// root finishes. A root finishes when its function has returned and every call of the tree has finished, so
// that its trace is complete.
import { ClientClosed, FunctionNotFound, GatewayError, ProtocolError, Timeout } from './errors.js';
import { ListenedEventTarget, dispatchLater, timestamp } from './events.js';
import { createRuntimeRoot, rootPath } from './files/runtime-root.js';
import { HostSharedFiles } from './files/host-shared-files.js';
import { BrowserSharedFiles, checkSharedPath } from './files/shared-store.js';
import { FunctionLoader } from './function-loader.js';
import { HostFault } from './host/faults.js';
import { returnedMessage, runInvocation } from './invocation.js';
import { Placement, ThreadLag } from './placement.js';
import { BrowserGlobalTier } from './state/global-tier.js';
import { LocalTier } from './state/local-tier.js';
import { RemoteGlobalTier } from './state/remote-tier.js';
import { RemoteSharedFiles } from './transport/remote-shared-files.js';
import { chooseSuspension, variantFor } from './suspension.js';
import { connectionOptions } from './transport/connection.js';
import { TYPE } from './transport/codec.js';
import { invokeTyped, typedState } from './typed-calls.js';
import { ERRNO } from './wasi/defs.js';
import { WasiError } from './wasi/errors.js';

const STDOUT_MODES = Object.freeze(['capture', 'console', 'both']);
const PLACES = Object.freeze(['browser', 'cluster']);
// Where a top-level call may run: 'auto' lets the client choose per call (placement.js).
const ROOT_PLACES = Object.freeze([...PLACES, 'auto']);
const CONNECT_OPTIONS = new Set(['user', 'functions', 'suspension', 'worker', 'workerUrl', 'stdout', 'confFlags', 'where',
  'chain', 'webSocket', 'token', 'reconnect', 'keepAlive']);
const INVOKE_OPTIONS = new Set(['cmdline', 'timeoutMs', 'suspension', 'where', 'chain', 'files']);
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();
const CLUSTER_RESULT_GRACE_MS = 5_000;

/** Input as bytes: a string is UTF-8, undefined is no input. */
export function inputBytes(input) {
  if (input === undefined || input === null) return new Uint8Array(0);
  if (typeof input === 'string') return utf8.encode(input);
  if (input instanceof Uint8Array) return input.slice();
  if (input instanceof ArrayBuffer) return new Uint8Array(input.slice(0));
  throw new TypeError(`invoke: input must be a string, a Uint8Array or undefined, got ${Object.prototype.toString.call(input)}`);
}

function checkKeys(options, allowed, where) {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where} must be an object`);
  for (const key of Object.keys(options)) {
    if (!allowed.has(key)) throw new TypeError(`${where}: unknown option ${key}`);
  }
}

function checkPlace(value, where, places = PLACES) {
  if (value !== undefined && !places.includes(value)) {
    const names = places.map((place) => `'${place}'`);
    throw new TypeError(`${where} must be ${names.slice(0, -1).join(', ')} or ${names.at(-1)}, got ${String(value)}`);
  }
}

/** The gateway's function binaries for a ws:// URL: the same host's /functions/. */
function functionsOf(url) {
  const base = new URL(url);
  base.protocol = base.protocol === 'wss:' ? 'https:' : 'http:';
  base.pathname = '/functions/';
  base.search = '';
  return base.href;
}

/** The user a gateway token (docs/protocol.md, "Tokens": fjs1.USER.ROLE.EXPIRY.SIGNATURE) is for. */
function userOfToken(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  return parts.length === 5 && parts[0] === 'fjs1' ? parts[1] : undefined;
}

/** Validated connect() options with their defaults; `url` is the gateway's, or undefined. */
export function connectOptions(options = {}, url = undefined) {
  checkKeys(options, CONNECT_OPTIONS, 'connect options');
  const connected = url !== undefined;
  const {
    user = userOfToken(options.token) ?? 'faasmjs', functions = connected ? functionsOf(url) : undefined, suspension = 'auto', worker = false,
    workerUrl, stdout = 'capture', confFlags = {}, where = 'browser', chain = connected ? 'cluster' : 'browser', webSocket, token = '',
    reconnect = {}, keepAlive = {},
  } = options;
  checkPlace(where, 'connect options.where', ROOT_PLACES);
  checkPlace(chain, 'connect options.chain');
  if (!connected && (where !== 'browser' || chain === 'cluster')) {
    throw new TypeError('connect options.where can only be \'cluster\' or \'auto\', and .chain \'cluster\', when connecting to a gateway URL');
  }
  if (typeof user !== 'string' || user === '' || user.includes('\0')) {
    throw new TypeError('connect options.user must be a non-empty string');
  }
  if (functions === undefined) throw new TypeError('connect options.functions is required: a base URL, a directory or an object of functions');
  if (!STDOUT_MODES.includes(stdout)) {
    throw new TypeError(`connect options.stdout must be one of ${STDOUT_MODES.join(', ')}, got ${String(stdout)}`);
  }
  if (typeof worker !== 'boolean') throw new TypeError('connect options.worker must be a boolean');
  if (workerUrl !== undefined && !(typeof workerUrl === 'string' || workerUrl instanceof URL)) {
    throw new TypeError(`connect options.workerUrl must be a URL (a string or URL) of faasm.js's worker script, got ${String(workerUrl)}`);
  }
  if (workerUrl !== undefined && !worker) throw new TypeError('connect options.workerUrl needs worker: true');
  if (typeof confFlags !== 'object' || confFlags === null
      || Object.values(confFlags).some((value) => !Number.isInteger(value))) {
    throw new TypeError('connect options.confFlags must map flag names to integers');
  }
  if (typeof token !== 'string') throw new TypeError('connect options.token must be a string');
  connectionOptions({ reconnect, keepAlive });
  return { user, functions, suspension, worker, workerUrl, stdout, confFlags, where, chain, webSocket, token, reconnect, keepAlive };
}

/** File contents as bytes: a string is UTF-8. */
function fileBytes(contents, where) {
  if (typeof contents === 'string') return utf8.encode(contents);
  if (contents instanceof Uint8Array) return contents.slice();
  throw new TypeError(`${where} must be a Uint8Array or a string, got ${Object.prototype.toString.call(contents)}`);
}

/** invoke options.files as [absolute path in the runtime root, bytes] pairs. */
function seededFiles(files) {
  if (files === undefined) return [];
  if (files === null || typeof files !== 'object' || Array.isArray(files)) {
    throw new TypeError('invoke options.files must be an object of path → Uint8Array or string');
  }
  return Object.entries(files).map(([path, contents]) => {
    if (path === '' || path.includes('\0') || path.startsWith('faasm://')) {
      throw new TypeError(`invoke options.files: '${path}' is not a path of the runtime root (shared files go through client.files)`);
    }
    if (rootPath(path) === '/') throw new TypeError(`invoke options.files: '${path}' names the root directory`);
    return [rootPath(path), fileBytes(contents, `invoke options.files['${path}']`)];
  });
}

/** Validated invoke() options. */
export function invokeOptions(options = {}) {
  checkKeys(options, INVOKE_OPTIONS, 'invoke options');
  const { cmdline = '', timeoutMs, suspension, where, chain } = options;
  const files = seededFiles(options.files);
  checkPlace(where, 'invoke options.where', ROOT_PLACES);
  checkPlace(chain, 'invoke options.chain');
  if (typeof cmdline !== 'string') throw new TypeError('invoke options.cmdline must be a string');
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError('invoke options.timeoutMs must be a positive number of milliseconds');
  }
  return { cmdline, timeoutMs, suspension, where, chain, files };
}

export class Client extends ListenedEventTarget {
  #loader;
  #suspension;
  #user;
  #stdout;
  #confFlags;
  #tier;
  #runtimeRoot = createRuntimeRoot();
  #sharedFiles;
  #closed = false;
  #nextId = 1;
  #roots = new Set();
  #connection;
  #where;
  #chain;
  #placement;
  #threadLag;
  #browserRunning = 0;
  #ranHereAt = -Infinity;
  #clusterRunning = 0;

  /**
   * Use connect(). With a `connection` (transport/connection.js) the client works with that gateway;
   * `globalTier` replaces the global tier with any GlobalTier (state/global-tier.d.ts), e.g. an instrumented
   * one in tests; `sharedFiles` the store of shared files with any SharedFileStore (files/shared-store.d.ts):
   * by default the browser-local one, or the gateway's (transport/remote-shared-files.js) when connected;
   * `placement` the policy of where: 'auto' (placement.js) with one made with other options or a fake clock.
   */
  constructor(options, { connection = null, globalTier, sharedFiles, placement = new Placement() } = {}) {
    super();
    const { user, functions, suspension, stdout, confFlags, where, chain } = connectOptions(options, connection?.url);
    this.#connection = connection;
    this.#where = where;
    this.#chain = chain;
    this.#placement = placement;
    this.#threadLag = new ThreadLag((ms) => placement.recordLag(ms), {
      busy: (due) => this.#browserRunning > 0 || this.#ranHereAt > due,
    });
    globalTier ??= connection === null ? new BrowserGlobalTier() : new RemoteGlobalTier(connection, user);
    sharedFiles ??= connection === null ? new BrowserSharedFiles() : new RemoteSharedFiles(connection);
    connection?.addEventListener('connection', ({ detail }) => dispatchLater(this, 'connection', detail));
    this.#suspension = chooseSuspension(suspension);
    this.#loader = new FunctionLoader(functions);
    this.#user = user;
    this.#stdout = stdout;
    this.#confFlags = Object.freeze({ ...confFlags });
    this.#tier = new LocalTier(globalTier, user);
    this.#sharedFiles = new HostSharedFiles(sharedFiles);
    /** The shared files functions open as `faasm://PATH`, by PATH (the upload server's FilePath). */
    this.files = Object.freeze({
      async upload(path, bytes) {
        checkSharedPath(path, 'files.upload');
        await sharedFiles.upload(path, fileBytes(bytes, `files.upload('${path}'): the contents`));
      },
      async get(path) {
        return sharedFiles.get(checkSharedPath(path, 'files.get'));
      },
    });
    const tier = this.#tier;
    const prefix = `${user}_`;
    /**
     * The global tier (browser-local, or the gateway's), for inspection: what functions have pushed. A schema
     * (faasmjs/values) as the last argument reads or writes a typed value instead of bytes.
     */
    this.state = typedState({
      async get(key) {
        const stored = await tier.global.pull(tier.globalKey(key));
        return stored === null ? null : stored.bytes;
      },
      async set(key, bytes) {
        await tier.global.set(tier.globalKey(key), bytes instanceof Uint8Array ? bytes : utf8.encode(String(bytes)));
        tier.forget(key);
      },
      async keys() {
        return (await tier.global.keys(prefix)).map((key) => key.slice(prefix.length));
      },
    });
  }

  /** 'jspi' or 'asyncify': how functions of this client suspend unless a call says otherwise. */
  get suspension() { return this.#suspension; }

  /** The state namespace. */
  get user() { return this.#user; }

  /** The gateway this client works with (its WELCOME: server, workers, limits), or null when browser-local. */
  get gateway() { return this.#connection?.welcome ?? null; }

  /**
   * Registers (or replaces) a function in the gateway's cluster; resolves once it is compiled there.
   * @returns {Promise<{ name: string, sha256: string, compileMs: number }>}
   */
  async upload(name, wasm) {
    if (this.#closed) throw new ClientClosed(`upload('${name}'): the client is closed`);
    const connection = this.#needConnection(`upload('${name}')`);
    if (typeof name !== 'string' || name === '') throw new TypeError('upload: name must be a non-empty string');
    let bytes;
    if (wasm instanceof Uint8Array) bytes = wasm;
    else if (wasm instanceof ArrayBuffer) bytes = new Uint8Array(wasm);
    else throw new TypeError(`upload('${name}'): the binary must be a Uint8Array or an ArrayBuffer`);
    const reply = await connection.request(TYPE.UPLOAD, { function: name, wasm: bytes }, { label: `upload of ${name}` });
    return { name: reply.function, sha256: reply.sha256, compileMs: reply.compileMs };
  }

  /**
   * The functions the gateway has registered, each with its binary's sha256 and where its compile stands:
   * 'compiling' (a call waits), 'optimising' (calls run on the quick tier meanwhile), 'ready', 'failed' or
   * 'elsewhere' (in front of Faasm, which compiles it).
   * @returns {Promise<Array<{ name: string, sha256: string, compile: string }>>}
   */
  async functions() {
    if (this.#closed) throw new ClientClosed('functions(): the client is closed');
    const connection = this.#needConnection('functions()');
    return (await connection.request(TYPE.FUNCTIONS, {}, { label: 'list of functions' })).functions;
  }

  #needConnection(what) {
    if (this.#connection === null) throw new TypeError(`${what} needs a client connected to a gateway`);
    return this.#connection;
  }

  /**
   * Runs a function. Resolves with its result even when it fails (returnValue != 0, `error` set); rejects
   * only when it cannot be run (FunctionNotFound, LoadError, ClientClosed, Timeout, Unsupported), or when
   * options.output's schema does not decode a successful call's output (DecodeError).
   */
  invoke(name, input, options = {}) {
    return invokeTyped((...call) => this.#invokeBytes(...call), name, input, options);
  }

  // invoke without options.input and options.output: input and output as bytes.
  async #invokeBytes(name, input, options) {
    if (this.#closed) throw new ClientClosed(`invoke('${name}'): the client is closed`);
    const {
      cmdline, timeoutMs, suspension: requested, where: requestedWhere = this.#where, chain = this.#chain, files,
    } = invokeOptions(options);
    if (requestedWhere !== 'browser' || chain === 'cluster') this.#needConnection(`invoke('${name}') in the cluster`);
    const bytes = inputBytes(input);
    const placement = requestedWhere === 'auto' ? this.#place(name, bytes) : null;
    const where = placement?.where ?? requestedWhere;
    // A call in the cluster takes its files in INVOKE (the host that runs it seeds them); a browser call's
    // go into this host's runtime root.
    if (where === 'browser') this.#seed(files, name);
    const suspension = requested === undefined ? this.#suspension : chooseSuspension(requested, 'invoke options.suspension');
    const root = this.#start({
      name, entry: { kind: 'start' }, input: bytes, cmdline, suspension, where, chain, timeoutMs,
      files: where === 'cluster' ? files : [], placement,
    }, null);
    this.#roots.add(root);
    let timer;
    if (timeoutMs !== undefined) {
      // In the cluster the gateway enforces the limit and reports it in the result (status timedOut); the
      // client gives up only if that result does not come back in time.
      const wait = where === 'cluster' ? timeoutMs + CLUSTER_RESULT_GRACE_MS : timeoutMs;
      timer = setTimeout(() => root.abandon(new Timeout(`${name} did not finish within ${timeoutMs} ms`)), wait);
    }
    let measured = false;
    try {
      const result = await Promise.race([root.finished, root.abandoned]);
      this.#measured(root, bytes, result, placement !== null);
      measured = true;
      dispatchLater(this, 'trace', root.trace);
      return { ...result, trace: root.trace };
    } finally {
      clearTimeout(timer);
      this.#roots.delete(root);
      if (!measured && placement !== null) this.#placement.abandoned(name, bytes.length, where);
    }
  }

  // where: 'auto': the placement policy's choice, from what it measured and this client's calls in flight.
  #place(name, bytes) {
    this.#threadLag.start();
    const decision = this.#placement.choose(name, bytes.length, {
      browserRunning: this.#browserRunning, clusterRunning: this.#clusterRunning, workers: this.#connection.welcome?.workers ?? 1,
    });
    this.#placement.started(name, bytes.length, decision.where);
    return decision;
  }

  // Every finished top-level call teaches the placement policy, whichever way it was placed.
  #measured(root, bytes, result, placed) {
    const { trace } = root;
    if (trace.where === 'browser') {
      if (root.runStartedAt === undefined) return;
      this.#placement.recordBrowser(trace.function, bytes.length, { runMs: root.finishedAt - root.runStartedAt, placed });
    } else {
      this.#placement.recordCluster(trace.function, bytes.length, {
        wallMs: trace.durationMs, queuedMs: trace.queuedUs / 1000, runMs: trace.runUs / 1000, outputBytes: result.output.length,
        chained: trace.chained.length > 0 || trace.omitted !== undefined, placed,
      });
    }
  }

  // Seeded files are written into this host's runtime root before the call, and stay there like any file a
  // call writes.
  #seed(files, name) {
    for (const [path, bytes] of files) {
      try {
        this.#runtimeRoot.writeFile(path, bytes);
      } catch (error) {
        if (!(error instanceof WasiError)) throw error;
        const why = error.errno === ERRNO.ISDIR ? 'a directory is there' : 'a file is where a directory must be';
        throw new TypeError(`invoke('${name}'): options.files cannot write ${path}: ${why}`, { cause: error });
      }
    }
  }

  /** Closes the client: calls in flight are abandoned (their invokes reject with ClientClosed), later ones refused. */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#threadLag.stop();
    for (const root of this.#roots) root.abandon(new ClientClosed(`${root.trace.function}: the client was closed during the call`));
    this.#connection?.close();
  }

  // Starts a call (a root when parent is null) and returns its record at once.
  #start(spec, parent) {
    const { name, where } = spec;
    const id = this.#nextId++;
    const trace = {
      function: name, id, where, suspension: where === 'browser' ? spec.suspension : null, startedAt: timestamp(),
      durationMs: 0, suspensions: 0, chained: [],
    };
    // A call by pointer runs a table entry of its caller's binary: `function` names the binary, as Faasm does.
    if (spec.entry.kind === 'pointer') trace.funcPtr = spec.entry.index;
    if (spec.placement) {
      const { where: placed, reason, detail, estimates } = spec.placement;
      trace.placement = { where: placed, reason, detail, estimates };
    }
    const record = { id, trace, children: [], calls: null, root: null, abandonedBy: null };
    if (parent === null) {
      record.root = record;
      record.calls = new Map();
      let abandon;
      record.abandoned = new Promise((_, reject) => { abandon = reject; });
      record.abandoned.catch(() => {});
      // Calls of the tree in the cluster stop with it: their INVOKEs are cancelled.
      record.stop = new AbortController();
      record.abandon = (error) => {
        record.abandonedBy ??= error;
        record.stop.abort(error);
        abandon(error);
      };
    } else {
      record.root = parent.root;
      parent.children.push(record);
      parent.trace.chained.push(trace);
    }
    record.root.calls.set(id, record);
    record.finished = where === 'cluster' ? this.#runInCluster(record, spec) : this.#run(record, spec);
    if (parent !== null) record.finished = record.finished.catch((error) => this.#failed(record, error));
    return record;
  }

  // A call in the gateway's cluster: INVOKE, then its RESULT in the shape of a browser result; the trace of
  // what it chained in the cluster comes from the gateway.
  async #runInCluster(record, { name, entry, input, cmdline, timeoutMs, files = [] }) {
    const progress = (phase) => dispatchLater(this, 'progress', { id: record.id, function: name, phase, where: 'cluster' });
    progress('sent');
    const fields = {
      function: name, funcPtr: entry.kind === 'pointer' ? entry.index : 0, cmdline, input,
      timeoutMs: timeoutMs === undefined ? 0 : Math.min(Math.ceil(timeoutMs), 0xFFFFFFFF),
      files: files.map(([path, data]) => ({ path, data })),
      // The gateway refuses to run another version than the one this page has (docs/protocol.md, INVOKE).
      sha256: this.#loader.loadedVersion(name) ?? '',
    };
    const label = entry.kind === 'pointer' ? `call ${record.id} (${name}, function pointer ${entry.index})` : `call ${record.id} (${name})`;
    let result;
    this.#clusterRunning += 1;
    try {
      result = await this.#connection.request(TYPE.INVOKE, fields, { label, signal: record.root.stop.signal });
    } catch (error) {
      if (error instanceof GatewayError && error.gatewayCode === 'UnknownFunction') {
        throw new FunctionNotFound(`no function named '${name}' in the gateway's cluster (${error.message})`, { cause: error });
      }
      throw error;
    } finally {
      this.#clusterRunning -= 1;
    }
    const gatewayTrace = parseClusterTrace(result.trace, label);
    const outputText = fromUtf8.decode(result.output);
    const trace = record.trace;
    trace.durationMs = timestamp() - trace.startedAt;
    trace.returnValue = result.returnValue;
    // As in the browser: a call that ran to its end with a non-zero return says so with its output.
    trace.error = result.error !== '' ? result.error
      : result.returnValue !== 0 ? returnedMessage(name, result.returnValue, outputText) : null;
    Object.assign(trace, { status: result.status, queuedUs: result.queuedUs, runUs: result.runUs, worker: gatewayTrace.worker },
      backendFields(gatewayTrace));
    trace.chained = (gatewayTrace.chained ?? []).map((call) => clusterCall(call, trace.startedAt));
    if (gatewayTrace.omitted !== undefined) trace.omitted = gatewayTrace.omitted;
    progress('done');
    return {
      output: result.output, outputText, returnValue: result.returnValue,
      stdout: fromUtf8.decode(result.stdout), stderr: fromUtf8.decode(result.stderr), error: trace.error,
    };
  }

  async #run(record, { name, entry, input, cmdline, suspension, loaded, chain }) {
    const progress = (phase) => dispatchLater(this, 'progress', { id: record.id, function: name, phase });
    progress('loading');
    const fn = loaded ?? await this.#loader.load(name, variantFor(suspension));
    this.#checkAbandoned(record, 'loading');
    // The run time where: 'auto' compares starts here: a cold load is paid once, not per call.
    record.runStartedAt = timestamp();
    this.#browserRunning += 1;
    let result;
    try {
      result = await runInvocation({
        loaded: fn, suspension, entry, input, cmdline, stdout: this.#stdout,
        services: this.#services(record, fn, { cmdline, suspension, progress, chain }),
      });
    } finally {
      this.#browserRunning -= 1;
      this.#ranHereAt = performance.now();
    }
    // Calls that were chained and never awaited still belong to this call's result, and so do the uploads
    // of the shared files it wrote: one that failed fails the call, as a failed upload in a write does on Faasm.
    await Promise.all(record.children.map((child) => child.finished));
    const failedUploads = await this.#sharedFiles.settle();
    if (failedUploads.length > 0) {
      result.returnValue = 1;
      result.error = `${name}: ${failedUploads.map((error) => error.message).join('; ')}`;
    }
    record.finishedAt = timestamp();
    record.trace.durationMs = record.finishedAt - record.trace.startedAt;
    record.trace.returnValue = result.returnValue;
    record.trace.error = result.error;
    // How the call ended belongs to its trace, as a call in the cluster has it; a failed upload fails it.
    const { status, ...finished } = result;
    record.trace.status = failedUploads.length > 0 ? 'failed' : status;
    progress('done');
    return finished;
  }

  // A chained call that could not even start (unknown function, bad binary) fails as Faasm fails it.
  #failed(record, error) {
    const message = `chained call ${record.id} (${record.trace.function}) failed: ${error.message}`;
    record.trace.durationMs = timestamp() - record.trace.startedAt;
    record.trace.returnValue = 1;
    record.trace.error = message;
    record.trace.status = 'failed';
    return { output: new Uint8Array(0), outputText: '', returnValue: 1, stdout: '', stderr: '', error: message };
  }

  #checkAbandoned(record, call) {
    const reason = record.root.abandonedBy;
    if (reason !== null) throw new HostFault(call, 'cancelled', { reason: reason.message });
  }

  // The client's half of an invocation's host context (see host/index.js).
  #services(record, fn, { cmdline, suspension, progress, chain }) {
    return {
      tier: this.#tier,
      runtimeRoot: this.#runtimeRoot,
      sharedFiles: this.#sharedFiles,
      invocation: record.id,
      confFlags: this.#confFlags,
      progress,
      log: (message) => console.debug(`faasm.js [${fn.name}]: ${message}`),
      enter: (call) => this.#checkAbandoned(record, call.replace(/^__faasm_/, '')),
      suspend: (call, promise) => {
        record.trace.suspensions += 1;
        progress('suspended');
        return Promise.resolve(promise).then((value) => {
          this.#checkAbandoned(record, call.replace(/^__faasm_/, ''));
          progress('resumed');
          return value;
        });
      },
      // Chained calls go where the root's `chain` option says; a fork-join's INVOKEs all leave in one frame.
      chain: (target, input) => {
        const spec = { input, cmdline, suspension, entry: { kind: 'start' }, where: chain, chain };
        if (target.name !== undefined) {
          spec.name = target.name;
        } else {
          spec.name = fn.name;
          spec.loaded = fn;
          spec.entry = { kind: 'pointer', index: target.index };
        }
        return this.#start(spec, record).id;
      },
      awaitCall: (id) => {
        const callee = record.root.calls.get(id);
        if (callee === undefined || callee === record) {
          console.warn(`faasm.js [${fn.name}]: await of unknown call id ${id} (returns 1, as Faasm does on error)`);
          return Promise.resolve({ returnValue: 1, output: new Uint8Array(0) });
        }
        return callee.finished;
      },
    };
  }
}

// RESULT.trace (docs/protocol.md): JSON metadata of the call and what it chained in the cluster.
function parseClusterTrace(json, label) {
  try {
    const parsed = JSON.parse(json);
    if (parsed !== null && typeof parsed === 'object' && (parsed.chained === undefined || Array.isArray(parsed.chained))) return parsed;
  } catch {
    // reported below
  }
  throw new ProtocolError(`${label}: the gateway's RESULT carries a trace that is not the JSON object docs/protocol.md describes`);
}

// A call chained in the cluster, as browser traces look. Its id is the cluster's; the gateway times its calls
// from its INVOKE's arrival (startUs, endUs), which the browser takes to be when the INVOKE left (startedAt).
function clusterCall(call, startedAt) {
  const timed = Number.isFinite(call.startUs) && Number.isFinite(call.endUs);
  return {
    function: call.function, id: call.id, where: 'cluster', suspension: null,
    startedAt: timed ? startedAt + call.startUs / 1000 : startedAt,
    durationMs: timed ? (call.endUs - call.startUs) / 1000 : ((call.queuedUs ?? 0) + (call.runUs ?? 0)) / 1000,
    suspensions: 0, status: call.status, ...(call.funcPtr === undefined ? {} : { funcPtr: call.funcPtr }),
    queuedUs: call.queuedUs, runUs: call.runUs, worker: call.worker, returnValue: call.returnValue, error: call.error ?? null,
    chained: Array.isArray(call.chained) ? call.chained.map((child) => clusterCall(child, startedAt)) : [],
    ...(call.omitted === undefined ? {} : { omitted: call.omitted }),
    ...backendFields(call),
  };
}

// In front of Faasm the gateway names the backend and the host that executed each call (docs/protocol.md).
// What the backend adds: Faasm names its host; the embedded cluster whether the worker made the call's instance.
function backendFields(call) {
  if (call.backend !== undefined) return { backend: call.backend, host: call.host ?? null };
  return call.instance === undefined ? {} : { instance: call.instance };
}
