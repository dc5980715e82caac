#!/usr/bin/env node
// Command line of the demo server (server.mjs): serves until Ctrl-C.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { functionsDirOf, repoRoot, startDevServer } from './server.mjs';

const USAGE = `Usage: node tools/devserver/devserver.mjs [options]

Serves the faasm.js demo: examples/webapp at /, sdk/js at /sdk/js/ and a build's example functions at /wasm/.

Options:
  -p, --port <n>        port to listen on, 0 for any free one (default 8080)
      --host <addr>     address to listen on (default 127.0.0.1)
  -b, --build-dir <d>   build directory: the native one (its wasm-clang sub-build is served) or a wasm
                        sub-build (default ./build)
  -h, --help            show this help
`;

function fail(message) {
  process.stderr.write(`devserver: ${message}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', short: 'p', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'build-dir': { type: 'string', short: 'b', default: path.join(repoRoot, 'build') },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail(`${error.message}\n\n${USAGE}`);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, got '${values.port}'`);
const functionsDir = functionsDirOf(path.resolve(values['build-dir']));
if (!fs.existsSync(path.join(functionsDir, 'hello.wasm'))) {
  fail(`no example functions in ${functionsDir}: build first (./tools/dev.sh build) or pass --build-dir`);
}

let server;
try {
  server = await startDevServer({ functionsDir, port, host: values.host });
} catch (error) {
  fail(`cannot listen on ${values.host}:${port}: ${error.message}`);
}
process.stdout.write(`faasm.js demo: ${server.url}  (functions from ${functionsDir}; Ctrl-C stops)\n`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await server.close();
    process.exit(0);
  });
}
