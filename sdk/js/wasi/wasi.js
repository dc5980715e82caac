// WASI preview1 for a function running in the browser (or in Node for tests), without any Node API.
//
// Each preview1 import is one method here, named as in the spec. A method decodes its arguments, looks up
// descriptors, checks guest memory and delegates to the descriptor or the file system (fd.js, fs.js); any of
// those may throw a `WasiError`, and the wrapper at the bottom of this file turns it into the errno that the
// method returns. Embedder mistakes (bad options, running before `bind`) throw ordinary errors instead, since
// the guest cannot do anything useful with them.
//
// What a browser cannot do is answered honestly: no sockets, links or signals (ENOSYS, see
// `UNSUPPORTED`), and `poll_oneoff` never blocks the page: a clock subscription fires at once and the clocks
// jump forward by the time the guest asked to sleep, so from inside the guest it looks as if it had slept.
import {
  CLOCKID, ERRNO, EVENTTYPE, LAYOUT, OFLAGS, PREOPENTYPE, PREVIEW1_FUNCTIONS, SUBCLOCKFLAGS, errnoName,
} from './defs.js';
import { ProcExit, WasiError } from './errors.js';
import { OutputCapture, Stdin } from './fd.js';
import {
  MemoryFileSystem, OpenDirectory, mkdirAt, openAt, readlinkAt, renameAt, rmdirAt, setTimesAt, statAt,
  unlinkAt,
} from './fs.js';
import { GuestMemory, encodeUtf8 } from './memory.js';
import { SharedFileOpener } from './shared-files.js';
import { traceImports } from './trace.js';
import { isThenable } from '../sync-or-async.js';

/** The environment Faasm gives every function (faasm/faasm: src/wasm/WasmEnvironment.cpp). */
export const FAASM_ENV = Object.freeze({
  MKL_NUM_THREADS: '1',
  OPENBLAS_NUM_THREADS: '1',
  PYTHON_PATH: '/',
  PYTHONHOME: '/',
  PYTHONHASHSEED: '0',
  PYTHONNOUSERSITE: 'on',
  PYTHONWASM: '1',
});

/** argv as Faasm builds it from a message's command line: `["function.wasm", ...cmdline.split(' ')]`. */
export function faasmArgs(cmdline = '') {
  if (typeof cmdline !== 'string') throw new TypeError('faasmArgs: cmdline must be a string');
  return ['function.wasm', ...(cmdline ? cmdline.split(' ') : [])];
}

// Preview1 calls a browser has nothing behind: no sockets, no links, no signals, and rights that are fixed at
// open. They answer ENOSYS so that libc reports "function not implemented" instead of the import trapping.
const UNSUPPORTED = Object.freeze([
  'fd_fdstat_set_rights', 'path_link', 'path_symlink', 'proc_raise', 'sock_accept', 'sock_recv', 'sock_send',
  'sock_shutdown',
]);

const FIRST_PREOPEN_FD = 3;
// The calls that may have to wait for a shared file (the embedder decides whether they may suspend); the
// WASI part of tools/asyncify/faasm_abi.h's kBlockingImports (tests/js/runtime/host.test.mjs checks it).
export const MAY_SUSPEND = Object.freeze(['path_open', 'path_filestat_get']);
const MAX_OPEN_FDS = 1024;
const RANDOM_CHUNK = 65536; // crypto.getRandomValues fills at most this many bytes per call
const NS_PER_MS = 1_000_000;

// Reported resolutions: Date.now() counts milliseconds; performance.now() is finer but browsers coarsen it
// (to 100 µs without cross-origin isolation), so microseconds is an honest lower bound.
const RESOLUTION_NS = Object.freeze({
  [CLOCKID.REALTIME]: 1_000_000n,
  [CLOCKID.MONOTONIC]: 1_000n,
  [CLOCKID.PROCESS_CPUTIME_ID]: 1_000n,
  [CLOCKID.THREAD_CPUTIME_ID]: 1_000n,
});

