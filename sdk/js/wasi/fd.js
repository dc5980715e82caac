import { ERRNO, FDFLAGS_ALL, FILETYPE, RIGHTS_STDIN, RIGHTS_STDOUT, WHENCE } from './defs.js';
import { WasiError } from './errors.js';
import { encodeUtf8 } from './memory.js';

/**
 * An open file descriptor. `Wasi` looks the number up, checks guest memory, and calls one of these methods;
 * each either returns its result or throws a `WasiError`. The defaults here are the errno POSIX gives for
 * asking the operation of a descriptor that cannot do it (seek on a pipe is ESPIPE, readdir on a file is
 * ENOTDIR, ...), so a subclass overrides only what it really supports.
 */
export class Fd {
  constructor({ filetype, rightsBase, rightsInheriting = 0n, flags = 0 }) {
    this.filetype = filetype;
    this.rightsBase = rightsBase;
    this.rightsInheriting = rightsInheriting;
    this.flags = flags;
  }

  /** @returns {number} bytes read into `buffers` (views into guest memory), 0 at end of file. */
  read(_buffers) { throw new WasiError(ERRNO.BADF, 'not open for reading'); }
  /** @returns {number} bytes written from `buffers`. */
  write(_buffers) { throw new WasiError(ERRNO.BADF, 'not open for writing'); }
  pread(_buffers, _offset) { throw new WasiError(ERRNO.SPIPE); }
  pwrite(_buffers, _offset) { throw new WasiError(ERRNO.SPIPE); }
  /** @returns {bigint} the new offset. */
  seek(_offset, _whence) { throw new WasiError(ERRNO.SPIPE); }
  tell() { return this.seek(0n, WHENCE.CUR); }
  /** @returns {{filetype: number, ino: number, nlink: number, size: number, atim: bigint, mtim: bigint, ctim: bigint}} */
  stat() { return { filetype: this.filetype, ino: 0, nlink: 1, size: 0, atim: 0n, mtim: 0n, ctim: 0n }; }
  setFlags(flags) {
    if (flags & ~FDFLAGS_ALL) throw new WasiError(ERRNO.INVAL, `fdflags ${flags}`);
    this.flags = flags;
  }
  setSize(_size) { throw new WasiError(ERRNO.INVAL, 'not a regular file'); }
  setTimes(_atim, _mtim, _fstflags) { throw new WasiError(ERRNO.NOTSUP); }
  allocate(_offset, _length) { throw new WasiError(ERRNO.NOTSUP); }
  advise(_offset, _length, _advice) { throw new WasiError(ERRNO.SPIPE); }
  sync() { throw new WasiError(ERRNO.INVAL, 'nothing to sync'); }
  /** Bytes a read would return now, for poll_oneoff. */
  available() { return 0; }
  /** The directory that path_* calls on this descriptor start from. */
  directory() { throw new WasiError(ERRNO.NOTDIR); }
  /** The name under which this descriptor is preopened, or undefined when it is not a preopen. */
  get preopenName() { return undefined; }
  close() {}
}

/** fd 0: the bytes the embedder gave (empty by default), then end of file. */
export class Stdin extends Fd {
  #bytes;
  #position = 0;

  constructor(input = new Uint8Array(0)) {
    super({ filetype: FILETYPE.CHARACTER_DEVICE, rightsBase: RIGHTS_STDIN });
    this.#bytes = typeof input === 'string' ? encodeUtf8(input) : input;
  }

  read(buffers) {
    let total = 0;
    for (const buffer of buffers) {
      const chunk = this.#bytes.subarray(this.#position, this.#position + buffer.length);
      buffer.set(chunk);
      this.#position += chunk.length;
      total += chunk.length;
      if (chunk.length < buffer.length) break;
    }
    return total;
  }

  available() { return this.#bytes.length - this.#position; }
}

/**
 * fd 1 and 2: keeps every byte written (the call's result needs them) and, when given a callback, also hands
 * it each complete line as text, the way a terminal would show it (e.g. `console.log`).
 */
export class OutputCapture extends Fd {
  #buffer = new Uint8Array(256);
  #length = 0;
  #onLine;
  #decoder = new TextDecoder();
  #pendingLine = '';

  constructor(onLine) {
    super({ filetype: FILETYPE.CHARACTER_DEVICE, rightsBase: RIGHTS_STDOUT });
    this.#onLine = onLine;
  }

  /** A copy of everything written so far. */
  get bytes() { return this.#buffer.slice(0, this.#length); }

  write(buffers) {
    let total = 0;
    for (const buffer of buffers) {
      this.#append(buffer);
      total += buffer.length;
    }
    return total;
  }

  /** Hands a last line that has no newline to the callback. */
  flush() {
    if (!this.#onLine) return;
    const rest = this.#pendingLine + this.#decoder.decode();
    this.#pendingLine = '';
    if (rest) this.#onLine(rest);
  }

  #append(bytes) {
    if (this.#length + bytes.length > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(this.#length + bytes.length, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.length;
    if (!this.#onLine) return;
    const lines = (this.#pendingLine + this.#decoder.decode(bytes, { stream: true })).split('\n');
    this.#pendingLine = lines.pop();
    for (const line of lines) this.#onLine(line);
  }
}
