// faasmjs-gateway's command line: --help and --version, a bad option is one line and exit status 2, a port
// in use is a clear start-up error.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { GATEWAY, Gateway, scratchDir } from './harness.mjs';

function run(args) {
  const result = spawnSync(GATEWAY, args, { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('gateway command line', { timeout: 60_000 }, () => {
  test('--help lists every option with its default', () => {
    const help = run(['--help']);
    assert.equal(help.status, 0);
    for (const option of ['--port', '--host', '--web-root', '--sdk', '--functions', '--data', '--cache', '--workers',
      '--call-timeout', '--memory-limit', '--token-key-file', '--jwt-public-key', '--allow-anonymous',
      '--allow-origin', '--allow-host', '--tls-cert', '--tls-key', '--users', '--max-frame', '--resume-grace', '--idle-timeout', '--worker', '--asyncify',
      '--quiet', '--help', '--version']) {
      assert.match(help.stdout, new RegExp(`^ +(-\\w, )?${option}\\b`, 'm'), option);
    }
    assert.match(help.stdout, /--port .*\(default 8080\)/);
    assert.match(help.stdout, /--data .*\(default \.\/faasmjs-data\)/);
  });

  test('--version prints the version', () => {
    const version = run(['--version']);
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^faasmjs-gateway \d+\.\d+\.\d+\n$/);
  });

  test('a bad option is one line on stderr and exit status 2', () => {
    for (const args of [['--bogus'], ['--port', 'http'], ['--port', '70000'], ['--workers', '0'], ['--max-frame', '10'],
      ['--port'], ['stray'], ['--worker', '/nonexistent/faasmjs-worker'], ['--allow-origin', 'evil.example'],
      ['--tls-cert', 'cert.pem'], ['--token', 'visible-in-ps'], ['--memory-limit', '0'], ['--memory-limit', '4097']]) {
      const result = run([...args, '--allow-anonymous']);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stderr.trim().split('\n').length, 1, args.join(' '));
      assert.equal(result.stdout, '', args.join(' '));
    }
  });

  test('--memory-limit takes Faasm\'s maximum, 4096 MiB (4 GiB - 64 KiB), and says so above it', async () => {
    const over = run(['--memory-limit', '4097', '--allow-anonymous']);
    assert.match(over.stderr, /--memory-limit needs MiB from 1 to 4096 \(4096: Faasm's maximum, 4 GiB - 64 KiB\)/);
    const gateway = await Gateway.start({ data: join(scratchDir(), 'max'), args: ['--memory-limit', '4096'] });
    assert.deepEqual(await gateway.stop(), { code: 0, signal: null });
  });

  test('a port in use is a start-up error naming it', async () => {
    const scratch = scratchDir();
    const gateway = await Gateway.start({ data: join(scratch, 'one') });
    try {
      const second = run(['--port', String(gateway.port), '--data', join(scratch, 'two'), '--allow-anonymous']);
      assert.equal(second.status, 1);
      assert.match(second.stderr, new RegExp(`127\\.0\\.0\\.1:${gateway.port}`));
    } finally {
      assert.deepEqual(await gateway.stop(), { code: 0, signal: null });
    }
  });
});
