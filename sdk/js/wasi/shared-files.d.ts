import { MemoryFileSystem } from './fs.js';

/** The prefix that makes a path a shared file: `faasm://`. */
export declare const SHARED_PREFIX: string;

/** What an embedder provides for shared files (sdk/js/files/host-shared-files.js is the runtime's). */
export interface SharedFiles {
  /** The local copies. */
  readonly fs: MemoryFileSystem;
  /** The absolute path in fs of shared file `path` (the part after `faasm://`). */
  localPath(path: string): string;
  /** 0 once a local copy exists, 44 (ENOENT) when there is no such file; a Promise of it while fetching. */
  sync(path: string): number | Promise<number>;
  /** Drops what sync found for path. */
  forget(path: string): void;
  /** Called after each write to the local copy of path: Faasm uploads a shared file whole after every write. */
  written(path: string): void;
}
