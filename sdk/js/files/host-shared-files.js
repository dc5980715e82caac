// A host's shared files (faasm src/storage/SharedFiles.cpp): "global read, local write". The first time a
// call of this host opens `faasm://PATH`, the host asks the store (shared-store.d.ts) and keeps a local copy;
// from then on every call of the host sees that local copy. The answer is cached per path as Faasm caches it,
// a missing file included, until a call opens the path for writing (which forgets the answer; fopen asks for
// write rights even to read, so in practice a missing file is looked for again). An empty stored file counts
// as missing, as in Faasm.
//
// Writes: as Faasm's FileDescriptor::write uploads the whole file after every write, each write to a local
// copy uploads it to the store, after each write rather than on close so that another host opening the
// file while the writer still has it open sees what Faasm would show it. A write cannot wait (fd_write does
// not suspend), so the uploads run behind the call: one at a time per path, the latest contents when writes
// came in the meantime, and a call's result waits for them (settle), failing when one failed.
import { ERRNO } from '../wasi/defs.js';
import { MemoryFileSystem } from '../wasi/fs.js';
import { then } from '../sync-or-async.js';
import { rootPath } from './runtime-root.js';

export class HostSharedFiles {
  #store;
  #checked = new Map();  // path → ERRNO.SUCCESS (a local copy exists) or ERRNO.NOENT
  #uploads = new Map();  // path → { again, done }: the upload running for path
  #failures = [];

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

  /** A call wrote the local copy of path: uploads it whole (behind the call; see settle). */
  written(path) {
    const running = this.#uploads.get(path);
    if (running !== undefined) {
      running.again = true;
      return;
    }
    const upload = { again: false };
    const run = async () => {
      do {
        upload.again = false;
        await this.#store.upload(path, this.fs.readFile(this.localPath(path)));
      } while (upload.again);
    };
    upload.done = run()
      .catch((error) => {
        this.#failures.push(new Error(`upload of faasm://${path} failed: ${error.message}`, { cause: error }));
      })
      .finally(() => this.#uploads.delete(path));
    this.#uploads.set(path, upload);
  }

  /** Waits for every upload under way; resolves with the errors of those that failed since the last settle. */
  async settle() {
    while (this.#uploads.size > 0) await Promise.all([...this.#uploads.values()].map((upload) => upload.done));
    return this.#failures.splice(0);
  }
}
