// faasmjs: run Faasm functions (one C++-compiled WebAssembly binary) in the browser, in a dedicated Web
// Worker, or in Node. Reference: docs/js-runtime.md.

/**
 * What the runtime uses of a WebSocket, so that the browser's WebSocket and the ws package's (Node) both fit:
 * either's constructor may be passed as `webSocket`.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly protocol: string;
  readonly readyState: number;
  /** The runtime sends binary frames (Uint8Arrays over an ArrayBuffer); `never` lets every WebSocket's send fit. */
  send(data: never): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
}
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export {
  FaasmError, ErrorCode, FunctionNotFound, LoadError, ClientClosed, ReentrantCall, Timeout, Unsupported,
  ConnectionLost, GatewayError, GatewayErrorCode, ProtocolError, DecodeError,
} from './errors.js';
import type { InputOf, Schema, ValueOf } from './values/index.js';

/** How a function waits on a blocking host call without blocking the thread. */
export type Suspension = 'jspi' | 'asyncify';

/** The files of one function: URLs (or paths in Node), bytes, or for binaries a compiled Module. */
export interface FunctionFiles {
  /** NAME.wasm, the plain binary (run with JSPI). */
  wasm?: string | URL | Uint8Array | ArrayBuffer | WebAssembly.Module;
  /** NAME.async.wasm, made by faasmjs-asyncify (run where JSPI is unavailable). */
  asyncWasm?: string | URL | Uint8Array | ArrayBuffer | WebAssembly.Module;
  /** NAME.manifest.json, or the parsed object. Optional: without it every blocking import of the ABI may suspend. */
  manifest?: string | URL | Uint8Array | ArrayBuffer | object;
}

/** Where a call runs: here, or in the gateway's cluster. */
export type Place = 'browser' | 'cluster';

export interface ConnectOptions {
  /**
   * State namespace (Faasm's user; with a gateway 1-64 of [A-Za-z0-9-]). Default: the token's user, else
   * 'faasmjs'. With a token, the gateway refuses any user but the token's.
   */
  user?: string;
  /**
   * Where NAME.wasm, NAME.async.wasm and NAME.manifest.json live: a base URL (relative to the page), in Node a
   * directory path or file: URL; or an object naming each function's files. Required without a gateway; with
   * one it defaults to the gateway's http(s)://host:port/functions/.
   */
  functions?: string | Record<string, FunctionFiles>;
  /**
   * Where top-level invokes run unless a call says otherwise. Default 'browser'. 'auto' (with a gateway, like
   * 'cluster'): the client chooses per call from what it measured (docs/js-runtime.md, "Automatic placement").
   */
  where?: Place | 'auto';
  /** Where calls chained by functions running here go. Default 'cluster' with a gateway, else 'browser'. */
  chain?: Place;
  /** The WebSocket constructor (Node 20: the ws package's WebSocket). Default globalThis.WebSocket. */
  webSocket?: WebSocketConstructor;
  /**
   * A token for HELLO, signed with the gateway's --token-key-file key (`faasmjs-gateway token`, or
   * sdk/js/auth/mint-token.js in a Node backend). Default '': only a gateway with --allow-anonymous lets
   * a client in without one.
   */
  token?: string;
  /** Reconnecting after a dropped socket: attempts (default 5; the first at once), then delays doubling from delayMs (625) up to maxDelayMs (5000). */
  reconnect?: { attempts?: number; delayMs?: number; maxDelayMs?: number };
  /** A PING after pingAfterMs (15000) without traffic; the socket counts as dropped after deadAfterMs (45000) without a word from the gateway. */
  keepAlive?: { pingAfterMs?: number; deadAfterMs?: number };
  /** 'auto' (default) picks 'jspi' where the engine has it, else 'asyncify'. */
  suspension?: 'auto' | Suspension;
  /** Run functions in a dedicated module Web Worker (browsers). Default false. */
  worker?: boolean;
  /**
   * With worker: the URL (relative to the page) of the worker script, faasmjs/worker as built for the page.
   * Default: worker.js beside the package's modules, which webpack and Vite bundle by themselves; esbuild needs
   * faasmjs/worker as an entry point and this option (docs/js-runtime.md, "Packages and bundlers").
   */
  workerUrl?: string | URL;
  /** Where guest stdout/stderr go: into the result ('capture', default), to the console, or both. */
  stdout?: 'capture' | 'console' | 'both';
  /** Values __faasm_conf_flag answers besides Faasm's fixed ALWAYS_ON (1) and ALWAYS_OFF (0); others are 0. */
  confFlags?: Record<string, number>;
}

