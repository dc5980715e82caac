// The installed faasmjs against the installed gateway, both from PREFIX alone: upload a function with the
// command line, list it, invoke it. Exit status 0 when all went as it should, else 1 with what went wrong.
//   node cli_roundtrip.mjs PREFIX HELLO_WASM
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { startGateway } from '../../tools/demo/gateway.mjs';

const [prefix, helloWasm] = process.argv.slice(2);
const gateway = await startGateway({
  binary: path.join(prefix, 'bin', 'faasmjs-gateway'), functionDirs: [], webRoot: path.join(prefix, 'share', 'faasmjs', 'webapp'),
});

function faasmjs(...args) {
  const result = spawnSync(path.join(prefix, 'bin', 'faasmjs'), ['--gateway', gateway.url, '--key-file', gateway.keyFile, ...args],
    { encoding: 'utf8', timeout: 300_000, env: { PATH: process.env.PATH } });
  if (result.status !== 0) throw new Error(`faasmjs ${args.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr}`);
  return result.stdout;
}

try {
  faasmjs('upload', 'hello', helloWasm);
  if (!/^hello +[0-9a-f]{64} +(compiling|optimising|ready)$/m.test(faasmjs('functions'))) throw new Error('faasmjs functions does not list the upload');
  const output = faasmjs('invoke', 'hello', 'Prefix');
  if (output !== 'Hello Prefix!') throw new Error(`faasmjs invoke hello printed '${output}'`);
  console.log('the installed faasmjs uploaded, listed and invoked hello through the installed gateway');
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await gateway.close();
}
