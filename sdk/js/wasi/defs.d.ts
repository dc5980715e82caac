/** WASI preview1 constants and struct layouts (spec `typenames.witx`). */

export type PreviewFunctionName =
  | 'args_get' | 'args_sizes_get' | 'environ_get' | 'environ_sizes_get' | 'clock_res_get' | 'clock_time_get'
  | 'fd_advise' | 'fd_allocate' | 'fd_close' | 'fd_datasync' | 'fd_fdstat_get' | 'fd_fdstat_set_flags'
  | 'fd_fdstat_set_rights' | 'fd_filestat_get' | 'fd_filestat_set_size' | 'fd_filestat_set_times' | 'fd_pread'
  | 'fd_prestat_get' | 'fd_prestat_dir_name' | 'fd_pwrite' | 'fd_read' | 'fd_readdir' | 'fd_renumber' | 'fd_seek'
  | 'fd_sync' | 'fd_tell' | 'fd_write' | 'path_create_directory' | 'path_filestat_get' | 'path_filestat_set_times'
  | 'path_link' | 'path_open' | 'path_readlink' | 'path_remove_directory' | 'path_rename' | 'path_symlink'
  | 'path_unlink_file' | 'poll_oneoff' | 'proc_exit' | 'proc_raise' | 'sched_yield' | 'random_get' | 'sock_accept'
  | 'sock_recv' | 'sock_send' | 'sock_shutdown';

/** Every function of module `wasi_snapshot_preview1`, in the spec's order. */
export declare const PREVIEW1_FUNCTIONS: readonly PreviewFunctionName[];

export type ErrnoName =
  | 'SUCCESS' | '2BIG' | 'ACCES' | 'ADDRINUSE' | 'ADDRNOTAVAIL' | 'AFNOSUPPORT' | 'AGAIN' | 'ALREADY' | 'BADF'
  | 'BADMSG' | 'BUSY' | 'CANCELED' | 'CHILD' | 'CONNABORTED' | 'CONNREFUSED' | 'CONNRESET' | 'DEADLK'
  | 'DESTADDRREQ' | 'DOM' | 'DQUOT' | 'EXIST' | 'FAULT' | 'FBIG' | 'HOSTUNREACH' | 'IDRM' | 'ILSEQ' | 'INPROGRESS'
  | 'INTR' | 'INVAL' | 'IO' | 'ISCONN' | 'ISDIR' | 'LOOP' | 'MFILE' | 'MLINK' | 'MSGSIZE' | 'MULTIHOP'
  | 'NAMETOOLONG' | 'NETDOWN' | 'NETRESET' | 'NETUNREACH' | 'NFILE' | 'NOBUFS' | 'NODEV' | 'NOENT' | 'NOEXEC'
  | 'NOLCK' | 'NOLINK' | 'NOMEM' | 'NOMSG' | 'NOPROTOOPT' | 'NOSPC' | 'NOSYS' | 'NOTCONN' | 'NOTDIR' | 'NOTEMPTY'
  | 'NOTRECOVERABLE' | 'NOTSOCK' | 'NOTSUP' | 'NOTTY' | 'NXIO' | 'OVERFLOW' | 'OWNERDEAD' | 'PERM' | 'PIPE'
  | 'PROTO' | 'PROTONOSUPPORT' | 'PROTOTYPE' | 'RANGE' | 'ROFS' | 'SPIPE' | 'SRCH' | 'STALE' | 'TIMEDOUT'
  | 'TXTBSY' | 'XDEV' | 'NOTCAPABLE';

/** Error numbers by name: `ERRNO.BADF === 8`. */
export declare const ERRNO: Readonly<Record<ErrnoName, number>>;
/** `8` → `'BADF'`; unknown codes give their number as a string. */
export declare function errnoName(code: number): string;

