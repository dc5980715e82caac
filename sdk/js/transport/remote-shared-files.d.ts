import type { Connection } from './connection.js';

/** The gateway's shared files over FILE_UPLOAD and FILE_GET (remote-shared-files.js). */
export declare class RemoteSharedFiles {
  constructor(connection: Connection);
  upload(path: string, bytes: Uint8Array): Promise<void>;
  get(path: string): Promise<Uint8Array | null>;
  pull(path: string): Promise<Uint8Array | null>;
}
