// The one place that starts headless Chromium for the demo check, the browser tests and the browser
// benchmarks: Debian's /usr/bin/chromium through playwright-core (never a downloaded browser), in a fresh
// profile directory that is removed on close.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.FAASMJS_CHROMIUM ?? '/usr/bin/chromium';

// Headless in a container without a GPU, and quiet: nothing may reach the network beyond 127.0.0.1.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium. Playwright refuses --user-data-dir among the flags, so the fresh profile goes through
 * launchPersistentContext, which makes the context the browser's only one.
 * @param {{ flags?: string[] }} [options] more command-line flags (e.g. a TLS test's trusted key)
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, close(): Promise<void> }>}
 */
export async function launchChromium({ flags = [] } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...FLAGS, ...flags],
    });
  } catch (error) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw new Error(`cannot start ${CHROMIUM} (install Debian's chromium: ./tools/dev.sh deps): ${error.message}`);
  }
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new page whose uncaught errors and console errors are collected in page.problems, to report on failure. */
export async function newPage(context) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console error: ${message.text()}`);
  });
  return page;
}

/** "Chromium 156.0.8078.108" (the user agent only says 156.0.0.0), for benchmark reports. */
export function chromiumVersion() {
  return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    .match(/Chromium [\d.]+/)?.[0] ?? 'Chromium (unknown version)';
}
