// Types for asyncify.js: the driver that lets the imports of a faasmjs-asyncify binary return Promises.

/** Binaryen's Asyncify states, as returned by the module's `asyncify_get_state` export. */
export declare const State: Readonly<{ Normal: 0; Unwinding: 1; Rewinding: 2 }>;
export type State = (typeof State)[keyof typeof State];

/** A marker an import's Promise resolves to; see resumeWith(). */
export declare class Resumption {
  private constructor();
}

/**
 * Resolve an import's Promise with this when the host must call into the guest (e.g. its malloc) once the
 * stack is rewound: the driver calls fn at the import, after the rewind, and the import returns fn's result.
 */
export declare function resumeWith<R>(fn: () => R): Resumption;

/** Runs a resumeWith() marker (or passes any other value through): for hosts that resume without this driver (JSPI). */
export declare function resumedValue(value: unknown): unknown;

/** Bytes reserved for saved call stacks when options.dataSize is not given (64 KiB). */
export declare const DEFAULT_DATA_SIZE: number;

/** Misuse of the driver, or a module that breaks the Asyncify contract. */
export declare class AsyncifyError extends Error {
  constructor(message: string, options?: { cause?: unknown });
}

export interface AsyncifyOptions {
  /** Size of the data region that holds a suspended call stack, header included. Default DEFAULT_DATA_SIZE. */
  dataSize?: number;
  /** Use this address in linear memory for the data region instead of allocating it with the guest's malloc. */
  dataAddress?: number;
  /**
   * The imports that may suspend, as "module.name" strings (e.g. the manifest's blockingImports prefixed
   * with "env."), or a predicate. Default: every function import. Any other import that returns a Promise
   * fails the call with an AsyncifyError.
   */
  suspending?: Iterable<string> | ((module: string, name: string) => boolean);
}

/** Every exported function becomes async; memories, tables and globals pass through. */
export type AsyncExports = {
  readonly [name: string]: ((...args: any[]) => Promise<any>) | WebAssembly.Memory | WebAssembly.Table
    | WebAssembly.Global;
};

/** The per-instance state machine, reached as `instance.asyncify`. */
export declare class AsyncifyDriver {
  private constructor();
  /** True when the module has the asyncify control exports. */
  readonly asyncified: boolean;
  /** Binaryen's state; State.Normal also while a call is suspended. */
  readonly state: State;
  /** "module.name" of the import a call is suspended in, or null. */
  readonly suspendedAt: string | null;
  /** The data region's address once allocated, else null. */
  readonly dataAddress: number | null;
  readonly dataSize: number;
  /** The instance's own exports, callable synchronously (e.g. malloc while a call is suspended). */
  readonly rawExports: WebAssembly.Exports;
  /** Makes any function of this instance (e.g. from its function table) an async entry point. */
  wrap<Args extends any[], R>(fn: (...args: Args) => R, label?: string): (...args: Args) => Promise<R>;
}

/** A WebAssembly.Instance whose exported functions are async and whose imports may return Promises. */
export declare class Instance extends WebAssembly.Instance {
  constructor(module: WebAssembly.Module, importObject?: WebAssembly.Imports, options?: AsyncifyOptions);
  readonly exports: AsyncExports;
  readonly asyncify: AsyncifyDriver;
}

export interface InstantiatedSource {
  module: WebAssembly.Module;
  instance: Instance;
}

/** Like WebAssembly.instantiate: a Module gives an Instance, bytes give { module, instance }. */
export declare function instantiate(
  source: WebAssembly.Module, importObject?: WebAssembly.Imports, options?: AsyncifyOptions): Promise<Instance>;
export declare function instantiate(
  source: BufferSource, importObject?: WebAssembly.Imports, options?: AsyncifyOptions): Promise<InstantiatedSource>;

/** Like WebAssembly.instantiateStreaming. */
export declare function instantiateStreaming(
  source: Response | PromiseLike<Response>, importObject?: WebAssembly.Imports,
  options?: AsyncifyOptions): Promise<InstantiatedSource>;
