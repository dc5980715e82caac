// What `npm pack sdk/js` ships: the licence and README, the metadata, every file an export names and every
// file a shipped module imports (so that a module added to sdk/js without its `files` entry fails here, not in
// an app).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';

import { repoRoot } from '../../tools/demo/gateway.mjs';
import { packSdk, sdkDir } from './support.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(sdkDir, 'package.json'), 'utf8'));

let scratch;
let files;
before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-pack-'));
  ({ files } = packSdk(scratch));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

// Every string a conditional export or import maps to, wherever it nests.
function targets(map) {
  return typeof map === 'string' ? [map] : Object.values(map).flatMap(targets);
}

it('ships the licence (the repository\'s own), the README and the package.json', () => {
  for (const file of ['LICENSE', 'README.md', 'package.json']) assert.ok(files.includes(file), `${file} is not packed`);
  assert.equal(fs.readFileSync(path.join(sdkDir, 'LICENSE'), 'utf8'), fs.readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8'),
    'sdk/js/LICENSE differs from the repository\'s LICENSE');
  assert.equal(manifest.license, 'Apache-2.0');
  assert.equal(manifest.repository?.directory, 'sdk/js');
});

it('ships every file an export or an internal import names', () => {
  for (const target of [...targets(manifest.exports), ...targets(manifest.imports)]) {
    assert.ok(files.includes(path.posix.normalize(target)), `${target} is named in package.json but not packed`);
  }
});

it('ships every module a shipped module imports', () => {
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.{1,2}\/[^']+)'/g;
  for (const file of files.filter((name) => /\.(js|d\.ts)$/.test(name))) {
    const text = fs.readFileSync(path.join(sdkDir, file), 'utf8');
    for (const [, relative] of text.matchAll(specifier)) {
      const imported = path.posix.join(path.posix.dirname(file), relative);
      assert.ok(files.includes(imported), `${file} imports ${relative}, which is not packed`);
    }
  }
});
