// faasmjs files put|get: the gateway's shared files, which functions open as faasm://PATH (FILE_UPLOAD and
// FILE_GET, docs/protocol.md): the embedded cluster's store, or Faasm's upload server behind the gateway.
import { takePositionals } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { jsonBytes, printBytes, printJson, readInput } from '../io.js';
import { formatBytes } from '../progress.js';
import { sendWithProgress } from '../sending.js';
import { TYPE } from '../sdk.js';

// faasm://PATH as functions name it, or PATH as the protocol carries it.
const sharedPath = (path) => path.replace(/^faasm:\/\//, '');

export const filesPut = {
  usage: 'files put PATH FILE',
  summary: 'store FILE (- for stdin) as the shared file faasm://PATH',
  details: 'Needs a token with role upload or admin. --json: {"path","size"}.',
  options: {},
  async run({ positionals, open, progress, json }) {
    const [given, file] = takePositionals(positionals, ['PATH', 'FILE']);
    const path = sharedPath(given);
    const data = readInput(file, 'files put');
    const session = await open();
    try {
      await sendWithProgress(session, {
        type: TYPE.FILE_UPLOAD, fields: { path, data }, bodyBytes: 6 + Buffer.byteLength(path) + data.length,
        label: `upload of shared file '${path}'`, what: `${formatBytes(data.length)} as faasm://${path}`,
        after: 'the gateway is storing it',
      }, progress);
    } finally {
      await session.close();
    }
    if (json) await printJson({ path, size: data.length });
    return EXIT.ok;
  },
};

export const filesGet = {
  usage: 'files get PATH',
  summary: 'print the shared file faasm://PATH (exit 1 when there is none; an empty file is none, as on Faasm)',
  details: '--json: {"path","exists","size","data" (or "dataBase64")}.',
  options: {},
  async run({ positionals, open, json }) {
    const [given] = takePositionals(positionals, ['PATH']);
    const path = sharedPath(given);
    const session = await open();
    let reply;
    try {
      reply = await session.request(TYPE.FILE_GET, { path }, `read of shared file '${path}'`);
    } finally {
      await session.close();
    }
    const exists = reply.exists && reply.data.length > 0;
    if (json) await printJson({ path, exists, size: reply.data.length, ...(exists ? jsonBytes('data', reply.data) : {}) });
    else if (exists) await printBytes(reply.data);
    else process.stderr.write(`faasmjs: there is no shared file faasm://${path}\n`);
    return exists ? EXIT.ok : EXIT.missing;
  },
};
