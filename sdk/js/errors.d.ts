// faasmjs errors: what invoke() and connect() reject with. A function that traps or returns non-zero does
// not reject: its invocation resolves with returnValue != 0 and `error` set.

/** Base class of every faasm.js runtime error. */
export declare class FaasmError extends Error {
  constructor(message?: string, options?: { cause?: unknown });
  /** The stable name of the failure; equals the class name. */
  readonly code: ErrorCode;
}

export type ErrorCode = 'FunctionNotFound' | 'LoadError' | 'ClientClosed' | 'ReentrantCall' | 'Timeout' | 'Unsupported';

/** Fetching, reading or compiling failed (not WebAssembly, HTTP error), or a required export or import is wrong. */
export declare class LoadError extends FaasmError { readonly code: 'LoadError' | 'FunctionNotFound'; }
/**
 * No function of that name: not in the functions object, an invalid name, or its binary is not there (HTTP 404,
 * no such file). A LoadError too, so `instanceof LoadError` covers every failure to load.
 */
export declare class FunctionNotFound extends LoadError { readonly code: 'FunctionNotFound'; }
/** The client was closed before or during the call. */
export declare class ClientClosed extends FaasmError { readonly code: 'ClientClosed'; }
/** A call was made into an instance that is already running or suspended in another call. */
export declare class ReentrantCall extends FaasmError { readonly code: 'ReentrantCall'; }
/** The call did not finish within options.timeoutMs. */
export declare class Timeout extends FaasmError { readonly code: 'Timeout'; }
/** JSPI forced on an engine without it, or a remote URL (comes with the gateway). */
export declare class Unsupported extends FaasmError { readonly code: 'Unsupported'; }

/** A structured-clone-safe form of an error, for postMessage. */
export declare function errorToJSON(error: unknown): { code: string | null; name: string; message: string };
/** The inverse of errorToJSON: the same class when it is one of faasm.js's, else a plain Error of that name. */
export declare function errorFromJSON(json: { code: string | null; name: string; message: string }): Error;
