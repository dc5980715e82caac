/** What `fd_filestat_get` and `path_filestat_get` report. */
export interface FileStat {
  filetype: number;
  ino: number;
  nlink: number;
  size: number;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

export interface FdInit {
  /** A `FILETYPE` value. */
  filetype: number;
  rightsBase: bigint;
  rightsInheriting?: bigint;
  /** `FDFLAGS` bits. */
  flags?: number;
}

/**
 * An open file descriptor. Each method returns its result or throws a `WasiError`; the defaults fail with the
 * errno POSIX gives for a descriptor that cannot do the operation, so subclasses override only what they do.
 * Buffers are views into guest memory, valid only during the call.
 */
export declare class Fd {
  constructor(init: FdInit);
  filetype: number;
  rightsBase: bigint;
  rightsInheriting: bigint;
  flags: number;
  /** Bytes read into `buffers`, 0 at end of file. Default EBADF. */
  read(buffers: Uint8Array[]): number;
  /** Bytes written from `buffers`. Default EBADF. */
  write(buffers: Uint8Array[]): number;
  /** Default ESPIPE. */
  pread(buffers: Uint8Array[], offset: bigint): number;
  /** Default ESPIPE. */
  pwrite(buffers: Uint8Array[], offset: bigint): number;
  /** The new offset. Default ESPIPE. */
  seek(offset: bigint, whence: number): bigint;
  /** `seek(0n, WHENCE.CUR)`. */
  tell(): bigint;
  /** Default: a character device with zero times. */
  stat(): FileStat;
  /** Default: checks the bits and stores them. */
  setFlags(flags: number): void;
  /** Default EINVAL. */
  setSize(size: bigint): void;
  /** Default ENOTSUP. */
  setTimes(atim: bigint, mtim: bigint, fstflags: number): void;
  /** Default ENOTSUP. */
  allocate(offset: bigint, length: bigint): void;
  /** Default ESPIPE. */
  advise(offset: bigint, length: bigint, advice: number): void;
  /** Default EINVAL. */
  sync(): void;
  /** Bytes a read would return now (poll_oneoff). Default 0. */
  available(): number;
  /** The directory path_* calls on this descriptor start from. Default ENOTDIR. */
  directory(): import('./fs.js').Directory;
  /** The name under which this descriptor is preopened; undefined when it is not a preopen. */
  readonly preopenName: string | undefined;
  /** Called when the guest closes (or renumbers over) this descriptor. */
  close(): void;
}

/** fd 0: the given bytes, then end of file. */
export declare class Stdin extends Fd {
  constructor(input?: Uint8Array | string);
}

/** fd 1 and 2: keeps every byte and optionally hands each complete line to `onLine`. */
export declare class OutputCapture extends Fd {
  constructor(onLine?: (line: string) => void);
  /** A copy of everything written so far. */
  readonly bytes: Uint8Array;
  /** Hands a last line that has no newline to `onLine`. */
  flush(): void;
}
