// faasmjs upload NAME FILE.wasm: registers (or replaces) a function in the gateway's cluster and waits
// until the gateway has compiled it, which is when calls of it run (UPLOADED). Progress: the bytes sent,
// then the compile, which the gateway does not report in steps (it takes seconds for a large module).
import { basename } from 'node:path';

import { takePositionals } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson, readInput, writeStdout } from '../io.js';
import { formatBytes } from '../progress.js';
import { sendWithProgress } from '../sending.js';
import { TYPE } from '../sdk.js';

export const upload = {
  usage: 'upload NAME FILE.wasm',
  summary: 'register or replace function NAME with a binary, and wait until the gateway has compiled it',
  details: 'Needs a token with role upload or admin. FILE.wasm may be - (stdin). Prints the function\'s sha256 and '
    + 'the compile time; --json: {"function","sha256","compileMs","bytes","sendMs","totalMs"}.',
  options: {},
  async run({ positionals, open, progress, json }) {
    const [name, file] = takePositionals(positionals, ['NAME', 'FILE.wasm']);
    const wasm = readInput(file, 'upload');
    const session = await open();
    try {
      const { reply, sendMs, totalMs } = await sendWithProgress(session, {
        type: TYPE.UPLOAD, fields: { function: name, wasm }, bodyBytes: 6 + Buffer.byteLength(name) + wasm.length,
        label: `upload of ${name}`, what: `${file === '-' ? 'stdin' : basename(file)} (${formatBytes(wasm.length)})`,
        after: `the gateway is compiling ${name}`,
      }, progress);
      const done = { function: reply.function, sha256: reply.sha256, compileMs: reply.compileMs, bytes: wasm.length, sendMs, totalMs };
      if (json) await printJson(done);
      else await writeStdout(`${done.function}: uploaded ${formatBytes(done.bytes)} in ${sendMs} ms, compiled in ${done.compileMs} ms; sha256 ${done.sha256}\n`);
      return EXIT.ok;
    } finally {
      await session.close();
    }
  },
};
