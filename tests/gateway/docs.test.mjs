// docs/gateway.md stays true to the gateway it documents: its option table names exactly the options
// `faasmjs-gateway --help` lists, and its sample log's lines, in order, are lines a real gateway writes when
// it starts with the examples (`…` stands for a path or what follows, numbers for any number; the compile
// lines, which the compile threads write as they go, may come anywhere).
//   FAASMJS_GATEWAY: the gateway binary; FAASMJS_FUNCTIONS_DIR: the examples' wasm
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startGateway } from '../../tools/demo/gateway.mjs';

const doc = fs.readFileSync(fileURLToPath(new URL('../../docs/gateway.md', import.meta.url)), 'utf8');
const binary = process.env.FAASMJS_GATEWAY;
const LOG_MS = 60_000;
const COMPILE_LINE = /^faasmjs-gateway: (compiling |… ready )/;

const names = (text) => new Set(text.match(/--[a-z][a-z-]*/g));

test('the option table names exactly the options --help lists', () => {
  const help = execFileSync(binary, ['--help'], { encoding: 'utf8' });
  const listed = names(help.split('\n').filter((line) => /^ +(-\w, )?--/.test(line)).map((line) => line.trim().split(/\s/).find((w) => w.startsWith('--'))).join(' '));
  for (const own of ['--help', '--version']) listed.delete(own);
  const options = doc.slice(doc.indexOf('## Options'), doc.indexOf('\n## ', doc.indexOf('## Options') + 1));
  const documented = names(options.split('\n').filter((line) => line.startsWith('| `--')).map((line) => line.split('|')[1]).join(' '));
  assert.deepEqual([...documented].sort(), [...listed].sort());
});

test('the sample log is what a gateway writes at start', async () => {
  const sample = doc.slice(doc.indexOf('```\n'), doc.indexOf('\n```', doc.indexOf('```\n') + 4)).split('\n')
    .filter((line) => line.startsWith('faasmjs-gateway: '));
  assert.ok(sample.length >= 5, 'docs/gateway.md has a sample log');
  const patterns = sample.map((line) => new RegExp(`^${line.split('…').map((part) => part
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[0-9]+(\\\.[0-9]+)?/g, '[0-9]+(\\.[0-9]+)?')).join('.*')}$`));
  // Its data folder named as the default one is, with the compile cache in it (empty: the functions compile).
  const data = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-docs-')), 'faasmjs-data');
  const gateway = await startGateway({ binary, functionDirs: [process.env.FAASMJS_FUNCTIONS_DIR], dataDir: data });
  try {
    const deadline = Date.now() + LOG_MS;
    while (!/ ready \(/.test(gateway.log) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = gateway.log.split('\n');
    let at = 0;
    for (const [i, pattern] of patterns.entries()) {
      // The compile threads log as they go, before or after the start-up lines.
      if (COMPILE_LINE.test(sample[i])) {
        assert.ok(lines.some((line) => pattern.test(line)), `no line matches "${sample[i]}" in:\n${gateway.log}`);
        continue;
      }
      while (at < lines.length && !pattern.test(lines[at])) at += 1;
      assert.ok(at < lines.length, `no line after the ones before matches "${sample[i]}" in:\n${gateway.log}`);
      at += 1;
    }
  } finally {
    await gateway.close();
    fs.rmSync(path.dirname(data), { recursive: true, force: true });
  }
});
