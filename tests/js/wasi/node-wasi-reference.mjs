// Runs one WASI program on Node's own node:wasi, with `/` preopened on a fresh directory holding the seeded
// file, and prints {exit, stdout, stderr} as JSON. programs.test.mjs runs it in a child process because
// node:wasi (experimental in Node 20) now and then crashes the whole process with SIGSEGV.
//
//   node node-wasi-reference.mjs <program.wasm> <input file contents> <stdin contents> <args as JSON> <env as JSON>
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WASI } from 'node:wasi';

const [file, inputFile, stdinText, argsJson, envJson] = process.argv.slice(2);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-wasi-'));
const root = path.join(scratch, 'root');
fs.mkdirSync(root);
fs.writeFileSync(path.join(root, 'input.txt'), inputFile);
fs.writeFileSync(path.join(scratch, 'stdin'), stdinText);
const stdio = ['stdin', 'stdout', 'stderr'].map((name, i) => fs.openSync(path.join(scratch, name), i ? 'w' : 'r'));
const wasi = new WASI({ version: 'preview1', args: JSON.parse(argsJson), env: JSON.parse(envJson),
                        preopens: { '/': root }, returnOnExit: true,
                        stdin: stdio[0], stdout: stdio[1], stderr: stdio[2] });
let exit;
try {
  const module = new WebAssembly.Module(fs.readFileSync(file));
  exit = wasi.start(new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi.wasiImport }));
} catch (error) {
  exit = `${error.name}: ${error.message}`;
}
stdio.forEach((fd) => fs.closeSync(fd));
const read = (name) => fs.readFileSync(path.join(scratch, name), 'utf8');
process.stdout.write(JSON.stringify({ exit, stdout: read('stdout'), stderr: read('stderr') }));
fs.rmSync(scratch, { recursive: true });
