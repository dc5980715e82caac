import { MemoryFileSystem } from './fs.js';
import { SharedFiles } from './shared-files.js';
import { PreviewFunctionName } from './defs.js';

/** The environment Faasm gives every function. */
export declare const FAASM_ENV: Readonly<Record<string, string>>;

/** argv as Faasm builds it from a message's command line: `["function.wasm", ...cmdline.split(' ')]`. */
export declare function faasmArgs(cmdline?: string): string[];

export interface WasiOptions {
  /** The whole argv, argv[0] included. Default `faasmArgs()`, i.e. `["function.wasm"]`. */
  args?: string[];
  /** The environment; replaces `FAASM_ENV` (spread it to extend it). */
  env?: Record<string, string>;
  /** What fd 0 reads; empty by default. */
  stdin?: Uint8Array | string;
  /** Initial files under the preopened `/`: absolute path → contents. Not together with `fs`. */
  files?: Record<string, Uint8Array | string>;
  /** An existing file system to mount at `/` (shared, not copied). Not together with `files`. */
  fs?: MemoryFileSystem;
  /** The names under which the file system's root is preopened, from fd 3. Default ['/'] (Faasm's: ['/', '.']). */
  preopens?: string[];
  /** Where `faasm://` paths open (Faasm's shared files, shared-files.js); without it they are ordinary paths. */
  sharedFiles?: SharedFiles;
  /** How path_open reads oflags: 'posix' (default), or 'faasm' (one flag wins, O_CREAT first: fopen "w" does not truncate). */
  openFlags?: 'posix' | 'faasm';
  /** Calls the embedder lets suspend: they may then return a Promise while a shared file is fetched. */
  suspending?: Array<'path_open' | 'path_filestat_get'>;
  /** Receives each line the guest writes to fd 1 (without the newline). */
  onStdout?: (line: string) => void;
  /** Receives each line the guest writes to fd 2 (without the newline). */
  onStderr?: (line: string) => void;
  /** Log every WASI call with its arguments and errno: `true` logs to `console.debug`. */
  trace?: boolean | ((message: string) => void);
}

/** A WASI import: integers as numbers, 64-bit integers as bigints; returns an errno. */
export type WasiFunction = (...args: Array<number | bigint>) => number;

/** The `wasi_snapshot_preview1` import object. */
export type WasiImports = Readonly<Record<PreviewFunctionName, WasiFunction>>;

/**
 * WASI preview1 for one guest instance. Each preview1 function is a method of the same name returning an
 * errno (`proc_exit` throws `ProcExit`); guest faults return errnos, embedder misuse throws.
 */
export declare class Wasi {
  constructor(options?: WasiOptions);
  /** Pass as `imports.wasi_snapshot_preview1`. */
  readonly imports: WasiImports;
  /** The file system mounted at `/`. */
  readonly fs: MemoryFileSystem;
  /** A copy of everything the guest wrote to fd 1. */
  readonly stdout: Uint8Array;
  /** A copy of everything the guest wrote to fd 2. */
  readonly stderr: Uint8Array;
  /** The code given to proc_exit; undefined until the guest calls it. */
  readonly exitCode: number | undefined;
  /** Gives the guest's memory; required before the guest makes a WASI call. Returns `this`. */
  bind(target: WebAssembly.Memory | WebAssembly.Instance): this;
  /** Binds, calls `_start`, flushes, and returns the exit code (0 when `_start` returns). */
  start(instance: WebAssembly.Instance): number;
  /** Hands a last stdout/stderr line that has no newline to onStdout/onStderr. */
  flush(): void;
  /**
   * Faasm's descriptor duplication (its hosts' `env.__wasi_fd_dup`, not a preview1 call): a new number for the
   * same open file, sharing its position. Throws a `WasiError`: BADF when `fd` is not open, MFILE when the
   * table is full.
   */
  duplicate(fd: number): number;

  args_get: WasiFunction;
  args_sizes_get: WasiFunction;
  environ_get: WasiFunction;
  environ_sizes_get: WasiFunction;
  clock_res_get: WasiFunction;
  clock_time_get: WasiFunction;
  fd_advise: WasiFunction;
  fd_allocate: WasiFunction;
  fd_close: WasiFunction;
  fd_datasync: WasiFunction;
  fd_fdstat_get: WasiFunction;
  fd_fdstat_set_flags: WasiFunction;
  fd_fdstat_set_rights: WasiFunction;
  fd_filestat_get: WasiFunction;
  fd_filestat_set_size: WasiFunction;
  fd_filestat_set_times: WasiFunction;
  fd_pread: WasiFunction;
  fd_prestat_get: WasiFunction;
  fd_prestat_dir_name: WasiFunction;
  fd_pwrite: WasiFunction;
  fd_read: WasiFunction;
  fd_readdir: WasiFunction;
  fd_renumber: WasiFunction;
  fd_seek: WasiFunction;
  fd_sync: WasiFunction;
  fd_tell: WasiFunction;
  fd_write: WasiFunction;
  path_create_directory: WasiFunction;
  path_filestat_get: WasiFunction;
  path_filestat_set_times: WasiFunction;
  path_link: WasiFunction;
  path_open: WasiFunction;
  path_readlink: WasiFunction;
  path_remove_directory: WasiFunction;
  path_rename: WasiFunction;
  path_symlink: WasiFunction;
  path_unlink_file: WasiFunction;
  poll_oneoff: WasiFunction;
  proc_exit: (code: number) => never;
  proc_raise: WasiFunction;
  sched_yield: WasiFunction;
  random_get: WasiFunction;
  sock_accept: WasiFunction;
  sock_recv: WasiFunction;
  sock_send: WasiFunction;
  sock_shutdown: WasiFunction;
}
