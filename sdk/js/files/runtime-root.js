// Faasm's runtime root, as every faasm.js host gives it to functions: the tree of sdk/runtime-root/ (its one
// source; tests/js/wasi/runtime-root.test.mjs fails when this copy differs from it), held here because a
// browser cannot read the repository. A host makes one file system from it (createRuntimeRoot) and keeps it
// for every call it runs, as a Faasm worker keeps its runtime_root directory: what one call writes in /tmp
// is there for the next call on the same host.
import { MemoryFileSystem } from '../wasi/fs.js';

/** The files of sdk/runtime-root/, path inside the root → contents. */
export const RUNTIME_ROOT_FILES = Object.freeze({
  'etc/hosts': '127.0.0.1\tlocalhost\n',
  'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nfaasm:x:1000:1000:Faasm User:/home/faasm:/bin/bash\n',
  'etc/resolv.conf': 'nameserver 127.0.0.1\n',
});

/** The empty directories every host creates in it (git keeps no empty directories, sdk/runtime-root/README.md). */
export const RUNTIME_ROOT_DIRECTORIES = Object.freeze(['tmp', 'share']);

/** A fresh file system holding the runtime root, for one host. */
export function createRuntimeRoot() {
  const fs = new MemoryFileSystem();
  for (const dir of RUNTIME_ROOT_DIRECTORIES) fs.mkdir(`/${dir}`);
  for (const [path, contents] of Object.entries(RUNTIME_ROOT_FILES)) fs.writeFile(`/${path}`, contents);
  return fs;
}

/**
 * A function's path as the absolute path inside the runtime root that Faasm resolves it to: `/x`, `./x` and
 * `x` are the same file (preopens `/` and `.` are both the root), and `..` stops at the root (a Faasm worker
 * would let it climb out of runtime_root; a browser has nothing above it).
 */
export function rootPath(path) {
  const parts = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop(); else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