export interface InvokeOptions<In extends Schema<any, any> | undefined = Schema<any, any> | undefined,
  Out extends Schema<any, any> | undefined = Schema<any, any> | undefined> {
  /** The schema (faasmjs/values) the input is a value of: it is encoded as the C++ SDK's input<T>() reads it. */
  input?: In;
  /**
   * The schema the output is decoded with, as the C++ SDK's set_output wrote it: the result's `value` (undefined
   * when returnValue != 0). An output that does not decode rejects the invoke with DecodeError.
   */
  output?: Out;
  /** Command line: argv = ["function.wasm", ...cmdline.split(' ')]. Propagated to chained calls, as Faasm does. */
  cmdline?: string;
  /**
   * Abandon the call after this many milliseconds: invoke rejects with Timeout. In the cluster the gateway
   * enforces it (the result then has status 'timedOut'); the client gives up 5 s later if no result comes.
   */
  timeoutMs?: number;
  /** This call (and the calls it chains) suspends this way instead of the client's. */
  suspension?: 'auto' | Suspension;
  /** Where this call runs (default: the client's `where`); 'auto': the client chooses (needs a gateway). */
  where?: Place | 'auto';
  /** Where the calls it chains go, when it runs here (default: the client's `chain`). */
  chain?: Place;
  /**
   * Files written into the host's runtime root before the call (path absolute or relative to ".", parents
   * created, a string is UTF-8). They stay there after the call, like any file a call writes: later calls on
   * the same client see them. Not yet for a call in the cluster (TypeError).
   */
  files?: Record<string, Uint8Array | string>;
}

/** What happened in one call; chained calls nest. */
export interface Trace {
  function: string;
  /** Unique per client; chained calls' ids are what __faasm_chain_* returned. */
  id: number;
  where: Place;
  /** How it suspended; null for a call in the cluster. */
  suspension: Suspension | null;
  /** When the call was made (chained: when chained), in ms since the epoch (performance.timeOrigin based). */
  startedAt: number;
  /** From startedAt until the call and every call it chained finished. */
  durationMs: number;
  /** A call chained by pointer: the table entry it runs (`function` names its binary). */
  funcPtr?: number;
  /** How many times the function waited on a blocking host call. */
  suspensions: number;
  /** The calls it chained, in the order chained. */
  chained: Trace[];
  /** The call's return value, once finished. */
  returnValue?: number;
  /** Why it failed (as InvokeResult.error), once finished. */
  error?: string | null;
  /** How it ended, once finished: here 'finished' (ran to its end, whatever it returned), 'trapped' or 'failed'
   * (a host fault, a chained call that could not start); in the cluster any of these. */
  status?: 'finished' | 'trapped' | 'timedOut' | 'memoryExceeded' | 'cancelled' | 'crashed' | 'failed';
  /** In the cluster: the µs it waited for a worker and ran, and which worker ran it. */
  queuedUs?: number;
  runUs?: number;
  worker?: number;
  /** In the embedded cluster, for a call that ran: whether its worker made its instance ('new') or ran it on one
   * kept from an earlier call of the function and reset to its snapshot ('reset'). */
  instance?: 'new' | 'reset';
  /** In the cluster: chained calls the gateway's trace had no room to list (a wide fork-join). */
  omitted?: number;
  /** A top-level call made with where: 'auto': where the client placed it and why. */
  placement?: Placement;
}

/** Why a where: 'auto' call ran where it did (sdk/js/placement.js). */
export interface Placement {
  where: Place;
  /**
   * 'explore': measuring both places first (a cold start, then `samples` calls each); 'cheaper': the
   * estimates say this place costs less; 'reexplore': re-measuring the place that looked slower, within a
   * budget of about 5% of the time.
   */
  reason: 'explore' | 'cheaper' | 'reexplore';
  /** The comparison in words, e.g. "cluster 62.0 ms (rtt 2.00 + transfer 0.00 + run 60.0 + queue 0.00) vs here 200.0 ms (…)". */
  detail: string;
  /** The estimates at the moment of the choice, in ms (null: not measured yet). */
  estimates: PlacementEstimates;
}

