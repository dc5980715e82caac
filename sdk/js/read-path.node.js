// Reads a function's file from a path or file: URL: the Node side of "#read-path" (package.json "imports",
// condition "node"). function-loader.js imports it only in Node and only for such locations, so that a browser
// bundle, which resolves "#read-path" to read-path.js, never meets a node: module.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The file's bytes; rejects with Node's error (code ENOENT: there is no such file). */
export async function readPath(location) {
  return new Uint8Array(await readFile(location.startsWith('file:') ? fileURLToPath(location) : location));
}
