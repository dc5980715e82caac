// Bad inputs in headless Chromium, through both suspension paths: each is a rejected invoke with a typed,
// clear error (the embedder's mistakes) or a result whose error says what happened (the function's own
// failures), as docs/js-runtime.md defines; never a hang or an uncaught exception.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { SUSPENSIONS, assertNoProblems, examplesDir, invokeAll, useBrowser } from './support.mjs';

const browser = useBrowser();

function wat2wasm(text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-browser-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.wat'), text);
    execFileSync('wat2wasm', [path.join(dir, 'm.wat'), '-o', path.join(dir, 'm.wasm')]);
    return fs.readFileSync(path.join(dir, 'm.wasm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// What a Faasm function exports, and a _start that traps; nothing in it can suspend, so the same bytes serve
// as its Asyncify build.
const TRAPPING = wat2wasm(`(module
  (memory (export "memory") 1)
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "_start") unreachable))`);
const WITHOUT_START = wat2wasm(`(module
  (memory (export "memory") 1)
  (func (export "malloc") (param i32) (result i32) (i32.const 1024)))`);

const WASM = 'application/wasm';

/**
 * Serves /bad/<case>/<file> in the page: each handler gets the file name and answers its route, so every
 * case is a base URL of its own that a client can be pointed at.
 */
async function routeCases(page, cases) {
  await page.route('**/bad/**', (route) => {
    const [, kind, file] = new URL(route.request().url()).pathname.split('/').slice(1);
    const answer = cases[kind]?.(file);
    return answer ? route.fulfill(answer) : route.fulfill({ status: 404, body: 'not found' });
  });
}

const fromBuild = (file) => ({ contentType: WASM, body: fs.readFileSync(path.join(examplesDir, file)) });

async function openWithCases() {
  const page = await browser.open();
  await routeCases(page, {
    html: () => ({ contentType: 'text/html', body: '<!doctype html><title>Single-page app</title>' }),
    trap: (file) => (file.endsWith('.wasm') ? { contentType: WASM, body: TRAPPING } : null),
    nostart: (file) => (file.endsWith('.wasm') ? { contentType: WASM, body: WITHOUT_START } : null),
    // chain is deployed, the chain_worker it calls by name is not.
    nochain: (file) => (file.startsWith('chain.') ? fromBuild(file) : null),
  });
  return page;
}

for (const suspension of SUSPENSIONS) {
  describe(suspension, () => {
    it('a URL that serves an HTML page instead of wasm rejects with LoadError', async () => {
      const page = await openWithCases();
      const { outcomes: [html] } = await invokeAll(page, { suspension, functions: '/bad/html/' }, [{ name: 'hello' }]);
      assert.equal(html.rejected?.code, 'LoadError');
      // The Asyncify path fetches the binary and its manifest at once; either may be the one reported.
      assert.match(html.rejected.message, suspension === 'jspi'
        ? /\(http:\/\/127\.0\.0\.1:\d+\/bad\/html\/hello\.wasm\) is not a WebAssembly binary/
        : /\/bad\/html\/hello\.(async\.wasm\) is not a WebAssembly binary|manifest\.json\) is not JSON)/);
      await page.close();
    });

    it('an unknown function rejects with FunctionNotFound naming the URL', async () => {
      const page = await openWithCases();
      const { outcomes: [missing] } = await invokeAll(page, { suspension }, [{ name: 'no_such_function' }]);
      assert.equal(missing.rejected?.code, 'FunctionNotFound');
      assert.match(missing.rejected.message, /no function named 'no_such_function': GET .*\/wasm\/no_such_function\.(async\.)?wasm answered 404/);
      await page.close();
    });

    it('a binary without _start rejects with LoadError naming the export', async () => {
      const page = await openWithCases();
      const { outcomes: [bare] } = await invokeAll(page, { suspension, functions: '/bad/nostart/' }, [{ name: 'bare' }]);
      assert.equal(bare.rejected?.code, 'LoadError');
      assert.match(bare.rejected.message, /_start/);
      await page.close();
    });

    it('an unknown chained function fails the callee, and the caller reports it', async () => {
      const page = await openWithCases();
      const { outcomes: [chain] } = await invokeAll(page, { suspension, functions: '/bad/nochain/' }, [{ name: 'chain' }]);
      assert.equal(chain.rejected, undefined);
      assert.equal(chain.returnValue, 1);
      assert.match(chain.outputText, /^call_failed: 3 of 3 chained calls failed; first: chained call \d+ \(chain_worker\) returned 1/);
      assert.match(chain.error, /^chain returned 1: call_failed/);
      const workers = chain.trace.chained.filter((call) => call.function === 'chain_worker');
      assert.equal(workers.length, 3);
      for (const worker of workers) {
        assert.equal(worker.returnValue, 1);
        assert.match(worker.error, /no function named 'chain_worker'/);
      }
      // The 404s are the page's to see, nothing else.
      assertNoProblems(assert, page, [/404/]);
      await page.close();
    });

    it('a trapping function resolves with return value 1 and the trap in error', async () => {
      const page = await openWithCases();
      const { outcomes: [trap, after] } = await invokeAll(page, { suspension, functions: '/bad/trap/' },
        [{ name: 'trap' }, { name: 'trap' }]);
      assert.equal(trap.rejected, undefined);
      assert.equal(trap.returnValue, 1);
      assert.match(trap.error, /^trap trapped: .*unreachable/);
      assert.equal(after.returnValue, 1, 'a trap leaves the client usable');
      await page.close();
    });

    it('invoke after close rejects with ClientClosed', async () => {
      const page = await browser.open();
      const rejected = await page.evaluate(async (suspension) => {
        const { connect } = await import('/sdk/js/index.js');
        const client = await connect(undefined, { functions: '/wasm/', suspension });
        await client.close();
        return client.invoke('hello').then(() => null, (error) => ({ code: error.code, message: error.message }));
      }, suspension);
      assert.equal(rejected?.code, 'ClientClosed');
      await page.close();
    });
  });
}
