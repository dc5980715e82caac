// A stand-in for a guest program: a Wasi bound to a bare memory, plus the pointer plumbing a libc would do,
// so that tests read like the calls they check. Every helper returns the raw errno next to its result.
import { Wasi, defs } from '../../../sdk/js/wasi/index.js';

const { ERRNO, LAYOUT, OFLAGS, RIGHTS } = defs;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const PAGE = 65536;
/** Rights wasi-libc asks for on open(O_RDWR): everything; the runtime narrows them to the file type. */
export const ALL_RIGHTS = (1n << 64n) - 1n;
export const READ_ONLY = ALL_RIGHTS & ~(RIGHTS.FD_WRITE | RIGHTS.FD_ALLOCATE | RIGHTS.FD_FILESTAT_SET_SIZE);
export const ROOT = 3;

export class Guest {
  #next = 1024;

  constructor(options = {}) {
    this.wasi = new Wasi(options);
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.wasi.bind(this.memory);
    this.call = this.wasi.imports;
  }

  get view() { return new DataView(this.memory.buffer); }
  get bytes() { return new Uint8Array(this.memory.buffer); }

  /** Reserves `size` zeroed bytes of guest memory (8-aligned) and returns their address. */
  alloc(size) {
    const ptr = this.#next;
    this.#next += Math.ceil(Math.max(size, 1) / 8) * 8;
    if (this.#next > this.memory.buffer.byteLength) throw new Error('Guest: out of scratch memory');
    return ptr;
  }

  put(data) {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    const ptr = this.alloc(bytes.length);
    this.bytes.set(bytes, ptr);
    return [ptr, bytes.length];
  }

  /** An iovec array over fresh buffers of the given sizes (or contents); returns [ptr, count, buffers]. */
  iovecs(parts) {
    const buffers = parts.map((part) => (typeof part === 'number' ? [this.alloc(part), part] : this.put(part)));
    const ptr = this.alloc(buffers.length * LAYOUT.iovec.size);
    buffers.forEach(([buf, len], i) => {
      this.view.setUint32(ptr + i * 8, buf, true);
      this.view.setUint32(ptr + i * 8 + 4, len, true);
    });
    return [ptr, buffers.length, buffers];
  }

  u8(ptr) { return this.view.getUint8(ptr); }
  u16(ptr) { return this.view.getUint16(ptr, true); }
  u32(ptr) { return this.view.getUint32(ptr, true); }
  u64(ptr) { return this.view.getBigUint64(ptr, true); }
  text(ptr, length) { return decoder.decode(this.bytes.slice(ptr, ptr + length)); }

  open(path, { dirfd = ROOT, oflags = 0, rights = ALL_RIGHTS, inheriting = ALL_RIGHTS, fdflags = 0 } = {}) {
    const [p, len] = this.put(path);
    const out = this.alloc(4);
    const errno = this.call.path_open(dirfd, 0, p, len, oflags, rights, inheriting, fdflags, out);
    return { errno, fd: this.u32(out) };
  }

  create(path, contents = '') {
    const { errno, fd } = this.open(path, { oflags: OFLAGS.CREAT | OFLAGS.TRUNC });
    if (errno !== ERRNO.SUCCESS) throw new Error(`create ${path}: errno ${errno}`);
    this.write(fd, contents);
    return fd;
  }

  write(fd, ...parts) {
    const [iovs, count] = this.iovecs(parts);
    const out = this.alloc(4);
    const errno = this.call.fd_write(fd, iovs, count, out);
    return { errno, count: this.u32(out) };
  }

  pwrite(fd, offset, text) {
    const [iovs, count] = this.iovecs([text]);
    const out = this.alloc(4);
    const errno = this.call.fd_pwrite(fd, iovs, count, BigInt(offset), out);
    return { errno, count: this.u32(out) };
  }

  read(fd, ...sizes) {
    const [iovs, count, buffers] = this.iovecs(sizes);
    const out = this.alloc(4);
    const errno = this.call.fd_read(fd, iovs, count, out);
    const n = this.u32(out);
    return { errno, count: n, text: this.#gather(buffers, n) };
  }

  pread(fd, offset, size) {
    const [iovs, count, buffers] = this.iovecs([size]);
    const out = this.alloc(4);
    const errno = this.call.fd_pread(fd, iovs, count, BigInt(offset), out);
    return { errno, text: this.#gather(buffers, this.u32(out)) };
  }

  seek(fd, offset, whence) {
    const out = this.alloc(8);
    const errno = this.call.fd_seek(fd, BigInt(offset), whence, out);
    return { errno, offset: this.u64(out) };
  }

  tell(fd) {
    const out = this.alloc(8);
    const errno = this.call.fd_tell(fd, out);
    return { errno, offset: this.u64(out) };
  }

  pathCall(name, path, dirfd = ROOT) {
    const [p, len] = this.put(path);
    return this.call[name](dirfd, p, len);
  }

  mkdir(path, dirfd) { return this.pathCall('path_create_directory', path, dirfd); }
  unlink(path, dirfd) { return this.pathCall('path_unlink_file', path, dirfd); }
  rmdir(path, dirfd) { return this.pathCall('path_remove_directory', path, dirfd); }

  rename(from, to, fromDir = ROOT, toDir = ROOT) {
    const [a, aLen] = this.put(from);
    const [b, bLen] = this.put(to);
    return this.call.path_rename(fromDir, a, aLen, toDir, b, bLen);
  }

  stat(path, dirfd = ROOT) {
    const [p, len] = this.put(path);
    const out = this.alloc(LAYOUT.filestat.size);
    const errno = this.call.path_filestat_get(dirfd, 0, p, len, out);
    return { errno, ...this.filestat(out) };
  }

  fstat(fd) {
    const out = this.alloc(LAYOUT.filestat.size);
    const errno = this.call.fd_filestat_get(fd, out);
    return { errno, ...this.filestat(out) };
  }

  filestat(ptr) {
    const f = LAYOUT.filestat;
    return {
      ino: this.u64(ptr + f.ino), filetype: this.u8(ptr + f.filetype), nlink: this.u64(ptr + f.nlink),
      size: this.u64(ptr + f.filesize), atim: this.u64(ptr + f.atim), mtim: this.u64(ptr + f.mtim),
      ctim: this.u64(ptr + f.ctim),
    };
  }

  fdstat(fd) {
    const out = this.alloc(LAYOUT.fdstat.size);
    const errno = this.call.fd_fdstat_get(fd, out);
    const f = LAYOUT.fdstat;
    return { errno, filetype: this.u8(out + f.filetype), flags: this.u16(out + f.flags),
             rightsBase: this.u64(out + f.rightsBase), rightsInheriting: this.u64(out + f.rightsInheriting) };
  }

  /** One fd_readdir call: the raw bytes used and the entries decoded from them. */
  readdirOnce(fd, bufferSize = 4096, cookie = 0n) {
    const buf = this.alloc(bufferSize);
    const out = this.alloc(4);
    const errno = this.call.fd_readdir(fd, buf, bufferSize, cookie, out);
    const used = this.u32(out);
    const d = LAYOUT.dirent;
    const entries = [];
    for (let at = buf; at + d.size <= buf + used;) {
      const namlen = this.u32(at + d.namlen);
      if (at + d.size + namlen > buf + used) break;
      entries.push({ next: this.u64(at + d.next), ino: this.u64(at + d.ino), type: this.u8(at + d.type),
                     name: this.text(at + d.size, namlen) });
      at += d.size + namlen;
    }
    return { errno, used, entries };
  }

  /** All entries of a directory, reading with a small buffer to exercise cookies. */
  readdir(fd, bufferSize = 64) {
    const names = [];
    let cookie = 0n;
    for (;;) {
      const { errno, used, entries } = this.readdirOnce(fd, bufferSize, cookie);
      if (errno !== ERRNO.SUCCESS) return { errno, names };
      names.push(...entries.map((entry) => entry.name));
      if (used < bufferSize) return { errno, names };
      cookie = entries.at(-1).next;
    }
  }

  #gather(buffers, count) {
    const chunks = [];
    for (const [ptr, len] of buffers) {
      const take = Math.min(len, count);
      chunks.push(this.bytes.slice(ptr, ptr + take));
      count -= take;
    }
    return decoder.decode(Buffer.concat(chunks));
  }
}

export { ERRNO, LAYOUT, OFLAGS, RIGHTS };
export const { FDFLAGS, FILETYPE, WHENCE, CLOCKID, EVENTTYPE, SUBCLOCKFLAGS, FSTFLAGS, ADVICE } = defs;
