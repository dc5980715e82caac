// The browser-local shared-file store: the client's own copy of the files uploaded with client.files, where
// Faasm keeps them in S3. It implements the SharedFileStore interface (shared-store.d.ts) that a
// gateway-backed store implements too; it answers pull() at once, so opening a shared file never suspends.
import { SHARED_PREFIX } from '../wasi/shared-files.js';

/** A path as the upload server's `FilePath` header takes it: non-empty, no NUL, without the `faasm://`. */
export function checkSharedPath(path, where) {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) {
    throw new TypeError(`${where}: the path must be a non-empty string without NUL, got ${String(path)}`);
  }
  if (path.startsWith(SHARED_PREFIX)) {
    throw new TypeError(`${where}: give the path without '${SHARED_PREFIX}' (functions open '${path}' for the path `
                        + `'${path.slice(SHARED_PREFIX.length)}')`);
  }
  return path;
}

export class BrowserSharedFiles {
  #files = new Map();

  async upload(path, bytes) {
    this.#files.set(path, bytes.slice());
  }

  async get(path) {
    return this.pull(path);
  }

  pull(path) {
    return this.#files.get(path)?.slice() ?? null;
  }
}
