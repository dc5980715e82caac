// Where the tests find their binaries: FAASMJS_WASM_DIR and/or FAASMJS_WASM_DIR_EMSCRIPTEN name wasm
// sub-build directories (e.g. build/wasm-clang), holding examples/functions/ and, once built,
// tests/js/runtime/functions/.
import fs from 'node:fs';
import path from 'node:path';

export const wasmDirs = [process.env.FAASMJS_WASM_DIR, process.env.FAASMJS_WASM_DIR_EMSCRIPTEN]
  .filter(Boolean)
  .filter((dir, i, all) => all.indexOf(dir) === i)
  .map((dir) => ({ label: path.basename(dir), dir }));

if (wasmDirs.length === 0) {
  throw new Error('set FAASMJS_WASM_DIR (and/or FAASMJS_WASM_DIR_EMSCRIPTEN) to a wasm sub-build directory');
}

export const examplesDir = (dir) => path.join(dir, 'examples/functions');
export const testFunctionsDir = (dir) => path.join(dir, 'tests/js/runtime/functions');
export const hasTestFunctions = (dir) => fs.existsSync(path.join(testFunctionsDir(dir), 'fork_join.wasm'));

export const text = (bytes) => new TextDecoder().decode(bytes);
