// Input and output (faasm-interfaces.md 1.2): a zero-length read asks for the size, a short buffer truncates,
// no input reads as 0 bytes; the last write_output wins.
import { Guest } from './guest.js';

export function __faasm_read_input(ctx, buffer, length) {
  const guest = new Guest(ctx.memory, 'read_input');
  const target = guest.slice(buffer, length, 'input buffer');
  if (ctx.input.length === 0) return 0;
  if (length === 0) return ctx.input.length;
  const count = Math.min(ctx.input.length, length);
  target.set(ctx.input.subarray(0, count));
  return count;
}

export function __faasm_write_output(ctx, ptr, length) {
  ctx.output = new Guest(ctx.memory, 'write_output').copy(ptr, length, 'output');
}
