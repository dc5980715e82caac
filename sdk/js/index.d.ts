// faasmjs: run Faasm functions (one C++-compiled WebAssembly binary) in the browser, in a dedicated Web
// Worker, or in Node. Reference: docs/js-runtime.md.
export {
  FaasmError, ErrorCode, FunctionNotFound, LoadError, ClientClosed, ReentrantCall, Timeout, Unsupported,
} from './errors.js';

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

export interface ConnectOptions {
  /** State namespace (Faasm's user). Default 'faasmjs'. */
  user?: string;
  /**
   * Where NAME.wasm, NAME.async.wasm and NAME.manifest.json live: a base URL (relative to the page), in Node a
   * directory path or file: URL; or an object naming each function's files.
   */
  functions: string | Record<string, FunctionFiles>;
  /** 'auto' (default) picks 'jspi' where the engine has it, else 'asyncify'. */
  suspension?: 'auto' | Suspension;
  /** Run functions in a dedicated module Web Worker (browsers). Default false. */
  worker?: boolean;
  /** Where guest stdout/stderr go: into the result ('capture', default), to the console, or both. */
  stdout?: 'capture' | 'console' | 'both';
  /** Values __faasm_conf_flag answers besides Faasm's fixed ALWAYS_ON (1) and ALWAYS_OFF (0); others are 0. */
  confFlags?: Record<string, number>;
}

export interface InvokeOptions {
  /** Command line: argv = ["function.wasm", ...cmdline.split(' ')]. Propagated to chained calls, as Faasm does. */
  cmdline?: string;
  /** Abandon the call after this many milliseconds: invoke rejects with Timeout. */
  timeoutMs?: number;
  /** This call (and the calls it chains) suspends this way instead of the client's. */
  suspension?: 'auto' | Suspension;
}

/** What happened in one call; chained calls nest. */
export interface Trace {
  function: string;
  /** Unique per client; chained calls' ids are what __faasm_chain_* returned. */
  id: number;
  where: 'browser';
  suspension: Suspension;
  /** When the call was made (chained: when chained), in ms since the epoch (performance.timeOrigin based). */
  startedAt: number;
  /** From startedAt until the call and every call it chained finished. */
  durationMs: number;
  /** How many times the function waited on a blocking host call. */
  suspensions: number;
  /** The calls it chained, in the order chained. */
  chained: Trace[];
  /** The call's return value, once finished. */
  returnValue?: number;
  /** Why it failed (as InvokeResult.error), once finished. */
  error?: string | null;
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
  /** Why returnValue is not 0 (the trap or host fault, or the return value and output), else null. */
  error: string | null;
  trace: Trace;
}

export type Phase = 'loading' | 'instantiating' | 'running' | 'suspended' | 'resumed' | 'done';

export interface ProgressDetail {
  id: number;
  function: string;
  phase: Phase;
}

/** The browser-local global tier, for inspection (what functions have pushed). */
export interface StateInspector {
  /** The global value of key in this client's namespace, or null. */
  get(key: string): Promise<Uint8Array | null>;
  /** Replaces the global value (a string is UTF-8) and drops this client's clean local copy, so the next read pulls it. */
  set(key: string, bytes: Uint8Array | string): Promise<void>;
  /** Keys with a global value, sorted. */
  keys(): Promise<string[]>;
}

export interface FaasmClient extends EventTarget {
  /** How this client's functions suspend. */
  readonly suspension: Suspension;
  readonly user: string;
  readonly state: StateInspector;
  /**
   * Runs a function. Resolves even when the function fails (returnValue != 0, error set); rejects only when it
   * cannot run it: FunctionNotFound, LoadError, ClientClosed, ReentrantCall, Timeout, Unsupported.
   */
  invoke(name: string, input?: string | Uint8Array, options?: InvokeOptions): Promise<InvokeResult>;
  /** Abandons calls in flight (they reject with ClientClosed); later invokes reject with ClientClosed. */
  close(): Promise<void>;
  addEventListener(type: 'progress', listener: (event: CustomEvent<ProgressDetail>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: 'trace', listener: (event: CustomEvent<Trace>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}

/**
 * A client. url undefined runs everything here (browser-local); a ws:// URL (the gateway) rejects with
 * Unsupported for now.
 */
export declare function connect(url: string | undefined, options: ConnectOptions): Promise<FaasmClient>;

/** True when the engine has JSPI (WebAssembly.Suspending and WebAssembly.promising). */
export declare function jspiAvailable(): boolean;