export declare const CLOCKID: Readonly<{
  REALTIME: 0; MONOTONIC: 1; PROCESS_CPUTIME_ID: 2; THREAD_CPUTIME_ID: 3;
}>;
export declare const FILETYPE: Readonly<{
  UNKNOWN: 0; BLOCK_DEVICE: 1; CHARACTER_DEVICE: 2; DIRECTORY: 3; REGULAR_FILE: 4; SOCKET_DGRAM: 5;
  SOCKET_STREAM: 6; SYMBOLIC_LINK: 7;
}>;
export declare const WHENCE: Readonly<{ SET: 0; CUR: 1; END: 2 }>;
export declare const ADVICE: Readonly<{
  NORMAL: 0; SEQUENTIAL: 1; RANDOM: 2; WILLNEED: 3; DONTNEED: 4; NOREUSE: 5;
}>;
export declare const FDFLAGS: Readonly<{ APPEND: 1; DSYNC: 2; NONBLOCK: 4; RSYNC: 8; SYNC: 16 }>;
/** All fdflags bits; others are EINVAL. */
export declare const FDFLAGS_ALL: number;
export declare const OFLAGS: Readonly<{ CREAT: 1; DIRECTORY: 2; EXCL: 4; TRUNC: 8 }>;
/** All oflags bits; others are EINVAL. */
export declare const OFLAGS_ALL: number;
export declare const LOOKUPFLAGS: Readonly<{ SYMLINK_FOLLOW: 1 }>;
export declare const FSTFLAGS: Readonly<{ ATIM: 1; ATIM_NOW: 2; MTIM: 4; MTIM_NOW: 8 }>;
export declare const EVENTTYPE: Readonly<{ CLOCK: 0; FD_READ: 1; FD_WRITE: 2 }>;
export declare const EVENTRWFLAGS: Readonly<{ FD_READWRITE_HANGUP: 1 }>;
export declare const SUBCLOCKFLAGS: Readonly<{ SUBSCRIPTION_CLOCK_ABSTIME: 1 }>;
export declare const PREOPENTYPE: Readonly<{ DIR: 0 }>;

export type RightName =
  | 'FD_DATASYNC' | 'FD_READ' | 'FD_SEEK' | 'FD_FDSTAT_SET_FLAGS' | 'FD_SYNC' | 'FD_TELL' | 'FD_WRITE'
  | 'FD_ADVISE' | 'FD_ALLOCATE' | 'PATH_CREATE_DIRECTORY' | 'PATH_CREATE_FILE' | 'PATH_LINK_SOURCE'
  | 'PATH_LINK_TARGET' | 'PATH_OPEN' | 'FD_READDIR' | 'PATH_READLINK' | 'PATH_RENAME_SOURCE'
  | 'PATH_RENAME_TARGET' | 'PATH_FILESTAT_GET' | 'PATH_FILESTAT_SET_SIZE' | 'PATH_FILESTAT_SET_TIMES'
  | 'FD_FILESTAT_GET' | 'FD_FILESTAT_SET_SIZE' | 'FD_FILESTAT_SET_TIMES' | 'PATH_SYMLINK'
  | 'PATH_REMOVE_DIRECTORY' | 'PATH_UNLINK_FILE' | 'POLL_FD_READWRITE' | 'SOCK_SHUTDOWN' | 'SOCK_ACCEPT';

/** Rights bits (u64) by name. */
export declare const RIGHTS: Readonly<Record<RightName, bigint>>;
/** The most a regular-file descriptor can do. */
export declare const RIGHTS_REGULAR_FILE: bigint;
/** The most a directory descriptor can do. */
export declare const RIGHTS_DIRECTORY: bigint;
/** The most a directory descriptor passes on to what path_open opens through it. */
export declare const RIGHTS_DIRECTORY_INHERITING: bigint;
/** fd 0's rights (a character device without seek/tell, so libc sees a terminal). */
export declare const RIGHTS_STDIN: bigint;
/** fd 1's and fd 2's rights (a character device without seek/tell, so libc line-buffers stdout). */
export declare const RIGHTS_STDOUT: bigint;

/** Byte sizes and field offsets of the structs exchanged with the guest (all little-endian). */
export declare const LAYOUT: Readonly<{
  iovec: { size: 8; buf: 0; len: 4 };
  fdstat: { size: 24; filetype: 0; flags: 2; rightsBase: 8; rightsInheriting: 16 };
  filestat: { size: 64; dev: 0; ino: 8; filetype: 16; nlink: 24; filesize: 32; atim: 40; mtim: 48; ctim: 56 };
  dirent: { size: 24; next: 0; ino: 8; namlen: 16; type: 20 };
  prestat: { size: 8; tag: 0; nameLen: 4 };
  subscription: {
    size: 48; userdata: 0; tag: 8; clockId: 16; clockTimeout: 24; clockPrecision: 32; clockFlags: 40; fd: 16;
  };
  event: { size: 32; userdata: 0; error: 8; type: 10; nbytes: 16; flags: 24 };
}>;
