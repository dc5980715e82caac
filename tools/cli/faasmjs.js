#!/usr/bin/env node
// The faasmjs command (main.js): installed as bin/faasmjs, a link to this file in share/faasmjs/cli/, beside
// the SDK it runs on. Turns every failure into one line on stderr and exit status 2.
//
// Node 20 has a WebSocket only behind --experimental-websocket (Node 22 has it always): there this process
// runs the command again in a Node with the flag, once, and exits as that did.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REEXEC = 'FAASMJS_CLI_WEBSOCKET_FLAG';

function rerunWithWebSocket() {
  if (process.env[REEXEC] === '1') {
    process.stderr.write(`faasmjs: this Node (${process.version}) has no WebSocket, even with --experimental-websocket; use Node 22, or 20.10 or later\n`);
    return 2;
  }
  const child = spawnSync(process.execPath, ['--experimental-websocket', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, [REEXEC]: '1' } });
  if (child.error) {
    process.stderr.write(`faasmjs: cannot run ${process.execPath}: ${child.error.message}\n`);
    return 2;
  }
  if (child.signal !== null) process.kill(process.pid, child.signal);
  return child.status;
}

async function run() {
  if (typeof globalThis.WebSocket !== 'function') return rerunWithWebSocket();
  let UsageError;
  try {
    ({ UsageError } = await import('./args.js'));
    const { main } = await import('./main.js');
    return await main(process.argv.slice(2));
  } catch (error) {
    const message = String(error?.message ?? error).replace(/\s*\n\s*/g, ' ');
    const see = UsageError !== undefined && error instanceof UsageError ? `; see faasmjs ${error.command ? `${error.command} ` : ''}--help` : '';
    process.stderr.write(`faasmjs: ${message}${see}\n`);
    return 2;
  }
}

process.exitCode = await run();
// Nothing is left to wait for: the session is closed and what was printed has been written.
process.exit();