const OPTIONS = new Set(['args', 'env', 'stdin', 'files', 'fs', 'preopens', 'sharedFiles', 'suspending', 'openFlags',
  'onStdout', 'onStderr', 'trace']);

// How Faasm reads path_open's oflags (faasm src/storage/FileDescriptor.cpp getOpenMode): one mode wins, CREAT
// first, so O_CREAT|O_TRUNC (fopen "w") does not truncate and O_CREAT|O_EXCL opens an existing file. Observed
// on real Faasm: "hi" written with fopen "w" over "hello world" leaves "hillo world".
function faasmOpenFlags(oflags) {
  for (const flag of [OFLAGS.CREAT, OFLAGS.DIRECTORY, OFLAGS.TRUNC, OFLAGS.EXCL]) if (oflags & flag) return flag;
  return oflags;
}

function checkOptions(options) {
  if (typeof options !== 'object' || options === null) throw new TypeError('Wasi: options must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTIONS.has(key)) throw new TypeError(`Wasi: unknown option ${key}`);
  }
  const { args, env, stdin, files, fs, preopens, suspending, openFlags, onStdout, onStderr, trace } = options;
  if (openFlags !== undefined && openFlags !== 'posix' && openFlags !== 'faasm') {
    throw new TypeError("Wasi: openFlags must be 'posix' or 'faasm'");
  }
  if (args !== undefined && !(Array.isArray(args) && args.every((arg) => typeof arg === 'string'))) {
    throw new TypeError('Wasi: args must be an array of strings');
  }
  if (args?.some((arg) => arg.includes('\0'))) throw new TypeError('Wasi: args must not contain NUL');
  if (env !== undefined) {
    if (typeof env !== 'object' || env === null || Array.isArray(env)) {
      throw new TypeError('Wasi: env must be an object of strings');
    }
    for (const [key, value] of Object.entries(env)) {
      if (typeof value !== 'string' || key.includes('=') || `${key}${value}`.includes('\0')) {
        throw new TypeError(`Wasi: env.${key} must be a string, and names must not contain '='`);
      }
    }
  }
  if (stdin !== undefined && typeof stdin !== 'string' && !(stdin instanceof Uint8Array)) {
    throw new TypeError('Wasi: stdin must be a Uint8Array or a string');
  }
  if (files !== undefined && fs !== undefined) throw new TypeError('Wasi: give files or fs, not both');
  if (fs !== undefined && !(fs instanceof MemoryFileSystem)) throw new TypeError('Wasi: fs must be a MemoryFileSystem');
  if (preopens !== undefined && !(Array.isArray(preopens) && preopens.length > 0
                                   && preopens.every((name) => typeof name === 'string' && name !== ''))) {
    throw new TypeError('Wasi: preopens must be a non-empty array of directory names');
  }
  if (suspending !== undefined
      && !(Array.isArray(suspending) && suspending.every((name) => MAY_SUSPEND.includes(name)))) {
    throw new TypeError(`Wasi: suspending may only name ${MAY_SUSPEND.join(', ')}`);
  }
  for (const [name, value] of Object.entries({ onStdout, onStderr })) {
    if (value !== undefined && typeof value !== 'function') throw new TypeError(`Wasi: ${name} must be a function`);
  }
  if (trace !== undefined && typeof trace !== 'boolean' && typeof trace !== 'function') {
    throw new TypeError('Wasi: trace must be a boolean or a function');
  }
}

/** NUL-terminated UTF-8 strings, as args_get and environ_get lay them out. */
function encodeStrings(strings) {
  return strings.map((text) => encodeUtf8(`${text}\0`));
}

function monotonicNs() {
  return BigInt(Math.round(performance.now() * NS_PER_MS));
}

export class Wasi {
  #args;
  #env;
  #fds = new Map();
  #memory = null;
  #stdout;
  #stderr;
  #startedNs = monotonicNs();
  #sleptNs = 0n;
  #shared;
  #suspending;
  #faasmOpenFlags;

