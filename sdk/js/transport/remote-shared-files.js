// The shared-file store of a faasm.js gateway, over the wire protocol (docs/protocol.md: FILE_UPLOAD,
// FILE_GET): the SharedFileStore interface (files/shared-store.d.ts) for a client connected to a gateway.
// The gateway keeps the files where its cluster's functions read them as faasm://PATH (its shared-file store,
// or Faasm's upload server, PUT /file and GET /file with FilePath: PATH); uploading needs a token with role
// upload or admin, as UPLOAD does. Paths travel without the faasm:// prefix.
import { TYPE } from './codec.js';

export class RemoteSharedFiles {
  #connection;

  /** @param {import('./connection.js').Connection} connection */
  constructor(connection) {
    this.#connection = connection;
  }

  /** Stores (or replaces) the file at path; resolves once the gateway has it durably. */
  async upload(path, bytes) {
    await this.#connection.request(TYPE.FILE_UPLOAD, { path, data: bytes }, { label: `upload of shared file '${path}'` });
  }

  /** The stored file's bytes, or null when there is none (an empty file is none, as on Faasm). */
  async get(path) {
    const reply = await this.#connection.request(TYPE.FILE_GET, { path }, { label: `read of shared file '${path}'` });
    return reply.exists && reply.data.length > 0 ? reply.data : null;
  }

  /** What a host fetches when a function first opens faasm://path: always a Promise (it asks the gateway). */
  pull(path) {
    return this.get(path);
  }
}
