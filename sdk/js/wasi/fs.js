// The in-memory file system behind the preopened `/`: nodes (files and directories), the descriptors that
// open them, and the path operations with POSIX's errnos. It lives only as long as the JavaScript objects do:
// the browser has no disk to give a function, and Faasm's own file system is per-call local writes anyway.
import {
  ADVICE, ERRNO, FDFLAGS, FDFLAGS_ALL, FILETYPE, FSTFLAGS, OFLAGS, OFLAGS_ALL, RIGHTS, RIGHTS_DIRECTORY, RIGHTS_DIRECTORY_INHERITING,
  RIGHTS_REGULAR_FILE, WHENCE,
} from './defs.js';
import { WasiError } from './errors.js';
import { Fd } from './fd.js';
import { encodeUtf8 } from './memory.js';

/** Largest file the guest can make; larger writes fail with EFBIG instead of exhausting the page's memory. */
export const MAX_FILE_SIZE = 2 ** 32;

let nextIno = 1;
const realtimeNs = () => BigInt(Date.now()) * 1_000_000n;

class Node {
  constructor() {
    this.ino = nextIno++;
    this.atim = this.mtim = this.ctim = realtimeNs();
  }

  stat() {
    const { filetype, ino, size, atim, mtim, ctim } = this;
    return { filetype, ino, nlink: 1, size, atim, mtim, ctim };
  }

  setTimes(atim, mtim, fstflags) {
    if (fstflags & ~0xf || (fstflags & FSTFLAGS.ATIM && fstflags & FSTFLAGS.ATIM_NOW)
        || (fstflags & FSTFLAGS.MTIM && fstflags & FSTFLAGS.MTIM_NOW)) {
      throw new WasiError(ERRNO.INVAL, `fstflags ${fstflags}`);
    }
    const now = realtimeNs();
    if (fstflags & FSTFLAGS.ATIM) this.atim = atim;
    if (fstflags & FSTFLAGS.ATIM_NOW) this.atim = now;
    if (fstflags & FSTFLAGS.MTIM) this.mtim = mtim;
    if (fstflags & FSTFLAGS.MTIM_NOW) this.mtim = now;
    this.ctim = now;
  }

  modified() {
    this.mtim = this.ctim = realtimeNs();
  }
}

export class File extends Node {
  // Bytes past `size` are always zero, so growing a file (by a write past its end or a resize) needs no
  // clearing and reads of the gap return zeros as POSIX requires.
  #data;

  constructor(contents = new Uint8Array(0)) {
    super();
    this.#data = contents.slice();
    this.size = contents.length;
  }

  get filetype() { return FILETYPE.REGULAR_FILE; }

