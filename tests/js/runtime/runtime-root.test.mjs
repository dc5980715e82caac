// The runtime root that sdk/js holds (sdk/js/files/runtime-root.js) is sdk/runtime-root/, the one tree every
// host reads: the same files with the same bytes, the same empty directories, nothing more. And the paths
// functions use resolve in it as Faasm resolves them.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import {
  RUNTIME_ROOT_DIRECTORIES, RUNTIME_ROOT_FILES, createRuntimeRoot, rootPath,
} from '../../../sdk/js/files/runtime-root.js';

const tree = path.join(import.meta.dirname, '../../../sdk/runtime-root');

function filesOf(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) return filesOf(path.join(dir, entry.name), `${relative}/`);
    return relative === 'README.md' ? [] : [[relative, fs.readFileSync(path.join(dir, entry.name), 'utf8')]];
  });
}

it('holds exactly the files of sdk/runtime-root/ (README.md aside), byte for byte', () => {
  assert.deepEqual(Object.fromEntries(filesOf(tree).sort()), { ...RUNTIME_ROOT_FILES });
});

it('creates the empty directories sdk/runtime-root/README.md names', () => {
  const readme = fs.readFileSync(path.join(tree, 'README.md'), 'utf8');
  assert.match(readme, /creates `\/tmp` and `\/share` empty/);
  assert.deepEqual([...RUNTIME_ROOT_DIRECTORIES], ['tmp', 'share']);
});

it('makes a fresh file system per call of createRuntimeRoot', () => {
  const root = createRuntimeRoot();
  assert.deepEqual(root.readdir('/').sort(), ['etc', 'share', 'tmp']);
  assert.deepEqual(root.readdir('/tmp'), []);
  root.writeFile('/tmp/x', 'x');
  assert.deepEqual(createRuntimeRoot().readdir('/tmp'), []);
});

it('resolves /x, ./x and x to the same path, and stops .. at the root', () => {
  for (const given of ['/etc/passwd', 'etc/passwd', './etc/passwd', '//etc/./passwd', '../etc/passwd', 'tmp/../etc/passwd']) {
    assert.equal(rootPath(given), '/etc/passwd', given);
  }
  assert.equal(rootPath('.'), '/');
});
