import { Fd, FileStat } from './fd.js';

/** Largest file the guest can make (bytes); larger writes fail with EFBIG. */
export declare const MAX_FILE_SIZE: number;

declare abstract class Node {
  readonly ino: number;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
  readonly filetype: number;
  readonly size: number;
  stat(): FileStat;
}

export declare class File extends Node {
  constructor(contents?: Uint8Array);
  /** A copy of the file's bytes. */
  contents(): Uint8Array;
}

export declare class Directory extends Node {
  readonly entries: Map<string, File | Directory>;
  /** The directory this one is linked into; null for a root. */
  parent: Directory | null;
}

/** A descriptor open on a regular file (made by path_open). */
export declare class OpenFile extends Fd {
  constructor(file: File, init?: { rightsBase?: bigint; flags?: number });
  readonly file: File;
}

/** A descriptor open on a directory; with `preopenName` it is announced by fd_prestat_get. */
export declare class OpenDirectory extends Fd {
  constructor(dir: Directory, init?: {
    rightsBase?: bigint; rightsInheriting?: bigint; flags?: number; preopenName?: string;
  });
  readonly dir: Directory;
}

/**
 * The file system a function finds at its preopened `/`, and the embedder's handle on it. Paths are absolute
 * and must not contain `..` (TypeError); conflicts (a file where a directory is needed) throw a `WasiError`.
 */
export declare class MemoryFileSystem {
  /** @param files absolute path → contents; parent directories are created. */
  constructor(files?: Record<string, Uint8Array | string>);
  readonly root: Directory;
  /** Creates or replaces a file, creating its parent directories. */
  writeFile(path: string, contents: Uint8Array | string): void;
  /** A copy of a file's contents; undefined when it does not exist. */
  readFile(path: string): Uint8Array | undefined;
  /** Creates the directory and its missing parents; an existing directory is fine. */
  mkdir(path: string): void;
  /** Entry names in creation order (no `.`/`..`); undefined when the directory does not exist. */
  readdir(path: string): string[] | undefined;
  /** What is at path: a file, a directory, or nothing. */
  kind(path: string): 'file' | 'directory' | undefined;
}