  /**
   * @param {object} [options]
   * @param {string[]} [options.args] the whole argv; default Faasm's `["function.wasm"]`
   * @param {Record<string, string>} [options.env] replaces Faasm's default environment `FAASM_ENV`
   * @param {Uint8Array | string} [options.stdin] what fd 0 reads; empty by default
   * @param {Record<string, Uint8Array | string>} [options.files] initial files under the preopened `/`
   * @param {MemoryFileSystem} [options.fs] an existing file system to mount at `/` (shared, not copied)
   * @param {string[]} [options.preopens] the names under which fs's root is preopened, from fd 3; default
   *   `['/']` (Faasm's: `['/', '.']`)
   * @param {import('./shared-files.js').SharedFiles} [options.sharedFiles] where `faasm://` paths open (Faasm's
   *   shared files); without it they are ordinary paths
   * @param {'posix' | 'faasm'} [options.openFlags] how path_open reads oflags: as POSIX does, or as Faasm does
   *   (one flag wins, O_CREAT first: fopen "w" does not truncate)
   * @param {string[]} [options.suspending] imports the embedder lets suspend (`path_open`,
   *   `path_filestat_get`): they may then return a Promise when a shared file must be waited for
   * @param {(line: string) => void} [options.onStdout] receives each line written to fd 1
   * @param {(line: string) => void} [options.onStderr] receives each line written to fd 2
   * @param {boolean | ((message: string) => void)} [options.trace] log every call (true: to console.debug)
   */
  constructor(options = {}) {
    checkOptions(options);
    const {
      args = faasmArgs(), env = FAASM_ENV, stdin, files, fs, preopens = ['/'], sharedFiles, suspending = [],
      openFlags = 'posix', onStdout, onStderr, trace,
    } = options;
    this.#args = encodeStrings(args);
    this.#env = encodeStrings(Object.entries(env).map(([key, value]) => `${key}=${value}`));
    this.fs = fs ?? new MemoryFileSystem(files);
    this.#stdout = new OutputCapture(onStdout);
    this.#stderr = new OutputCapture(onStderr);
    this.#fds.set(0, new Stdin(stdin));
    this.#fds.set(1, this.#stdout);
    this.#fds.set(2, this.#stderr);
    for (const [index, name] of preopens.entries()) {
      this.#fds.set(FIRST_PREOPEN_FD + index, new OpenDirectory(this.fs.root, { preopenName: name }));
    }
    this.#shared = sharedFiles === undefined ? null : new SharedFileOpener(sharedFiles);
    this.#suspending = new Set(suspending);
    this.#faasmOpenFlags = openFlags === 'faasm';
    /** The exit code given to proc_exit, or undefined while the guest has not called it. */
    this.exitCode = undefined;

    const imports = Object.fromEntries(PREVIEW1_FUNCTIONS.map((name) => [name, this[name].bind(this)]));
    const log = trace === true ? console.debug : trace;
    /** The `wasi_snapshot_preview1` import object. */
    this.imports = log ? traceImports(imports, log, formatErrno) : imports;
  }