  /** A copy of the file's bytes. */
  contents() { return this.#data.slice(0, this.size); }

  read(position, buffers) {
    let total = 0;
    for (const buffer of buffers) {
      if (position >= this.size) break;
      const chunk = this.#data.subarray(position, Math.min(this.size, position + buffer.length));
      buffer.set(chunk);
      position += chunk.length;
      total += chunk.length;
    }
    this.atim = realtimeNs();
    return total;
  }

  write(position, buffers) {
    const length = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
    this.#reserve(position + length);
    for (const buffer of buffers) {
      this.#data.set(buffer, position);
      position += buffer.length;
    }
    this.size = Math.max(this.size, position);
    this.modified();
    return length;
  }

  resize(size) {
    this.#reserve(size);
    if (size < this.size) this.#data.fill(0, size, this.size);
    this.size = size;
    this.modified();
  }

  #reserve(size) {
    if (size > MAX_FILE_SIZE) throw new WasiError(ERRNO.FBIG, `${size} bytes`);
    if (size <= this.#data.length) return;
    let grown;
    try {
      grown = new Uint8Array(Math.min(MAX_FILE_SIZE, Math.max(size, this.#data.length * 2)));
    } catch {
      throw new WasiError(ERRNO.NOSPC, `cannot allocate ${size} bytes`);
    }
    grown.set(this.#data.subarray(0, this.size));
    this.#data = grown;
  }
}

export class Directory extends Node {
  entries = new Map();
  /** Set when linked into a directory; gives `..` in readdir and stops a directory moving into itself. */
  parent = null;

  get filetype() { return FILETYPE.DIRECTORY; }
  get size() { return 0; }

  /** Name and node of every entry, `.` and `..` first (a root is its own parent). */
  listing() { return [['.', this], ['..', this.parent ?? this], ...this.entries]; }

  link(name, node) {
    this.entries.set(name, node);
    if (node instanceof Directory) node.parent = this;
    this.modified();
  }

  unlink(name) {
    this.entries.delete(name);
    this.modified();
  }

  /** Whether `dir` is this directory or lies below it. */
  contains(dir) {
    for (let at = dir; at; at = at.parent) if (at === this) return true;
    return false;
  }
}

/**
 * Walks a guest path from `start`, the directory of the descriptor it was given with. WASI descriptors are
 * capabilities: an absolute path or a `..` that climbs above `start` is refused with ENOTCAPABLE.
 * Returns the node (undefined if only the last component is missing) and, unless the path ends in `.` or
 * `..`, the directory holding it and its name there.
 */
export function resolvePath(start, path) {
  if (path === '') throw new WasiError(ERRNO.NOENT, 'empty path');
  if (path.startsWith('/')) throw new WasiError(ERRNO.NOTCAPABLE, `absolute path ${path}`);
  const trailingSlash = path.endsWith('/');
  const parts = path.split('/').filter((part) => part !== '');
  const stack = [start];
  for (const [index, part] of parts.entries()) {
    const dir = stack.at(-1);
    if (part === '.') continue;
    if (part === '..') {
      if (stack.length === 1) throw new WasiError(ERRNO.NOTCAPABLE, `${path} leaves its directory`);
      stack.pop();
      continue;
    }
    const node = dir.entries.get(part);
    if (index === parts.length - 1) {
      if (trailingSlash && node instanceof File) throw new WasiError(ERRNO.NOTDIR, path);
      return { node, parent: dir, name: part, trailingSlash };
    }
    if (!node) throw new WasiError(ERRNO.NOENT, path);
    if (!(node instanceof Directory)) throw new WasiError(ERRNO.NOTDIR, path);
    stack.push(node);
  }
  return { node: stack.at(-1), parent: null, name: null, trailingSlash };
}

function existing(start, path) {
  const { node } = resolvePath(start, path);
  if (!node) throw new WasiError(ERRNO.NOENT, path);
  return node;
}

export function statAt(start, path) {
  return existing(start, path).stat();
}

export function setTimesAt(start, path, atim, mtim, fstflags) {
  existing(start, path).setTimes(atim, mtim, fstflags);
}

/** There are no symbolic links, so every existing path is "not a link". */
export function readlinkAt(start, path) {
  existing(start, path);
  throw new WasiError(ERRNO.INVAL, `${path} is not a symbolic link`);
}

export function mkdirAt(start, path) {
  const { node, parent, name } = resolvePath(start, path);
  if (node) throw new WasiError(ERRNO.EXIST, path);
  parent.link(name, new Directory());
}

export function unlinkAt(start, path) {
  const { node, parent, name } = resolvePath(start, path);
  if (!parent || node instanceof Directory) throw new WasiError(ERRNO.ISDIR, path);
  if (!node) throw new WasiError(ERRNO.NOENT, path);
  parent.unlink(name);
}

export function rmdirAt(start, path) {
  const { node, parent, name } = resolvePath(start, path);
  if (!parent) throw new WasiError(ERRNO.INVAL, `cannot remove ${path}`);
  if (!node) throw new WasiError(ERRNO.NOENT, path);
  if (!(node instanceof Directory)) throw new WasiError(ERRNO.NOTDIR, path);
  if (node.entries.size) throw new WasiError(ERRNO.NOTEMPTY, path);
  parent.unlink(name);
}

/** POSIX rename(2): replaces a file by a file or an empty directory by a directory, atomically. */
export function renameAt(fromStart, fromPath, toStart, toPath) {
  const from = resolvePath(fromStart, fromPath);
  const to = resolvePath(toStart, toPath);
  if (!from.parent || !to.parent) throw new WasiError(ERRNO.INVAL, `cannot rename ${fromPath} to ${toPath}`);
  const { node } = from;
  if (!node) throw new WasiError(ERRNO.NOENT, fromPath);
  if (node === to.node) return;
  if (node instanceof Directory) {
    if (node.contains(to.parent)) throw new WasiError(ERRNO.INVAL, `${toPath} is inside ${fromPath}`);
    if (to.node instanceof File) throw new WasiError(ERRNO.NOTDIR, toPath);
    if (to.node?.entries.size) throw new WasiError(ERRNO.NOTEMPTY, toPath);
  } else {
    if (to.node instanceof Directory) throw new WasiError(ERRNO.ISDIR, toPath);
    if (to.trailingSlash) throw new WasiError(ERRNO.NOTDIR, toPath);
  }
  from.parent.unlink(from.name);
  to.parent.link(to.name, node);
  node.ctim = realtimeNs();
}

/** path_open: returns the new descriptor for `path`, creating or truncating as `oflags` ask. */
export function openAt(start, path, oflags, rightsBase, rightsInheriting, fdflags) {
  if (oflags & ~OFLAGS_ALL) throw new WasiError(ERRNO.INVAL, `oflags ${oflags}`);
  if (fdflags & ~FDFLAGS_ALL) throw new WasiError(ERRNO.INVAL, `fdflags ${fdflags}`);
  const wantsDirectory = Boolean(oflags & OFLAGS.DIRECTORY);
  const creates = Boolean(oflags & OFLAGS.CREAT);
  if (creates && wantsDirectory) throw new WasiError(ERRNO.INVAL, 'O_CREAT with O_DIRECTORY');
  const found = resolvePath(start, path);
  let { node } = found;
  if (node) {
    if (creates && oflags & OFLAGS.EXCL) throw new WasiError(ERRNO.EXIST, path);
  } else {
    if (!creates) throw new WasiError(ERRNO.NOENT, path);
    if (found.trailingSlash) throw new WasiError(ERRNO.ISDIR, path);
    node = new File();
    found.parent.link(found.name, node);
  }
  if (node instanceof Directory) {
    if (oflags & OFLAGS.TRUNC || rightsBase & RIGHTS.FD_WRITE) throw new WasiError(ERRNO.ISDIR, path);
    return new OpenDirectory(node, {
      rightsBase: rightsBase & RIGHTS_DIRECTORY,
      rightsInheriting: rightsInheriting & RIGHTS_DIRECTORY_INHERITING,
      flags: fdflags,
    });
  }
  if (wantsDirectory) throw new WasiError(ERRNO.NOTDIR, path);
  if (oflags & OFLAGS.TRUNC) node.resize(0);
  return new OpenFile(node, { rightsBase: rightsBase & RIGHTS_REGULAR_FILE, flags: fdflags });
}

/** A guest's offset argument (u64, which arrives as a signed BigInt) as a file position. */
function position(offset) {
  const unsigned = BigInt.asUintN(64, offset);
  return unsigned > BigInt(MAX_FILE_SIZE) ? MAX_FILE_SIZE + 1 : Number(unsigned);
}

export class OpenFile extends Fd {
  #position = 0;

  constructor(file, { rightsBase = RIGHTS_REGULAR_FILE, flags = 0 } = {}) {
    super({ filetype: FILETYPE.REGULAR_FILE, rightsBase, flags });
    this.file = file;
  }

  read(buffers) {
    const count = this.pread(buffers, BigInt(this.#position));
    this.#position += count;
    return count;
  }

  write(buffers) {
    if (this.flags & FDFLAGS.APPEND) this.#position = this.file.size;
    const count = this.pwrite(buffers, BigInt(this.#position));
    this.#position += count;
    return count;
  }

  pread(buffers, offset) {
    this.#demand(RIGHTS.FD_READ, 'reading');
    return this.file.read(position(offset), buffers);
  }

  pwrite(buffers, offset) {
    this.#demand(RIGHTS.FD_WRITE, 'writing');
    return this.file.write(position(offset), buffers);
  }

  seek(offset, whence) {
    const bases = { [WHENCE.SET]: 0, [WHENCE.CUR]: this.#position, [WHENCE.END]: this.file.size };
    if (!(whence in bases)) throw new WasiError(ERRNO.INVAL, `whence ${whence}`);
    const target = BigInt(bases[whence]) + BigInt.asIntN(64, offset);
    if (target < 0n) throw new WasiError(ERRNO.INVAL, 'negative offset');
    if (target > BigInt(MAX_FILE_SIZE)) throw new WasiError(ERRNO.OVERFLOW, `offset ${target}`);
    this.#position = Number(target);
    return target;
  }

  stat() { return this.file.stat(); }
  setTimes(atim, mtim, fstflags) { this.file.setTimes(atim, mtim, fstflags); }

  setSize(size) {
    this.#demand(RIGHTS.FD_WRITE, 'writing');
    this.file.resize(position(size));
  }

  allocate(offset, length) {
    this.#demand(RIGHTS.FD_WRITE, 'writing');
    const end = position(offset) + position(length);
    if (end > this.file.size) this.file.resize(end);
  }

  advise(_offset, _length, advice) {
    if (!Object.values(ADVICE).includes(advice)) throw new WasiError(ERRNO.INVAL, `advice ${advice}`);
  }

  sync() {}
  available() { return Math.max(0, this.file.size - this.#position); }

  #demand(right, what) {
    if (!(this.rightsBase & right)) throw new WasiError(ERRNO.BADF, `not open for ${what}`);
  }
}

export class OpenDirectory extends Fd {
  #preopenName;

  constructor(dir, { rightsBase = RIGHTS_DIRECTORY, rightsInheriting = RIGHTS_DIRECTORY_INHERITING, flags = 0,
                     preopenName } = {}) {
    super({ filetype: FILETYPE.DIRECTORY, rightsBase, rightsInheriting, flags });
    this.dir = dir;
    this.#preopenName = preopenName;
  }

  read() { throw new WasiError(ERRNO.ISDIR); }
  write() { throw new WasiError(ERRNO.ISDIR); }
  stat() { return this.dir.stat(); }
  setTimes(atim, mtim, fstflags) { this.dir.setTimes(atim, mtim, fstflags); }
  sync() {}
  directory() { return this.dir; }
  get preopenName() { return this.#preopenName; }
}

function checkAbsolute(path, method) {
  if (typeof path !== 'string' || !path.startsWith('/') || path.split('/').includes('..')) {
    throw new TypeError(`MemoryFileSystem.${method}: path must be an absolute path without '..', got ${path}`);
  }
  return path.slice(1) || '.';
}

/** The node at an embedder's path, or undefined when it, or a directory on the way, is missing. */
function lookup(root, path, method) {
  try {
    return resolvePath(root, checkAbsolute(path, method)).node;
  } catch (error) {
    if (error instanceof WasiError && [ERRNO.NOENT, ERRNO.NOTDIR].includes(error.errno)) return undefined;
    throw error;
  }
}

/**
 * The embedder's handle on the file system: what a function will find at `/`, and what it left there. Paths
 * are absolute; a missing file reads as undefined.
 */
export class MemoryFileSystem {
  root = new Directory();

  /** @param {Record<string, Uint8Array | string>} files absolute path → contents; parents are created. */
  constructor(files = {}) {
    if (typeof files !== 'object' || files === null) throw new TypeError('MemoryFileSystem: files must be an object');
    for (const [path, contents] of Object.entries(files)) this.writeFile(path, contents);
  }

  writeFile(path, contents) {
    const relative = checkAbsolute(path, 'writeFile');
    if (typeof contents === 'string') contents = encodeUtf8(contents);
    if (!(contents instanceof Uint8Array)) {
      throw new TypeError(`MemoryFileSystem.writeFile: contents of ${path} must be a Uint8Array or a string`);
    }
    const parentPath = relative.split('/').slice(0, -1).join('/');
    if (parentPath) this.mkdir(`/${parentPath}`);
    const { node, parent, name } = resolvePath(this.root, relative);
    if (!parent || node instanceof Directory) throw new WasiError(ERRNO.ISDIR, path);
    parent.link(name, new File(contents));
  }

  /** @returns {Uint8Array | undefined} */
  readFile(path) {
    const node = lookup(this.root, path, 'readFile');
    if (node instanceof Directory) throw new WasiError(ERRNO.ISDIR, path);
    return node?.contents();
  }

  /** @returns {'file' | 'directory' | undefined} what is at path. */
  kind(path) {
    const node = lookup(this.root, path, 'kind');
    if (node === undefined) return undefined;
    return node instanceof Directory ? 'directory' : 'file';
  }

  /** Creates the directory and any missing parents; an existing directory is fine. */
  mkdir(path) {
    let dir = this.root;
    for (const name of checkAbsolute(path, 'mkdir').split('/').filter((part) => part && part !== '.')) {
      let node = dir.entries.get(name);
      if (!node) dir.link(name, node = new Directory());
      if (!(node instanceof Directory)) throw new WasiError(ERRNO.NOTDIR, path);
      dir = node;
    }
  }

  /** @returns {string[] | undefined} entry names (without `.` and `..`) in creation order. */
  readdir(path) {
    const node = lookup(this.root, path, 'readdir');
    if (node instanceof File) throw new WasiError(ERRNO.NOTDIR, path);
    return node && [...node.entries.keys()];
  }
}
