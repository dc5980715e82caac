// An installed prefix moved elsewhere still runs from itself alone: its gateway serves the web app and SDK of
// the moved share/faasmjs (files marked here, so that the checkout's copies cannot pass for them), runs calls
// with the moved faasmjs-worker, and the moved faasmjs command line talks to it. Exit status 0 when all went
// as it should, else 1 with what went wrong.
//   node relocated.mjs MOVED_PREFIX HELLO_WASM
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { startGateway } from '../../tools/demo/gateway.mjs';

const [prefix, helloWasm] = process.argv.slice(2);
const share = path.join(prefix, 'share', 'faasmjs');
const marks = { '': ['webapp/index.html', '<!-- served from the moved prefix -->'],
  'sdk/js/index.js': ['sdk/js/index.js', '// served from the moved prefix'] };
for (const [file, mark] of Object.values(marks)) fs.appendFileSync(path.join(share, file), `\n${mark}\n`);

const gateway = await startGateway({
  binary: path.join(prefix, 'bin', 'faasmjs-gateway'), functionDirs: [path.dirname(helloWasm)], webRoot: null,
});
try {
  for (const [served, [file, mark]] of Object.entries(marks)) {
    const text = await (await fetch(new URL(served, gateway.url))).text();
    if (!text.includes(mark)) throw new Error(`/${served} is not the moved prefix's ${file}`);
  }
  const result = spawnSync(path.join(prefix, 'bin', 'faasmjs'),
    ['--gateway', gateway.url, '--key-file', gateway.keyFile, 'invoke', 'hello', 'Moved'],
    { encoding: 'utf8', timeout: 300_000, env: { PATH: process.env.PATH } });
  if (result.stdout !== 'Hello Moved!') {
    throw new Error(`the moved faasmjs invoke hello printed '${result.stdout}' (${result.status ?? result.signal}): ${result.stderr}`);
  }
  console.log('the moved prefix served its own web app and SDK and ran hello');
} catch (error) {
  console.error(`${error.message}\n${gateway.log}`);
  process.exitCode = 1;
} finally {
  await gateway.close();
}