  /** Everything the guest wrote to fd 1 so far. */
  get stdout() { return this.#stdout.bytes; }
  /** Everything the guest wrote to fd 2 so far. */
  get stderr() { return this.#stderr.bytes; }

  /** Gives the guest's memory (or an instance exporting it); calls need it, and it may be replaced later. */
  bind(target) {
    const memory = target instanceof WebAssembly.Instance ? target.exports.memory : target;
    if (!(memory instanceof WebAssembly.Memory)) {
      throw new TypeError('Wasi.bind: target must be a WebAssembly.Memory or an Instance exporting "memory"');
    }
    this.#memory = memory;
    return this;
  }

  /**
   * Runs a WASI command: binds `instance`, calls its `_start` and returns the exit code (0 when `_start`
   * returns). Traps and other errors propagate.
   */
  start(instance) {
    if (!(instance instanceof WebAssembly.Instance) || typeof instance.exports._start !== 'function') {
      throw new TypeError('Wasi.start: instance must be a WebAssembly.Instance exporting "_start"');
    }
    this.bind(instance);
    try {
      instance.exports._start();
      return 0;
    } catch (error) {
      if (error instanceof ProcExit) return error.code;
      throw error;
    } finally {
      this.flush();
    }
  }

  /** Hands a last stdout/stderr line that has no newline to onStdout/onStderr. */
  flush() {
    this.#stdout.flush();
    this.#stderr.flush();
  }

  /**
   * Faasm's descriptor duplication, which its hosts add to WASI as `env.__wasi_fd_dup` for its wasi-libc
   * fork's dup and fcntl(F_DUPFD): a new number, from the allocator path_open uses, for the same open file, so
   * that the two share its position. Throws a WasiError: BADF when `fd` is not open, MFILE when no number is
   * free.
   * @returns {number}
   */
  duplicate(fd) {
    const file = this.#fd(fd);
    const number = this.#freeFd();
    this.#fds.set(number, file);
    return number;
  }

  args_sizes_get(countPtr, sizePtr) { return this.#sizes(this.#args, countPtr, sizePtr); }
  args_get(pointersPtr, bufferPtr) { return this.#strings(this.#args, pointersPtr, bufferPtr); }
  environ_sizes_get(countPtr, sizePtr) { return this.#sizes(this.#env, countPtr, sizePtr); }
  environ_get(pointersPtr, bufferPtr) { return this.#strings(this.#env, pointersPtr, bufferPtr); }

  clock_res_get(id, resolutionPtr) {
    const guest = this.#guest();
    if (!(id in RESOLUTION_NS)) throw new WasiError(ERRNO.INVAL, `clock ${id}`);
    guest.setU64(resolutionPtr, RESOLUTION_NS[id]);
    return ERRNO.SUCCESS;
  }

  clock_time_get(id, _precision, timePtr) {
    const guest = this.#guest();
    guest.setU64(timePtr, this.#now(id));
    return ERRNO.SUCCESS;
  }

  fd_advise(fd, offset, length, advice) {
    this.#fd(fd).advise(offset, length, advice);
    return ERRNO.SUCCESS;
  }

  fd_allocate(fd, offset, length) {
    this.#fd(fd).allocate(offset, length);
    return ERRNO.SUCCESS;
  }

  fd_close(fd) {
    const file = this.#fd(fd);
    this.#fds.delete(fd);
    file.close();
    return ERRNO.SUCCESS;
  }

  // Memory files have no metadata to skip, so a data-only sync is a full one.
  fd_datasync(fd) {
    return this.fd_sync(fd);
  }

  fd_fdstat_get(fd, statPtr) {
    const guest = this.#guest();
    const file = this.#fd(fd);
    const { size, filetype, flags, rightsBase, rightsInheriting } = LAYOUT.fdstat;
    guest.slice(statPtr, size).fill(0);
    guest.setU8(statPtr + filetype, file.filetype);
    guest.setU16(statPtr + flags, file.flags);
    guest.setU64(statPtr + rightsBase, file.rightsBase);
    guest.setU64(statPtr + rightsInheriting, file.rightsInheriting);
    return ERRNO.SUCCESS;
  }

  fd_fdstat_set_flags(fd, flags) {
    this.#fd(fd).setFlags(flags);
    return ERRNO.SUCCESS;
  }

  fd_filestat_get(fd, statPtr) {
    const guest = this.#guest();
    writeFilestat(guest, statPtr, this.#fd(fd).stat());
    return ERRNO.SUCCESS;
  }

  fd_filestat_set_size(fd, size) {
    this.#fd(fd).setSize(size);
    return ERRNO.SUCCESS;
  }

  fd_filestat_set_times(fd, atim, mtim, fstflags) {
    this.#fd(fd).setTimes(BigInt.asUintN(64, atim), BigInt.asUintN(64, mtim), fstflags);
    return ERRNO.SUCCESS;
  }

  fd_pread(fd, iovsPtr, iovsCount, offset, countPtr) {
    return this.#transfer(fd, iovsPtr, iovsCount, countPtr, (file, buffers) => file.pread(buffers, offset));
  }

  fd_prestat_get(fd, prestatPtr) {
    const guest = this.#guest();
    const name = this.#preopenName(fd);
    const { size, tag, nameLen } = LAYOUT.prestat;
    guest.slice(prestatPtr, size).fill(0);
    guest.setU8(prestatPtr + tag, PREOPENTYPE.DIR);
    guest.setU32(prestatPtr + nameLen, name.length);
    return ERRNO.SUCCESS;
  }

  fd_prestat_dir_name(fd, pathPtr, pathLength) {
    const guest = this.#guest();
    const name = this.#preopenName(fd);
    const buffer = guest.slice(pathPtr, pathLength >>> 0);
    if (buffer.length < name.length) throw new WasiError(ERRNO.NAMETOOLONG);
    buffer.set(name);
    return ERRNO.SUCCESS;
  }

  fd_pwrite(fd, iovsPtr, iovsCount, offset, countPtr) {
    return this.#transfer(fd, iovsPtr, iovsCount, countPtr, (file, buffers) => file.pwrite(buffers, offset));
  }

  fd_read(fd, iovsPtr, iovsCount, countPtr) {
    return this.#transfer(fd, iovsPtr, iovsCount, countPtr, (file, buffers) => file.read(buffers));
  }

  // Entries are numbered `.`, `..`, then the directory's entries in creation order; a cookie is the number of
  // the next entry. Entries added or removed between two calls may be missed or seen twice, as POSIX allows.
  fd_readdir(fd, bufferPtr, bufferLength, cookie, usedPtr) {
    const guest = this.#guest();
    const dir = this.#fd(fd).directory();
    const buffer = guest.slice(bufferPtr, bufferLength >>> 0);
    guest.check(usedPtr, 4);
    const listing = dir.listing();
    const { size, next, ino, namlen, type } = LAYOUT.dirent;
    let used = 0;
    for (let index = BigInt.asUintN(64, cookie); index < listing.length && used < buffer.length; index++) {
      const [name, node] = listing[Number(index)];
      const nameBytes = encodeUtf8(name);
      // The last entry is cut off where the buffer ends: the spec's signal that the caller should grow it.
      const entry = new Uint8Array(size + nameBytes.length);
      const view = new DataView(entry.buffer);
      view.setBigUint64(next, index + 1n, true);
      view.setBigUint64(ino, BigInt(node.ino), true);
      view.setUint32(namlen, nameBytes.length, true);
      view.setUint8(type, node.filetype);
      entry.set(nameBytes, size);
      const fitting = entry.subarray(0, buffer.length - used);
      buffer.set(fitting, used);
      used += fitting.length;
    }
    guest.setU32(usedPtr, used);
    return ERRNO.SUCCESS;
  }

  fd_renumber(fd, to) {
    const file = this.#fd(fd);
    const replaced = this.#fd(to);
    if (fd === to) return ERRNO.SUCCESS;
    replaced.close();
    this.#fds.set(to, file);
    this.#fds.delete(fd);
    return ERRNO.SUCCESS;
  }

  fd_seek(fd, offset, whence, offsetPtr) {
    const guest = this.#guest();
    const file = this.#fd(fd);
    guest.check(offsetPtr, 8);
    guest.setU64(offsetPtr, file.seek(offset, whence));
    return ERRNO.SUCCESS;
  }

  fd_sync(fd) {
    this.#fd(fd).sync();
    return ERRNO.SUCCESS;
  }

  fd_tell(fd, offsetPtr) {
    const guest = this.#guest();
    const file = this.#fd(fd);
    guest.check(offsetPtr, 8);
    guest.setU64(offsetPtr, file.tell());
    return ERRNO.SUCCESS;
  }

  fd_write(fd, iovsPtr, iovsCount, countPtr) {
    return this.#transfer(fd, iovsPtr, iovsCount, countPtr, (file, buffers) => file.write(buffers));
  }

  path_create_directory(fd, pathPtr, pathLength) {
    const guest = this.#guest();
    mkdirAt(this.#dir(fd), guest.path(pathPtr, pathLength));
    return ERRNO.SUCCESS;
  }

  // There are no symbolic links, so the lookup flags (follow or not) change nothing. A `faasm://` path is a
  // shared file's local copy, fetched first if this host has not looked for it yet.
  path_filestat_get(fd, _lookupFlags, pathPtr, pathLength, statPtr) {
    const guest = this.#guest();
    const dir = this.#dir(fd);
    const path = guest.path(pathPtr, pathLength);
    guest.check(statPtr, LAYOUT.filestat.size);
    const stat = this.#shared?.isShared(path) ? this.#shared.stat(path) : statAt(dir, path);
    return this.#settle('path_filestat_get', path, stat, (found) => {
      writeFilestat(this.#guest(), statPtr, found);
      return ERRNO.SUCCESS;
    });
  }

  path_filestat_set_times(fd, _lookupFlags, pathPtr, pathLength, atim, mtim, fstflags) {
    const guest = this.#guest();
    setTimesAt(this.#dir(fd), guest.path(pathPtr, pathLength), BigInt.asUintN(64, atim),
               BigInt.asUintN(64, mtim), fstflags);
    return ERRNO.SUCCESS;
  }

  // A `faasm://` path opens a shared file (shared-files.js) from whichever directory descriptor, as on Faasm.
  // Opening one may have to wait for the file; then, when the embedder lets path_open suspend, the answer is
  // a Promise of the errno.
  path_open(fd, _lookupFlags, pathPtr, pathLength, oflags, rightsBase, rightsInheriting, fdflags, fdPtr) {
    const guest = this.#guest();
    const dir = this.#dir(fd);
    const path = guest.path(pathPtr, pathLength);
    guest.check(fdPtr, 4);
    const rights = [BigInt.asUintN(64, rightsBase), BigInt.asUintN(64, rightsInheriting)];
    if (this.#faasmOpenFlags) oflags = faasmOpenFlags(oflags);
    const opened = this.#shared?.isShared(path)
      ? this.#shared.open(path, oflags, ...rights, fdflags, this.#fd(fd).rightsInheriting)
      : openAt(dir, path, oflags, ...rights, fdflags);
    return this.#settle('path_open', path, opened, (file) => {
      const number = this.#freeFd();
      this.#fds.set(number, file);
      this.#guest().setU32(fdPtr, number);
      return ERRNO.SUCCESS;
    });
  }

  path_readlink(fd, pathPtr, pathLength, bufferPtr, bufferLength, usedPtr) {
    const guest = this.#guest();
    const path = guest.path(pathPtr, pathLength);
    guest.check(bufferPtr, bufferLength >>> 0);
    guest.check(usedPtr, 4);
    readlinkAt(this.#dir(fd), path);
    return ERRNO.SUCCESS;
  }

  path_remove_directory(fd, pathPtr, pathLength) {
    const guest = this.#guest();
    rmdirAt(this.#dir(fd), guest.path(pathPtr, pathLength));
    return ERRNO.SUCCESS;
  }

  path_rename(fd, oldPathPtr, oldPathLength, newFd, newPathPtr, newPathLength) {
    const guest = this.#guest();
    renameAt(this.#dir(fd), guest.path(oldPathPtr, oldPathLength),
             this.#dir(newFd), guest.path(newPathPtr, newPathLength));
    return ERRNO.SUCCESS;
  }

  path_unlink_file(fd, pathPtr, pathLength) {
    const guest = this.#guest();
    unlinkAt(this.#dir(fd), guest.path(pathPtr, pathLength));
    return ERRNO.SUCCESS;
  }

  // Never blocks: waiting would freeze the page, and busy-waiting is worse. Descriptors here are always ready,
  // so fd subscriptions complete at once; with none, the earliest clock subscriptions fire now and the clocks
  // are moved forward by the time the guest wanted to wait.
  poll_oneoff(inPtr, outPtr, count, countPtr) {
    const guest = this.#guest();
    const subscriptions = count >>> 0;
    if (subscriptions === 0) throw new WasiError(ERRNO.INVAL, 'no subscriptions');
    const sub = LAYOUT.subscription;
    const inBase = guest.check(inPtr, subscriptions * sub.size);
    guest.check(outPtr, subscriptions * LAYOUT.event.size);
    guest.check(countPtr, 4);
    const ready = [];
    const timers = [];
    for (let i = 0; i < subscriptions; i++) {
      const at = inBase + i * sub.size;
      const userdata = guest.u64(at + sub.userdata);
      const type = guest.u8(at + sub.tag);
      if (type === EVENTTYPE.CLOCK) {
        const id = guest.u32(at + sub.clockId);
        if (!(id in RESOLUTION_NS)) {
          ready.push({ userdata, type, error: ERRNO.INVAL });
          continue;
        }
        const timeout = guest.u64(at + sub.clockTimeout);
        const absolute = guest.u16(at + sub.clockFlags) & SUBCLOCKFLAGS.SUBSCRIPTION_CLOCK_ABSTIME;
        timers.push({ userdata, type, remaining: absolute ? timeout - this.#now(id) : timeout });
      } else if (type === EVENTTYPE.FD_READ || type === EVENTTYPE.FD_WRITE) {
        const file = this.#fds.get(guest.u32(at + sub.fd));
        if (!file) ready.push({ userdata, type, error: ERRNO.BADF });
        else ready.push({ userdata, type, nbytes: type === EVENTTYPE.FD_READ ? file.available() : 0 });
      } else {
        throw new WasiError(ERRNO.INVAL, `subscription type ${type}`);
      }
    }
    if (ready.length === 0) {
      const wait = timers.reduce((least, { remaining }) => (remaining < least ? remaining : least),
                                 timers[0].remaining);
      if (wait > 0n) this.#sleptNs += wait;
      ready.push(...timers.filter(({ remaining }) => remaining <= wait));
    }
    const event = LAYOUT.event;
    for (const [i, { userdata, type, error = ERRNO.SUCCESS, nbytes = 0 }] of ready.entries()) {
      const at = (outPtr >>> 0) + i * event.size;
      guest.slice(at, event.size).fill(0);
      guest.setU64(at + event.userdata, userdata);
      guest.setU16(at + event.error, error);
      guest.setU8(at + event.type, type);
      guest.setU64(at + event.nbytes, nbytes);
    }
    guest.setU32(countPtr, ready.length);
    return ERRNO.SUCCESS;
  }

  proc_exit(code) {
    this.exitCode = code;
    throw new ProcExit(code);
  }

  sched_yield() { return ERRNO.SUCCESS; }

  random_get(bufferPtr, length) {
    const buffer = this.#guest().slice(bufferPtr, length >>> 0);
    for (let at = 0; at < buffer.length; at += RANDOM_CHUNK) {
      crypto.getRandomValues(buffer.subarray(at, at + RANDOM_CHUNK));
    }
    return ERRNO.SUCCESS;
  }

  // `value` (or a Promise of it, when a shared file must be waited for) handed to `use`; a WasiError on the
  // way becomes the errno the Promise resolves with. Waiting needs the embedder to have made `call` suspending.
  #settle(call, path, value, use) {
    if (!isThenable(value)) return use(value);
    if (!this.#suspending.has(call)) {
      throw new Error(`Wasi: ${call} of ${path} must wait for the file, but the embedder did not let ${call} suspend `
                      + '(option suspending)');
    }
    return value.then(use).catch((error) => {
      if (error instanceof WasiError) return error.errno;
      throw error;
    });
  }

  #guest() {
    if (!this.#memory) throw new Error('Wasi: call bind(memory or instance) before the guest runs');
    return new GuestMemory(this.#memory.buffer);
  }

  #fd(fd) {
    const file = this.#fds.get(fd);
    if (!file) throw new WasiError(ERRNO.BADF, `fd ${fd}`);
    return file;
  }

  #dir(fd) {
    return this.#fd(fd).directory();
  }

  #preopenName(fd) {
    const name = this.#fd(fd).preopenName;
    if (name === undefined) throw new WasiError(ERRNO.BADF, `fd ${fd} is not preopened`);
    return encodeUtf8(name);
  }

  #freeFd() {
    for (let fd = 0; fd < MAX_OPEN_FDS; fd++) if (!this.#fds.has(fd)) return fd;
    throw new WasiError(ERRNO.MFILE);
  }

  /** fd_read/fd_write/fd_pread/fd_pwrite: check the iovecs and the count pointer, move the bytes. */
  #transfer(fd, iovsPtr, iovsCount, countPtr, move) {
    const guest = this.#guest();
    const file = this.#fd(fd);
    const buffers = guest.iovecs(iovsPtr, iovsCount);
    guest.check(countPtr, 4);
    guest.setU32(countPtr, move(file, buffers));
    return ERRNO.SUCCESS;
  }

  #sizes(strings, countPtr, sizePtr) {
    const guest = this.#guest();
    guest.check(sizePtr, 4);
    guest.setU32(countPtr, strings.length);
    guest.setU32(sizePtr, strings.reduce((sum, bytes) => sum + bytes.length, 0));
    return ERRNO.SUCCESS;
  }

  #strings(strings, pointersPtr, bufferPtr) {
    const guest = this.#guest();
    guest.check(pointersPtr, strings.length * 4);
    let at = guest.check(bufferPtr, strings.reduce((sum, bytes) => sum + bytes.length, 0));
    for (const [i, bytes] of strings.entries()) {
      guest.setU32(pointersPtr + i * 4, at);
      guest.write(at, bytes);
      at += bytes.length;
    }
    return ERRNO.SUCCESS;
  }

  // Process and thread CPU time are approximated by the wall time since this Wasi was made, an upper bound:
  // a page cannot measure the CPU time of its own thread.
  #now(id) {
    switch (id) {
      case CLOCKID.REALTIME: return BigInt(Date.now()) * BigInt(NS_PER_MS) + this.#sleptNs;
      case CLOCKID.MONOTONIC: return monotonicNs() + this.#sleptNs;
      case CLOCKID.PROCESS_CPUTIME_ID:
      case CLOCKID.THREAD_CPUTIME_ID: return monotonicNs() - this.#startedNs;
      default: throw new WasiError(ERRNO.INVAL, `clock ${id}`);
    }
  }
}

function writeFilestat(guest, ptr, stat) {
  const { size, ino, filetype, nlink, filesize, atim, mtim, ctim } = LAYOUT.filestat;
  guest.slice(ptr, size).fill(0);
  guest.setU64(ptr + ino, stat.ino);
  guest.setU8(ptr + filetype, stat.filetype);
  guest.setU64(ptr + nlink, stat.nlink);
  guest.setU64(ptr + filesize, stat.size);
  guest.setU64(ptr + atim, stat.atim);
  guest.setU64(ptr + mtim, stat.mtim);
  guest.setU64(ptr + ctim, stat.ctim);
}

function formatErrno(result) {
  return result === undefined ? '' : `${result} (${errnoName(result)})`;
}

for (const name of UNSUPPORTED) {
  Object.defineProperty(Wasi.prototype, name, {
    value: { [name]() { return ERRNO.NOSYS; } }[name], writable: true, configurable: true,
  });
}

// Turns a WasiError thrown anywhere below a preview1 method into that method's errno (see the top).
for (const name of PREVIEW1_FUNCTIONS) {
  const implementation = Wasi.prototype[name];
  if (typeof implementation !== 'function') throw new Error(`Wasi: preview1 function ${name} is missing`);
  Object.defineProperty(Wasi.prototype, name, {
    value: {
      [name](...args) {
        try {
          return implementation.apply(this, args);
        } catch (error) {
          if (error instanceof WasiError) return error.errno;
          throw error;
        }
      },
    }[name],
    writable: true,
    configurable: true,
  });
}
