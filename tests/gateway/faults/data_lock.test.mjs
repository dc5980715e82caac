// One gateway per --data folder: a second one on the same folder refuses to start (exit 2, one line naming
// the first's pid), and the lock goes with its holder, kill -9 included, even while the holder's workers
// are still finishing. A relative --data (the default is ./faasmjs-data) is the same folder for the workers.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Client, GATEWAY, Gateway, TYPE, bytes, functionsDir, scratchDir, text } from '../protocol/harness.mjs';

describe('the --data lock', { timeout: 120_000 }, () => {
  const scratch = scratchDir();
  const data = join(scratch, 'data');
  const functions = functionsDir(scratch);
  const gateways = [];
  after(async () => { for (const gateway of gateways) await gateway.kill(); });

  // A gateway that is refused exits at once; one that is not would serve until the timeout kills it.
  function startSecond() {
    const cache = process.env.FAASMJS_AOT_CACHE ?? join(scratch, 'aot-cache');
    return spawnSync(GATEWAY, ['--port', '0', '--data', data, '--cache', cache, '--allow-anonymous'], { encoding: 'utf8', timeout: 20_000 });
  }

  test('a second gateway on the same data is refused, naming the first; kill -9 frees the folder', async () => {
    const first = await Gateway.start({ data, functions });
    gateways.push(first);
    const client = await Client.connect(first.wsUrl, { user: 'locker' });
    const result = await client.request(TYPE.INVOKE, { function: 'hello', input: bytes('lock') });
    assert.equal(result.type, TYPE.RESULT, `hello failed: ${JSON.stringify(result)}`);
    assert.equal((await client.request(TYPE.STATE_SET, { key: 'k', value: bytes('first') })).type, TYPE.ACK);

    const refused = startSecond();
    assert.equal(refused.signal, null, `the second gateway started on a folder in use:\n${refused.stderr}`);
    assert.equal(refused.status, 2, refused.stderr);
    const lines = refused.stderr.trim().split('\n');
    assert.equal(lines.length, 1, refused.stderr);
    assert.match(lines[0], new RegExp(`^faasmjs-gateway: data folder .* is in use by another gateway \\(pid ${first.pid} on .*, started \\d{4}-`));
    assert.match(readFileSync(join(data, 'gateway.lock'), 'utf8'), new RegExp(`^pid ${first.pid} `));
    // The refused one touched nothing: the first still serves and its value is intact.
    assert.equal(text((await client.request(TYPE.STATE_PULL, { key: 'k' })).data), 'first');

    // Killed while its worker process (kept after the call) is alive: a child, which must not keep the lock.
    await first.kill();
    const next = await Gateway.start({ data });
    gateways.push(next);
    assert.match(readFileSync(join(data, 'gateway.lock'), 'utf8'), new RegExp(`^pid ${next.pid} `));
    const again = await Client.connect(next.wsUrl, { user: 'locker' });
    assert.equal(text((await again.request(TYPE.STATE_PULL, { key: 'k' })).data), 'first');
    await again.close();

    // A clean stop frees it too.
    assert.deepEqual(await next.stop(), { code: 0, signal: null });
    const third = await Gateway.start({ data });
    gateways.push(third);
    await third.stop();
  });

  test('a relative --data and compile cache serve calls in the cluster', async () => {
    const gateway = await Gateway.start({ data: 'relative-data', cache: 'relative-data/aot-cache', functions, cwd: scratch });
    gateways.push(gateway);
    assert.match(gateway.log, new RegExp(`data in ${join(scratch, 'relative-data')} `));
    const client = await Client.connect(gateway.wsUrl, { user: 'relative' });
    const result = await client.request(TYPE.INVOKE, { function: 'hello', input: bytes('relative') });
    assert.equal(result.type, TYPE.RESULT, `hello failed: ${JSON.stringify(result)}\n${gateway.log}`);
    assert.equal(result.returnValue, 0, `hello failed: ${JSON.stringify(result)}\n${gateway.log}`);
    assert.equal(text(result.output), 'Hello relative!');
    await client.close();
    assert.deepEqual(await gateway.stop(), { code: 0, signal: null });
  });
});
