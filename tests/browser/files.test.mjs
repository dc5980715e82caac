// Faasm's file system in headless Chromium, through JSPI and Asyncify, on the page's thread and in worker
// mode, with the `files` test function of tests/js/runtime/functions: the runtime root, a host's files kept
// across calls, a file seeded per call, and a shared file uploaded with client.files.
import assert from 'node:assert/strict';
import path from 'node:path';
import { it } from 'node:test';

import { SUSPENSIONS, assertNoProblems, useBrowser, wasmDir } from './support.mjs';

const browser = useBrowser(path.join(wasmDir, 'tests', 'js', 'runtime', 'functions'));

function runInPage(options) {
  return async () => {
    const { connect } = await import('/sdk/js/index.js');
    const client = await connect(undefined, { functions: '/wasm/', ...options });
    const run = async (input, invokeOptions) => {
      const result = await client.invoke('files', input, invokeOptions);
      return result.error ?? result.outputText;
    };
    await client.files.upload('data/shared.txt', 'shared in the browser');
    const outcomes = {
      passwd: await run('read /etc/passwd'),
      written: await run('write /tmp/page.txt from one call'),
      kept: await run('read ./tmp/page.txt'),
      seeded: await run('read seed/in.txt', { files: { '/seed/in.txt': 'seeded' } }),
      shared: await run('read faasm://data/shared.txt'),
      missing: await run('read faasm://data/none.txt'),
      suspension: client.suspension,
    };
    await client.close();
    return outcomes;
  };
}

for (const suspension of SUSPENSIONS) {
  for (const worker of [false, true]) {
    it(`gives a function Faasm's file system (${suspension}${worker ? ', worker mode' : ''})`, async () => {
      const page = await browser.open();
      const options = { suspension, worker };
      const outcomes = await page.evaluate(`(${runInPage.toString()})(${JSON.stringify(options)})()`);
      assert.deepEqual(outcomes, {
        passwd: 'root:x:0:0:root:/root:/bin/bash\nfaasm:x:1000:1000:Faasm User:/home/faasm:/bin/bash\n',
        written: 'wrote 13',
        kept: 'from one call',
        seeded: 'seeded',
        shared: 'shared in the browser',
        missing: 'errno 44',
        suspension,
      });
      assertNoProblems(assert, page);
      await page.close();
    });
  }
}