export interface PlacementEstimates {
  /** Cost here: browserRunMs × (1 + browserRunning) + lagMs. */
  browserMs: number | null;
  /** Cost in the cluster: rttMs + transferMs + clusterRunMs + queueMs. */
  clusterMs: number | null;
  /** Median of this function's last run times here (for inputs of this size class). */
  browserRunMs: number | null;
  /** Median of its last times in the cluster beyond what the link explains (its chained calls included). */
  clusterRunMs: number | null;
  /** The round trip of a small call: median overhead of the last small calls in the cluster. */
  rttMs: number | null;
  /** Input + expected output bytes over bytesPerSecond. */
  transferMs: number;
  /** Waiting for a gateway worker when more calls are in flight than it has workers. */
  queueMs: number;
  /** Bytes per second to and from the gateway, from large calls; null before one. */
  bytesPerSecond: number | null;
  /** How late a timer fires on this thread when no call of this client runs here (fading with age). */
  lagMs: number;
  /** Calls of this client running here, and in flight to the cluster, when the call was placed. */
  browserRunning: number;
  clusterRunning: number;
  /** Measurements so far of this function (and input size class) in each place, cold starts not counted. */
  samples: { browser: number; cluster: number };
}

export interface InvokeResult {
  /** What the function last passed to __faasm_write_output. */
  output: Uint8Array;
  /** output as UTF-8. */
  outputText: string;
  /** 0 on success; proc_exit's code; 1 for a trap or a host fault. */
  returnValue: number;
  /** What it wrote to fd 1 and fd 2 (empty with stdout: 'console'). */
  stdout: string;
  stderr: string;
  /** Why returnValue is not 0 (the trap or host fault, with its backtrace: splitBacktrace; or the return value
   * and output), else null. */
  error: string | null;
  trace: Trace;
}

/** The result of an invoke with options.output: also the decoded output. */
export interface TypedInvokeResult<V> extends InvokeResult {
  /** The output decoded with options.output; undefined when returnValue != 0 (the output is then the error's text). */
  value: V | undefined;
}

export type Phase = 'loading' | 'instantiating' | 'running' | 'suspended' | 'resumed' | 'done' | 'sent';

export interface ProgressDetail {
  id: number;
  function: string;
  /** A call in the cluster reports 'sent' and 'done' only. */
  phase: Phase;
  where?: 'cluster';
}

/** The connection to the gateway changed. */
export interface ConnectionDetail {
  /**
   * 'reconnecting': the socket dropped (reason); 'resumed': back on the same session, nothing lost; 'open':
   * back on a new session (sessionLost: the gateway restarted or the grace ran out; `failed` names the
   * requests that failed with ConnectionLost); 'lost': given up (reason), every request fails; 'closed'.
   */
  state: 'open' | 'reconnecting' | 'resumed' | 'lost' | 'closed';
  reason?: string;
  sessionLost?: boolean;
  failed?: string[];
}

/** What the gateway said in WELCOME. */
export interface GatewayInfo {
  version: number;
  session: bigint;
  resumed: boolean;
  maxFrame: number;
  chunkSize: number;
  maxBody: number;
  workers: number;
  server: string;
}

/** The global tier (browser-local, or the gateway's), for inspection: what functions have pushed. */
export interface StateInspector {
  /** The global value of key in this client's namespace, or null. */
  get(key: string): Promise<Uint8Array | null>;
  /** The global value decoded as the C++ SDK's state::Value<T> reads it, or null; DecodeError for other bytes. */
  get<S extends Schema<any, any>>(key: string, schema: S): Promise<ValueOf<S> | null>;
  /** Replaces the global value (a string is UTF-8) and drops this client's clean local copy, so the next read pulls it. */
  set(key: string, bytes: Uint8Array | string): Promise<void>;
  /** As set, with the value encoded as the C++ SDK's state::Value<T> writes it. */
  set<S extends Schema<any, any>>(key: string, value: InputOf<S>, schema: S): Promise<void>;
  /** Keys with a global value, sorted. */
  keys(): Promise<string[]>;
}

