// The shared-file store interface: the cluster's copy of the files functions open as `faasm://PATH` (Faasm
// keeps them in S3 and uploads them with the upload server's `PUT /file`, header `FilePath: PATH`). The
// browser-local BrowserSharedFiles (shared-store.js) implements it in memory; a gateway-backed store
// implements it over the WebSocket, and a client takes either (`new Client(options, { sharedFiles })`).

export interface SharedFileStore {
  /** Stores (or replaces) the file at path. */
  upload(path: string, bytes: Uint8Array): Promise<void>;
  /** The stored file's bytes, or null when there is none. */
  get(path: string): Promise<Uint8Array | null>;
  /**
   * What a host fetches when a function first opens `faasm://path`: the bytes or null. A store that answers
   * at once returns them; one that must wait returns a Promise, and the function's path_open suspends (the
   * runtime must then let path_open suspend: the Wasi option `suspending`).
   */
  pull(path: string): Uint8Array | null | Promise<Uint8Array | null>;
}

export declare class BrowserSharedFiles implements SharedFileStore {
  upload(path: string, bytes: Uint8Array): Promise<void>;
  get(path: string): Promise<Uint8Array | null>;
  pull(path: string): Uint8Array | null;
}

/** Checks a shared file's path as the upload server takes it (the `FilePath` header); returns it. */
export declare function checkSharedPath(path: unknown, where: string): string;
