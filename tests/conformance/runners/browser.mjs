// The Chromium hosts of hosts.mjs: sdk/js in a headless Chromium page (tests/browser/support.mjs: the dev
// server serves the build's functions at /wasm/ and sdk/js at /sdk/js/), with JSPI or Asyncify, no gateway.
// Each case gets a client of its own in the page, over a RefusingTier in front of the browser-local global tier.
import fs from 'node:fs';

import { startSession } from '../../browser/support.mjs';

const REFUSING_TIER = '__test__/refusing-tier.js';

/** @param {'jspi' | 'asyncify'} suspension */
export async function chromiumHost({ functionDirs }, suspension) {
  if (functionDirs.length !== 1) throw new Error('the Chromium hosts serve one functions folder');
  const session = await startSession(functionDirs[0]);
  await session.context.route(`${session.url}${REFUSING_TIER}`, (route) => route.fulfill({
    contentType: 'text/javascript', body: fs.readFileSync(new URL('./refusing-tier.js', import.meta.url), 'utf8'),
  }));
  const page = await session.open();
  let nextCase = 0;
  return {
    async newCase() {
      const id = (nextCase += 1);
      const user = `conf${process.pid}b${id}`;
      const chosen = await page.evaluate(async ({ id, user, suspension, tierUrl }) => {
        const { Client } = await import('/sdk/js/client.js');
        const { BrowserGlobalTier } = await import('/sdk/js/state/global-tier.js');
        const { RefusingTier } = await import(tierUrl);
        const globalTier = new RefusingTier(new BrowserGlobalTier());
        const client = new Client({ functions: '/wasm/', suspension, user }, { globalTier });
        (globalThis.conformanceCases ??= new Map()).set(id, { client, globalTier });
        return client.suspension;
      }, { id, user, suspension, tierUrl: `/${REFUSING_TIER}` });
      if (chosen !== suspension) throw new Error(`Chromium ran the case with ${chosen}, not ${suspension}`);
      return {
        async invoke(name, input, { globalRefuses = null, ...options } = {}) {
          const result = await page.evaluate(async ({ id, name, input, globalRefuses, options }) => {
            const { client, globalTier } = globalThis.conformanceCases.get(id);
            globalTier.refusing = globalRefuses;
            try {
              const { output, ...rest } = await client.invoke(name, input === null ? undefined : new Uint8Array(input), options);
              return { ...rest, trace: undefined, output: [...output] };
            } finally {
              globalTier.refusing = null;
            }
          }, { id, name, input: input === undefined ? null : [...input], globalRefuses, options });
          return { ...result, output: new Uint8Array(result.output) };
        },
        share: (files) => page.evaluate(async ({ id, files }) => {
          const { client } = globalThis.conformanceCases.get(id);
          for (const [file, contents] of Object.entries(files)) await client.files.upload(file, contents);
        }, { id, files }),
        close: () => page.evaluate(async (id) => {
          await globalThis.conformanceCases.get(id).client.close();
          globalThis.conformanceCases.delete(id);
        }, id),
      };
    },
    close: () => session.close(),
  };
}
