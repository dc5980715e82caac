// The errors invoke() and connect() reject with: only embedder-level failures. A function that traps or
// returns non-zero is not one of them: its invocation resolves with returnValue != 0 and `error` set, as on
// Faasm. Each class carries a stable `code`, which also survives postMessage between a worker and the page.

/** Base class of every faasm.js runtime error. */
export class FaasmError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }

  /** The stable name of the failure, e.g. "FunctionNotFound". */
  get code() { return this.name; }
}

/** A binary or manifest could not be fetched, is not WebAssembly, or lacks what a Faasm function must export. */
export class LoadError extends FaasmError {}

/** No function of that name: not in the functions object, or its binary is not there (404, no such file). */
export class FunctionNotFound extends LoadError {}

/** The client was closed before or during the call. */
export class ClientClosed extends FaasmError {}

/** A call was made into an instance that is already running or suspended in another call. */
export class ReentrantCall extends FaasmError {}

/** The call did not finish within options.timeoutMs. */
export class Timeout extends FaasmError {}

/** What the environment cannot do: JSPI forced where the engine lacks it, a WebSocket where there is none. */
export class Unsupported extends FaasmError {}

/**
 * The connection to the gateway is gone and a request went with it: the socket could not be re-established,
 * or the gateway no longer had the session and the request was not safe to repeat. The message names the
 * call and says that its outcome is unknown.
 */
export class ConnectionLost extends FaasmError {}

/** The gateway refused a request with an ERROR; `gatewayCode` is that code's name in docs/protocol.md, e.g. "BadUser". */
export class GatewayError extends FaasmError {
  constructor(message, { gatewayCode = 'Internal', cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.gatewayCode = gatewayCode;
  }
}

/** The gateway sent something that does not follow faasmjs.v1 (docs/protocol.md): a bug on one side. */
export class ProtocolError extends FaasmError {}

/**
 * Bytes that are not the value a schema describes (faasmjs/values): a state value, or an output the call
 * returned successfully. `path` is the field path where decoding stopped ('' for the value itself, else e.g.
 * '.tags[2]'), `offset` the byte offset into the decoded bytes.
 */
export class DecodeError extends FaasmError {
  constructor(message, { path = '', offset, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.path = path;
    this.offset = offset;
  }
}

const CLASSES = new Map([FunctionNotFound, LoadError, ClientClosed, ReentrantCall, Timeout, Unsupported, ConnectionLost,
  GatewayError, ProtocolError, DecodeError].map((type) => [type.name, type]));

/** A structured-clone-safe form of an error, for postMessage. */
export function errorToJSON(error) {
  const json = { code: error?.code ?? null, name: error?.name ?? 'Error', message: String(error?.message ?? error) };
  if (error instanceof GatewayError) json.gatewayCode = error.gatewayCode;
  return json;
}

/** The inverse of errorToJSON: the same class when it is one of ours, else a plain Error of that name. */
export function errorFromJSON({ code, name, message, gatewayCode }) {
  if (code === 'GatewayError') return new GatewayError(message, { gatewayCode });
  const Type = CLASSES.get(code);
  if (Type) return new Type(message);
  const error = name === 'TypeError' ? new TypeError(message) : new Error(message);
  if (name !== error.name) error.name = name;
  return error;
}
