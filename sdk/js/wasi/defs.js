// WASI preview1 constants and struct layouts, as defined by the spec's `typenames.witx` (values checked against
// wasi-libc's `wasi/api.h`). Everything the runtime writes into guest memory is described here, so a layout
// mistake can only be made once.

/** Every function of module `wasi_snapshot_preview1`, in the spec's order. */
export const PREVIEW1_FUNCTIONS = Object.freeze([
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek',
  'fd_sync', 'fd_tell', 'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times',
  'path_link', 'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'sched_yield', 'random_get', 'sock_accept',
  'sock_recv', 'sock_send', 'sock_shutdown',
]);

export const ERRNO = Object.freeze({
  SUCCESS: 0, '2BIG': 1, ACCES: 2, ADDRINUSE: 3, ADDRNOTAVAIL: 4, AFNOSUPPORT: 5, AGAIN: 6, ALREADY: 7,
  BADF: 8, BADMSG: 9, BUSY: 10, CANCELED: 11, CHILD: 12, CONNABORTED: 13, CONNREFUSED: 14, CONNRESET: 15,
  DEADLK: 16, DESTADDRREQ: 17, DOM: 18, DQUOT: 19, EXIST: 20, FAULT: 21, FBIG: 22, HOSTUNREACH: 23, IDRM: 24,
  ILSEQ: 25, INPROGRESS: 26, INTR: 27, INVAL: 28, IO: 29, ISCONN: 30, ISDIR: 31, LOOP: 32, MFILE: 33,
  MLINK: 34, MSGSIZE: 35, MULTIHOP: 36, NAMETOOLONG: 37, NETDOWN: 38, NETRESET: 39, NETUNREACH: 40,
  NFILE: 41, NOBUFS: 42, NODEV: 43, NOENT: 44, NOEXEC: 45, NOLCK: 46, NOLINK: 47, NOMEM: 48, NOMSG: 49,
  NOPROTOOPT: 50, NOSPC: 51, NOSYS: 52, NOTCONN: 53, NOTDIR: 54, NOTEMPTY: 55, NOTRECOVERABLE: 56,
  NOTSOCK: 57, NOTSUP: 58, NOTTY: 59, NXIO: 60, OVERFLOW: 61, OWNERDEAD: 62, PERM: 63, PIPE: 64, PROTO: 65,
  PROTONOSUPPORT: 66, PROTOTYPE: 67, RANGE: 68, ROFS: 69, SPIPE: 70, SRCH: 71, STALE: 72, TIMEDOUT: 73,
  TXTBSY: 74, XDEV: 75, NOTCAPABLE: 76,
});

const errnoNames = Object.fromEntries(Object.entries(ERRNO).map(([name, code]) => [code, name]));

/** `8` → `'BADF'`; unknown codes give their number as a string. */
export function errnoName(code) {
  return errnoNames[code] ?? String(code);
}

export const CLOCKID = Object.freeze({ REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3 });

export const FILETYPE = Object.freeze({
  UNKNOWN: 0, BLOCK_DEVICE: 1, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4, SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6, SYMBOLIC_LINK: 7,
});

export const WHENCE = Object.freeze({ SET: 0, CUR: 1, END: 2 });

export const ADVICE = Object.freeze({ NORMAL: 0, SEQUENTIAL: 1, RANDOM: 2, WILLNEED: 3, DONTNEED: 4, NOREUSE: 5 });

export const FDFLAGS = Object.freeze({ APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 });
export const FDFLAGS_ALL = 0x1f;

export const OFLAGS = Object.freeze({ CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 });
export const OFLAGS_ALL = 0xf;

export const LOOKUPFLAGS = Object.freeze({ SYMLINK_FOLLOW: 1 });

export const FSTFLAGS = Object.freeze({ ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 });

export const EVENTTYPE = Object.freeze({ CLOCK: 0, FD_READ: 1, FD_WRITE: 2 });

export const EVENTRWFLAGS = Object.freeze({ FD_READWRITE_HANGUP: 1 });

export const SUBCLOCKFLAGS = Object.freeze({ SUBSCRIPTION_CLOCK_ABSTIME: 1 });

export const PREOPENTYPE = Object.freeze({ DIR: 0 });

