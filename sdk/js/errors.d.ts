// faasmjs errors: what invoke() and connect() reject with. A function that traps or returns non-zero does
// not reject: its invocation resolves with returnValue != 0 and `error` set.

/** Base class of every faasm.js runtime error. */
export declare class FaasmError extends Error {
  constructor(message?: string, options?: { cause?: unknown });
  /** The stable name of the failure; equals the class name. */
  readonly code: ErrorCode;
}

export type ErrorCode = 'FunctionNotFound' | 'LoadError' | 'ClientClosed' | 'ReentrantCall' | 'Timeout' | 'Unsupported'
  | 'ConnectionLost' | 'GatewayError' | 'ProtocolError' | 'DecodeError';

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
/** JSPI forced on an engine without it, a gateway URL where there is no WebSocket, worker mode without Web Workers. */
export declare class Unsupported extends FaasmError { readonly code: 'Unsupported'; }
/**
 * The connection to the gateway is gone and the request went with it (reconnecting failed, or the gateway lost
 * the session and the request was not safe to repeat); the message names the call and says its outcome is unknown.
 */
export declare class ConnectionLost extends FaasmError { readonly code: 'ConnectionLost'; }
/** The gateway answered a request with ERROR. */
export declare class GatewayError extends FaasmError {
  constructor(message: string, options?: { gatewayCode?: GatewayErrorCode; cause?: unknown });
  readonly code: 'GatewayError';
  /** The ERROR code's name (docs/protocol.md); a code this runtime does not know reads `Error<number>`. */
  readonly gatewayCode: GatewayErrorCode;
}
/** docs/protocol.md's ERROR codes. */
export type GatewayErrorCode = 'BadFrame' | 'FrameTooLarge' | 'BodyTooLarge' | 'BadVersion' | 'BadUser' | 'BadToken'
  | 'NotAuthenticated' | 'UnknownType' | 'UnknownFunction' | 'UnknownCall' | 'ReplyLost' | 'BadWasm' | 'BadState'
  | 'DuplicateId' | 'Internal' | 'Forbidden' | 'LimitExceeded' | 'VersionMismatch' | `Error${number}`;
/** The gateway sent something that does not follow faasmjs.v1: a bug on one side. */
export declare class ProtocolError extends FaasmError { readonly code: 'ProtocolError'; }

/**
 * Bytes that are not the value a schema describes (faasmjs/values): a state value read with a schema, or the
 * output of a call that succeeded, read with options.output. Encoding a value that does not fit its schema is a
 * TypeError or RangeError instead.
 */
export declare class DecodeError extends FaasmError {
  constructor(message: string, options?: { path?: string; offset?: number; cause?: unknown });
  readonly code: 'DecodeError';
  /** Where decoding stopped: '' for the value itself, else a field path such as '.tags[2]' or '.scores["a"]'. */
  readonly path: string;
  /** The byte offset where decoding stopped: into the cereal bytes, or for a UTF-8-safe error into the output as it came. */
  readonly offset: number | undefined;
}

/** A structured-clone-safe form of an error, for postMessage. */
export declare function errorToJSON(error: unknown): { code: string | null; name: string; message: string; gatewayCode?: string };
/** The inverse of errorToJSON: the same class when it is one of faasm.js's, else a plain Error of that name. */
export declare function errorFromJSON(json: { code: string | null; name: string; message: string; gatewayCode?: string }): Error;
