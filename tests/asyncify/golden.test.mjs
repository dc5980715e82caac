// Golden tests of the tool's decisions, in the spirit of Binaryen's lit tests: each file in golden/ has a
// RUN line (its flags), and CHECK lines with the expected stdout (CHECK-STDERR: stderr). A .wat file is
// assembled with wat2wasm (names kept) and stands for %s; %t is a scratch output file. To regenerate the
// CHECK lines after an intended change: FAASMJS_UPDATE_GOLDEN=1, then review the diff.
//
// FAASMJS_ASYNCIFY: the faasmjs-asyncify executable. WAT2WASM: wabt's wat2wasm.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tool = process.env.FAASMJS_ASYNCIFY;
const wat2wasm = process.env.WAT2WASM ?? 'wat2wasm';
assert.ok(tool, 'FAASMJS_ASYNCIFY must name the faasmjs-asyncify executable');
const update = process.env.FAASMJS_UPDATE_GOLDEN === '1';

const goldenDir = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-golden-'));
const CHECK = { stdout: ';; CHECK:', stderr: ';; CHECK-STDERR:' };

const checkLines = (text, prefix) => text.split('\n').filter((line) => line.startsWith(`${prefix} `) || line === prefix)
  .map((line) => line.slice(prefix.length + 1));
const outputLines = (text) => text.split('\n').slice(0, -1);
const asChecks = (lines, prefix) => lines.map((line) => (line === '' ? prefix : `${prefix} ${line}`));

describe('faasmjs-asyncify golden output', () => {
  for (const name of fs.readdirSync(goldenDir).filter((file) => /\.(wat|test)$/.test(file)).sort()) {
    it(name, () => {
      const file = path.join(goldenDir, name);
      const text = fs.readFileSync(file, 'utf8');
      const run = text.match(/^;; RUN: faasmjs-asyncify(.*)$/m);
      assert.ok(run, `${name} has no RUN line`);
      const input = path.join(scratch, name.replace(/\.\w+$/, '.wasm'));
      if (name.endsWith('.wat')) execFileSync(wat2wasm, ['--debug-names', file, '-o', input]);
      const args = run[1].trim().split(/\s+/)
        .map((arg) => arg.replaceAll('%s', input).replaceAll('%t', path.join(scratch, 'out.wasm')));
      const result = spawnSync(tool, args, { encoding: 'utf8' });
      const actual = {
        stdout: outputLines(result.stdout.replaceAll(input, '%s')),
        stderr: outputLines(result.stderr.replaceAll(input, '%s')),
      };
      if (update) {
        const kept = text.split('\n').filter((line) => !line.startsWith(';; CHECK')).join('\n').trimEnd();
        const checks = [...asChecks(actual.stdout, CHECK.stdout), ...asChecks(actual.stderr, CHECK.stderr)];
        fs.writeFileSync(file, `${kept}\n${checks.join('\n')}\n`);
        return;
      }
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(actual.stdout, checkLines(text, CHECK.stdout));
      assert.deepEqual(actual.stderr, checkLines(text, CHECK.stderr));
    });
  }
});