/**
 * The shared files functions open as `faasm://PATH` (Faasm's upload server: `PUT /file`, header
 * `FilePath: PATH`). Browser-local the client holds them; a host pulls a file the first time one of its calls
 * opens it and keeps that copy (a function's writes change only the copy).
 */
export interface SharedFiles {
  /** Stores (or replaces) the file at PATH (no `faasm://`; a string is UTF-8). */
  upload(path: string, bytes: Uint8Array | string): Promise<void>;
  /** The stored file (not a host's copy), or null. */
  get(path: string): Promise<Uint8Array | null>;
}

export interface FaasmClient extends EventTarget {
  /** How this client's functions suspend. */
  readonly suspension: Suspension;
  readonly user: string;
  readonly state: StateInspector;
  readonly files: SharedFiles;
  /** The gateway's WELCOME, or null when browser-local. */
  readonly gateway: GatewayInfo | null;
  /**
   * Runs a function. Resolves even when the function fails (returnValue != 0, error set); rejects only when it
   * cannot run it: FunctionNotFound, LoadError, ClientClosed, ReentrantCall, Timeout, Unsupported; or with DecodeError
   * when options.output does not decode the output of a call that succeeded.
   */
  invoke<In extends Schema<any, any>, Out extends Schema<any, any>>(name: string, input: InputOf<In>,
    options: InvokeOptions<In, Out> & { input: In; output: Out }): Promise<TypedInvokeResult<ValueOf<Out>>>;
  invoke<In extends Schema<any, any>>(name: string, input: InputOf<In>,
    options: InvokeOptions<In, undefined> & { input: In }): Promise<InvokeResult>;
  invoke<Out extends Schema<any, any>>(name: string, input: string | Uint8Array | undefined,
    options: InvokeOptions<undefined, Out> & { output: Out }): Promise<TypedInvokeResult<ValueOf<Out>>>;
  invoke(name: string, input?: string | Uint8Array, options?: InvokeOptions<undefined, undefined>): Promise<InvokeResult>;
  /**
   * Registers (or replaces) a function in the gateway's cluster; resolves once the gateway has compiled it.
   * Rejects with GatewayError (BadWasm...) or, without a gateway, TypeError.
   */
  upload(name: string, wasm: Uint8Array | ArrayBuffer): Promise<{ name: string; sha256: string; compileMs: number }>;
  /**
   * The gateway's registered functions: each binary's sha256 and where its compile stands ('compiling': a call
   * waits; 'optimising': calls run on the quick tier meanwhile; 'ready'; 'failed'; 'elsewhere': Faasm compiles
   * it). Without a gateway, TypeError.
   */
  functions(): Promise<Array<{ name: string; sha256: string; compile: 'compiling' | 'optimising' | 'ready' | 'failed' | 'elsewhere' | 'unknown' }>>;
  /** Abandons calls in flight (they reject with ClientClosed), closes the gateway connection; later invokes reject with ClientClosed. */
  close(): Promise<void>;
  addEventListener(type: 'progress', listener: (event: CustomEvent<ProgressDetail>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: 'trace', listener: (event: CustomEvent<Trace>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: 'connection', listener: (event: CustomEvent<ConnectionDetail>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}

/**
 * A client. url undefined runs everything here (browser-local); a gateway's ws:// or wss:// URL connects to
 * it (one WebSocket, subprotocol faasmjs.v1), and so does, in a page, a URL relative to it such as '/ws'
 * (ws: on an http page, wss: on an https one): calls may run in its cluster, chained calls go there by default,
 * and state is shared with it. Rejects with Unsupported (no WebSocket), GatewayError (BadUser, BadToken...) or
 * ConnectionLost (cannot connect).
 */
export declare function connect(url: string | URL | undefined, options: ConnectOptions): Promise<FaasmClient>;

/** True when the engine has JSPI (WebAssembly.Suspending and WebAssembly.promising). */
export declare function jspiAvailable(): boolean;

/**
 * A failed call's error split into its message and its backtrace: a trap or a host fault ends with one line
 * `    at NAME` per wasm frame, innermost first, from the binary's name section (`wasm-function[N]` for a
 * function without a name), in the browser as in the embedded cluster.
 */
export declare function splitBacktrace(error: string): { message: string; frames: string[] };
