// faasmjs/wasi: WASI preview1 for browsers and Node, see docs/wasi.md.
export { Wasi, WasiOptions, WasiImports, WasiFunction, FAASM_ENV, faasmArgs } from './wasi.js';
export { ProcExit, WasiError } from './errors.js';
export { Fd, FdInit, FileStat, Stdin, OutputCapture } from './fd.js';
export { MemoryFileSystem, File, Directory, OpenFile, OpenDirectory, MAX_FILE_SIZE } from './fs.js';
export { SHARED_PREFIX, SharedFiles } from './shared-files.js';
export { traceImports } from './trace.js';
export * as defs from './defs.js';