export const RIGHTS = Object.freeze({
  FD_DATASYNC: 1n << 0n, FD_READ: 1n << 1n, FD_SEEK: 1n << 2n, FD_FDSTAT_SET_FLAGS: 1n << 3n,
  FD_SYNC: 1n << 4n, FD_TELL: 1n << 5n, FD_WRITE: 1n << 6n, FD_ADVISE: 1n << 7n, FD_ALLOCATE: 1n << 8n,
  PATH_CREATE_DIRECTORY: 1n << 9n, PATH_CREATE_FILE: 1n << 10n, PATH_LINK_SOURCE: 1n << 11n,
  PATH_LINK_TARGET: 1n << 12n, PATH_OPEN: 1n << 13n, FD_READDIR: 1n << 14n, PATH_READLINK: 1n << 15n,
  PATH_RENAME_SOURCE: 1n << 16n, PATH_RENAME_TARGET: 1n << 17n, PATH_FILESTAT_GET: 1n << 18n,
  PATH_FILESTAT_SET_SIZE: 1n << 19n, PATH_FILESTAT_SET_TIMES: 1n << 20n, FD_FILESTAT_GET: 1n << 21n,
  FD_FILESTAT_SET_SIZE: 1n << 22n, FD_FILESTAT_SET_TIMES: 1n << 23n, PATH_SYMLINK: 1n << 24n,
  PATH_REMOVE_DIRECTORY: 1n << 25n, PATH_UNLINK_FILE: 1n << 26n, POLL_FD_READWRITE: 1n << 27n,
  SOCK_SHUTDOWN: 1n << 28n, SOCK_ACCEPT: 1n << 29n,
});

const anyOf = (...names) => names.reduce((bits, name) => bits | RIGHTS[name], 0n);

// What each kind of descriptor can do at most; path_open narrows the caller's request to these, and
// fd_fdstat_get reports them. wasi-libc's isatty() asks for a character device without seek/tell rights, which
// is what makes stdout line-buffered, so stdio must not claim those.
export const RIGHTS_REGULAR_FILE = anyOf(
  'FD_DATASYNC', 'FD_READ', 'FD_SEEK', 'FD_FDSTAT_SET_FLAGS', 'FD_SYNC', 'FD_TELL', 'FD_WRITE', 'FD_ADVISE',
  'FD_ALLOCATE', 'FD_FILESTAT_GET', 'FD_FILESTAT_SET_SIZE', 'FD_FILESTAT_SET_TIMES', 'POLL_FD_READWRITE');
export const RIGHTS_DIRECTORY = anyOf(
  'FD_FDSTAT_SET_FLAGS', 'FD_SYNC', 'FD_DATASYNC', 'PATH_CREATE_DIRECTORY', 'PATH_CREATE_FILE', 'PATH_OPEN',
  'FD_READDIR', 'PATH_READLINK', 'PATH_RENAME_SOURCE', 'PATH_RENAME_TARGET', 'PATH_FILESTAT_GET',
  'PATH_FILESTAT_SET_SIZE', 'PATH_FILESTAT_SET_TIMES', 'FD_FILESTAT_GET', 'FD_FILESTAT_SET_TIMES',
  'PATH_REMOVE_DIRECTORY', 'PATH_UNLINK_FILE');
export const RIGHTS_DIRECTORY_INHERITING = RIGHTS_DIRECTORY | RIGHTS_REGULAR_FILE;
export const RIGHTS_STDIN = anyOf('FD_READ', 'FD_FDSTAT_SET_FLAGS', 'FD_FILESTAT_GET', 'POLL_FD_READWRITE');
export const RIGHTS_STDOUT = anyOf('FD_WRITE', 'FD_FDSTAT_SET_FLAGS', 'FD_FILESTAT_GET', 'POLL_FD_READWRITE');

/** Byte sizes and field offsets of the structs exchanged with the guest (all little-endian). */
export const LAYOUT = Object.freeze({
  iovec: { size: 8, buf: 0, len: 4 },
  fdstat: { size: 24, filetype: 0, flags: 2, rightsBase: 8, rightsInheriting: 16 },
  filestat: { size: 64, dev: 0, ino: 8, filetype: 16, nlink: 24, filesize: 32, atim: 40, mtim: 48, ctim: 56 },
  dirent: { size: 24, next: 0, ino: 8, namlen: 16, type: 20 },
  prestat: { size: 8, tag: 0, nameLen: 4 },
  subscription: { size: 48, userdata: 0, tag: 8, clockId: 16, clockTimeout: 24, clockPrecision: 32,
                  clockFlags: 40, fd: 16 },
  event: { size: 32, userdata: 0, error: 8, type: 10, nbytes: 16, flags: 24 },
});
