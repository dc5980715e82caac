// The file-system call Faasm's hosts add to WASI, in env: descriptor duplication, on which its wasi-libc fork
// builds dup and fcntl(F_DUPFD) (faasm src/wamr/filesystem.cpp, src/storage/FileSystem.cpp dup). The
// descriptors are the WASI layer's: ctx.duplicateFd is its Wasi.duplicate.
import { ERRNO } from '../wasi/defs.js';
import { WasiError } from '../wasi/errors.js';
import { fault } from './faults.js';
import { Guest } from './guest.js';

// Success, with the new number written to resultPtr. As on Faasm, a result pointer outside memory (WAMR checks
// it before the call) and a descriptor that is not open (Faasm's table throws) fail the call; a full table,
// which Faasm's never is, answers EMFILE.
export function __wasi_fd_dup(ctx, fd, resultPtr) {
  const guest = new Guest(ctx.memory, '__wasi_fd_dup');
  guest.check(resultPtr, 4, 'result');
  let duplicate;
  try {
    duplicate = ctx.duplicateFd(fd);
  } catch (error) {
    if (!(error instanceof WasiError)) throw error;
    if (error.errno === ERRNO.BADF) fault('__wasi_fd_dup', 'noDescriptor', { fd });
    return error.errno;
  }
  guest.setI32(resultPtr, duplicate, 'result');
  return ERRNO.SUCCESS;
}
