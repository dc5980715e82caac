import { ERRNO, LAYOUT } from './defs.js';
import { WasiError } from './errors.js';

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One syscall's view of guest memory. Made afresh for every call because `memory.grow` detaches the old
 * buffer. Every access is bounds-checked first and faults with EFAULT, never with a host RangeError, so a
 * guest bug is reported to the guest instead of crashing the embedder.
 */
export class GuestMemory {
  constructor(buffer) {
    this.view = new DataView(buffer);
    this.bytes = new Uint8Array(buffer);
  }

  /** Throws EFAULT unless [ptr, ptr + length) lies inside memory. Pointers arrive as signed i32. */
  check(ptr, length) {
    const start = ptr >>> 0;
    if (length > this.bytes.length - start) throw new WasiError(ERRNO.FAULT, `[${start}, +${length})`);
    return start;
  }

  slice(ptr, length) {
    const start = this.check(ptr, length);
    return this.bytes.subarray(start, start + length);
  }

  u8(ptr) { return this.view.getUint8(this.check(ptr, 1)); }
  u16(ptr) { return this.view.getUint16(this.check(ptr, 2), true); }
  u32(ptr) { return this.view.getUint32(this.check(ptr, 4), true); }
  u64(ptr) { return this.view.getBigUint64(this.check(ptr, 8), true); }
  setU8(ptr, value) { this.view.setUint8(this.check(ptr, 1), value); }
  setU16(ptr, value) { this.view.setUint16(this.check(ptr, 2), value, true); }
  setU32(ptr, value) { this.view.setUint32(this.check(ptr, 4), value, true); }
  setU64(ptr, value) { this.view.setBigUint64(this.check(ptr, 8), BigInt(value), true); }

  /** The buffers an (c)iovec array names, each checked, as views into guest memory. */
  iovecs(ptr, count) {
    const { size, buf, len } = LAYOUT.iovec;
    const base = this.check(ptr, (count >>> 0) * size);
    const buffers = [];
    for (let i = 0; i < count >>> 0; i++) {
      const at = base + i * size;
      buffers.push(this.slice(this.view.getUint32(at + buf, true), this.view.getUint32(at + len, true)));
    }
    return buffers;
  }

  /** A path argument: strict UTF-8 (EILSEQ otherwise) without NUL bytes (EINVAL otherwise). */
  path(ptr, length) {
    let text;
    try {
      text = strictUtf8.decode(this.slice(ptr, length >>> 0));
    } catch (error) {
      if (error instanceof WasiError) throw error;
      throw new WasiError(ERRNO.ILSEQ, 'path is not UTF-8');
    }
    if (text.includes('\0')) throw new WasiError(ERRNO.INVAL, 'path contains NUL');
    return text;
  }

  /** Writes bytes at ptr after checking they fit. */
  write(ptr, bytes) {
    this.bytes.set(bytes, this.check(ptr, bytes.length));
  }
}

export function encodeUtf8(text) {
  return utf8.encode(text);
}
