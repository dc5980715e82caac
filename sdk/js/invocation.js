// One call of a function, entered as Faasm enters it (faasm-interfaces.md 2.5): a fresh instance of the
// cached Module, `__wasm_call_ctors` and `_faasm_zygote` once, then `_start` with argv
// ["function.wasm", ...cmdline] and Faasm's environment, or, for a call chained by pointer, the table entry
// with no argument or one i32 (the input parsed as std::stoi does). `proc_exit(n)` makes the return value n;
// a trap or a host fault makes it 1 with the message and the guest's backtrace in `error`. Only
// embedder-level failures (a call into a running instance) escape as exceptions.
import { backtraceLines, wasmFrames } from './backtrace.js';
import { rootPath } from './files/runtime-root.js';
import { ProcExit } from './wasi/errors.js';
import { MAY_SUSPEND, Wasi, faasmArgs } from './wasi/wasi.js';
import { ReentrantCall } from './errors.js';
import { HostFault } from './host/faults.js';
import { createHostImports } from './host/index.js';
import { instantiate } from './suspension.js';

const utf8 = new TextDecoder();
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const MAX_ERROR_OUTPUT = 300;

class CallFailed extends Error {}

/** std::stoi of the input, as Faasm fills a pointer-chained function's one i32 argument (WAVM: 0 if empty). */
export function pointerArgument(input) {
  const text = utf8.decode(input);
  if (text === '') return 0;
  const match = /^[\s]*([+-]?\d+)/.exec(text);
  if (match === null) throw new CallFailed(`invalid_argument: stoi('${text.slice(0, 40)}') found no number`);
  const value = Number(match[1]);
  if (value < INT32_MIN || value > INT32_MAX) throw new CallFailed(`out_of_range: stoi('${match[1]}')`);
  return value;
}

// A trap and a host fault happen inside the guest, so their errors end with its wasm frames (backtrace.js).
function failureMessage(name, error) {
  if (error instanceof CallFailed) return `${name}: ${error.message}`;
  const where = backtraceLines(wasmFrames(error?.stack));
  if (error instanceof HostFault) {
    return `${name}: host fault in ${error.call}: ${error.message.slice(error.call.length + 2)}${where}`;
  }
  if (error instanceof WebAssembly.RuntimeError) return `${name} trapped: ${error.message}${where}`;
  return `${name} failed: ${error?.message ?? String(error)}`;
}

/** The error of a call that ran to its end and returned non-zero: the return value and the start of its output. */
export function returnedMessage(name, returnValue, outputText) {
  const shown = outputText.length > MAX_ERROR_OUTPUT ? `${outputText.slice(0, MAX_ERROR_OUTPUT)}...` : outputText;
  return `${name} returned ${returnValue}${shown ? `: ${shown}` : ''}`;
}

/**
 * Runs one invocation to its end.
 * @param {object} call
 * @param {import('./function-loader.js').LoadedFunction} call.loaded
 * @param {'jspi' | 'asyncify'} call.suspension
 * @param {{ kind: 'start' } | { kind: 'pointer', index: number }} call.entry
 * @param {Uint8Array} call.input
 * @param {string} call.cmdline
 * @param {'capture' | 'console' | 'both'} call.stdout
 * @param {object} call.services the client's side of the host context: tier, invocation, chain, awaitCall,
 *   confFlags, enter, suspend, progress, log; and the host's file system: runtimeRoot (a MemoryFileSystem)
 *   and sharedFiles (files/host-shared-files.js)
 * @returns {Promise<{ output: Uint8Array, outputText: string, returnValue: number, stdout: string,
 *   stderr: string, error: string | null, status: 'finished' | 'trapped' | 'failed' }>}
 */
export async function runInvocation({ loaded, suspension, entry, input, cmdline, stdout, services }) {
  const toConsole = stdout !== 'capture';
  const prefix = `[${loaded.name}]`;
  const { runtimeRoot, sharedFiles } = services;
  // Faasm's layout: preopens `/` (fd 3) and `.` (fd 4), both the host's runtime root; oflags read as Faasm does.
  const wasi = new Wasi({
    args: faasmArgs(cmdline),
    fs: runtimeRoot,
    preopens: ['/', '.'],
    sharedFiles,
    // Opening a faasm:// file may wait for the client's store (a gateway's): it may when the binary lets it.
    suspending: loaded.blockingImports.filter((name) => MAY_SUSPEND.includes(name)),
    openFlags: 'faasm',
    onStdout: toConsole ? (line) => console.log(prefix, line) : undefined,
    onStderr: toConsole ? (line) => console.error(prefix, line) : undefined,
  });
  const ctx = {
    ...services,
    memory: null,
    table: null,
    input,
    output: new Uint8Array(0),
    malloc: null,
    readFile: (path) => readRootFile(runtimeRoot, path),
    duplicateFd: (fd) => wasi.duplicate(fd),
  };

  services.progress('instantiating');
  const runner = await instantiate(suspension, loaded.module,
    { env: createHostImports(ctx), wasi_snapshot_preview1: wasi.imports }, loaded.blockingImports);
  ctx.memory = runner.memory;
  ctx.table = runner.table;
  ctx.malloc = (size) => runner.exports.malloc(size) >>> 0;
  wasi.bind(runner.memory);

  services.progress('running');
  let returnValue;
  let error = null;
  let status = 'finished';
  try {
    returnValue = await enter(runner, entry, input);
  } catch (failure) {
    if (failure instanceof ReentrantCall) throw failure;
    if (failure instanceof ProcExit) {
      returnValue = failure.code;
    } else {
      returnValue = 1;
      error = failureMessage(loaded.name, failure);
      status = failure instanceof WebAssembly.RuntimeError ? 'trapped' : 'failed';
    }
  } finally {
    wasi.flush();
    await services.tier.release(services.invocation);
  }
  const outputText = utf8.decode(ctx.output);
  if (returnValue !== 0 && error === null) error = returnedMessage(loaded.name, returnValue, outputText);
  return {
    output: ctx.output,
    outputText,
    returnValue,
    stdout: stdout === 'console' ? '' : utf8.decode(wasi.stdout),
    stderr: stdout === 'console' ? '' : utf8.decode(wasi.stderr),
    error,
    status,
  };
}

// A file of the runtime root as Faasm's write_state_from_file reads it (any path, resolved in the root);
// undefined when there is no file there.
function readRootFile(runtimeRoot, path) {
  const absolute = rootPath(path);
  return runtimeRoot.kind(absolute) === 'file' ? runtimeRoot.readFile(absolute) : undefined;
}

async function enter(runner, entry, input) {
  const { exports } = runner;
  if (typeof exports.__wasm_call_ctors === 'function') {
    await runner.call(exports.__wasm_call_ctors, '__wasm_call_ctors');
  }
  if (typeof exports._faasm_zygote === 'function') {
    const zygote = await runner.call(exports._faasm_zygote, '_faasm_zygote');
    if (zygote) throw new CallFailed(`zygote failed (_faasm_zygote returned ${zygote})`);
  }
  if (entry.kind === 'start') {
    await runner.call(exports._start, '_start');
    return 0;
  }
  const fn = runner.table.get(entry.index);
  const label = `function pointer ${entry.index}`;
  if (fn.length > 1) {
    throw new CallFailed(`${label} takes ${fn.length} arguments; a chained function takes none or one int`);
  }
  const result = await runner.call(fn, label, fn.length === 1 ? [pointerArgument(input)] : []);
  return typeof result === 'number' ? result : 0;
}
