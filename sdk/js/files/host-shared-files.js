// A host's shared files (faasm src/storage/SharedFiles.cpp): "global read, local write". The first time a
// call of this host opens `faasm://PATH`, the host asks the store (shared-store.d.ts) and keeps a local copy;
// from then on every call of the host sees that local copy, and what a call writes there stays on this host,
// never uploaded. The answer is cached per path as Faasm caches it, a missing file included, until a call
// opens the path for writing (which forgets the answer; fopen asks for write rights even to read, so in
// practice a missing file is looked for again). An empty stored file counts as missing, as in Faasm.
import { ERRNO } from '../wasi/defs.js';
import { MemoryFileSystem } from '../wasi/fs.js';
import { then } from '../sync-or-async.js';
import { rootPath } from './runtime-root.js';

export class HostSharedFiles {
  #store;
  #checked = new Map();  // path → ERRNO.SUCCESS (a local copy exists) or ERRNO.NOENT

  /** @param {import('./shared-store.d.ts').SharedFileStore} store */
  constructor(store) {
    this.#store = store;
    /** The local copies, at `/PATH` (Faasm's shared files directory). */
    this.fs = new MemoryFileSystem();
  }

  /** The local copy's absolute path in `fs`. */
  localPath(path) {
    return rootPath(path);
  }

  /**
   * Faasm's syncSharedFile: SUCCESS once a local copy exists, NOENT when the store has no such file; a
   * Promise of that when the store must be asked and answers later.
   */
  sync(path) {
    const known = this.#checked.get(path);
    if (known !== undefined) return known;
    if (this.fs.kind(this.localPath(path)) !== undefined) {
      this.#checked.set(path, ERRNO.SUCCESS);
      return ERRNO.SUCCESS;
    }
    return then(this.#store.pull(path), (bytes) => {
      if (bytes === null || bytes.length === 0) {
        this.#checked.set(path, ERRNO.NOENT);
      } else {
        this.fs.writeFile(this.localPath(path), bytes);
        this.#checked.set(path, ERRNO.SUCCESS);
      }
      return this.#checked.get(path);
    });
  }

  /** Forgets what sync found for path (Faasm's clearCacheForSharedFile, done when a call opens it to write). */
  forget(path) {
    this.#checked.delete(path);
  }
}
