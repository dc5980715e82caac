// Shared files through a real faasmjs-gateway, from headless Chromium: a browser call's path_open and stat of
// faasm:// ask the gateway over the socket and suspend there (JSPI wraps the WASI imports, Asyncify's
// transform lists them), on the page and in worker mode; what the browser call writes is what client.files
// and a cluster call then read. Its own ctest beside browser.gateway, which has the rest of the end-to-end.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { SUSPENSIONS, assertNoProblems, startGatewaySession, wasmDir } from './support.mjs';

let session;
before(async () => {
  session = await startGatewaySession([path.join(wasmDir, 'tests', 'js', 'runtime', 'functions')], ['--call-timeout', '20000']);
});
after(() => session?.close());

describe('shared files through the gateway', () => {
  for (const suspension of SUSPENSIONS) {
    for (const worker of [false, true]) {
      it(`opens, writes and stats faasm:// files the gateway keeps, from a browser call (${suspension}${worker ? ', worker mode' : ''})`, async () => {
        const page = await session.open();
        const dir = `e2e-${suspension}-${worker ? 'worker' : 'page'}`;
        const seen = await page.evaluate(async ({ url, token, suspension, worker, dir }) => {
          const { connect } = await import('/sdk/js/index.js');
          const client = await connect(url, { token, suspension, worker });
          const run = async (input, where) => {
            const result = await client.invoke('files', input, { where });
            return result.error ?? result.outputText;
          };
          await client.files.upload(`${dir}/in.txt`, 'kept by the gateway');
          const outcomes = {
            read: await run(`read faasm://${dir}/in.txt`, 'browser'),
            stat: await run(`stat faasm://${dir}/in.txt`, 'browser'),
            missing: await run(`read faasm://${dir}/none.txt`, 'browser'),
            written: await run(`write faasm://${dir}/out.txt from the browser`, 'browser'),
            suspension: client.suspension,
          };
          outcomes.stored = new TextDecoder().decode(await client.files.get(`${dir}/out.txt`));
          outcomes.inCluster = await run(`read faasm://${dir}/out.txt`, 'cluster');
          await client.close();
          return outcomes;
        }, { url: session.gateway.wsUrl, token: session.gateway.token('e2e'), suspension, worker, dir });
        assert.deepEqual(seen, {
          read: 'kept by the gateway',
          stat: 'file 19',
          missing: 'errno 44',
          written: 'wrote 16',
          suspension,
          stored: 'from the browser',
          inCluster: 'from the browser',
        });
        assertNoProblems(assert, page);
        await page.close();
      });
    }
  }
});
