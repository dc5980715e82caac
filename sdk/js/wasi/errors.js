import { errnoName } from './defs.js';

/**
 * A WASI error number on its way to the guest. Thrown by file descriptors, the file system and the memory
 * checks, and turned into the syscall's return value in exactly one place (see `Wasi`), so that a fault found
 * deep inside a helper cannot be forgotten on the way out.
 */
export class WasiError extends Error {
  constructor(errno, detail) {
    super(detail ? `${errnoName(errno)}: ${detail}` : errnoName(errno));
    this.name = 'WasiError';
    this.errno = errno;
  }
}

/** Thrown by `proc_exit`; the embedder catches it to learn the exit code (the guest cannot catch it). */
export class ProcExit extends Error {
  constructor(code) {
    super(`exit code ${code}`);
    this.name = 'ProcExit';
    this.code = code;
  }
}
