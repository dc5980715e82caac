/**
 * A WASI error number on its way to the guest: thrown by descriptors and the file system, returned as the
 * syscall's errno by `Wasi`. Throw it from an `Fd` subclass to fail an operation.
 */
export declare class WasiError extends Error {
  constructor(errno: number, detail?: string);
  readonly name: 'WasiError';
  /** A value of `ERRNO`. */
  readonly errno: number;
}

/** Thrown by `proc_exit` through the guest to the embedder, carrying the exit code. */
export declare class ProcExit extends Error {
  constructor(code: number);
  readonly name: 'ProcExit';
  /** The code the guest passed to proc_exit (a signed 32-bit integer). */
  readonly code: number;
}
