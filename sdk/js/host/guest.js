// Bounds-checked access to a guest's linear memory for the env imports. Made afresh for every call, since
// memory.grow detaches the old buffer. Every pointer+length is checked before anything is read or written,
// so a faulting import has no side effect.
import { fault } from './faults.js';

const utf8 = new TextDecoder();

export class Guest {
  #call;

  /**
   * @param {WebAssembly.Memory} memory
   * @param {string} call the import, for fault messages
   */
  constructor(memory, call) {
    this.bytes = new Uint8Array(memory.buffer);
    this.view = new DataView(memory.buffer);
    this.#call = call;
  }

  /** Pointers and lengths arrive as signed i32: a pointer is unsigned, a negative length a fault. */
  check(ptr, length, what) {
    if (length < 0) fault(this.#call, 'negativeLength', { what: `${what} length`, length });
    const start = ptr >>> 0;
    if (length > this.bytes.length - start) {
      fault(this.#call, 'outOfBounds', { what, ptr: start, length, memoryBytes: this.bytes.length });
    }
    return start;
  }

  /** A view of [ptr, ptr + length) in guest memory. */
  slice(ptr, length, what = 'buffer') {
    const start = this.check(ptr, length, what);
    return this.bytes.subarray(start, start + length);
  }

  /** A copy of [ptr, ptr + length). */
  copy(ptr, length, what) {
    return this.slice(ptr, length, what).slice();
  }

  /** A NUL-terminated UTF-8 string (a state key or function name). */
  cString(ptr, what) {
    const start = this.check(ptr, 0, what);
    const end = this.bytes.indexOf(0, start);
    if (end < 0) fault(this.#call, 'unterminated', { what, ptr: start });
    return utf8.decode(this.bytes.subarray(start, end));
  }

  write(ptr, bytes, what = 'buffer') {
    this.bytes.set(bytes, this.check(ptr, bytes.length, what));
  }

  setI32(ptr, value, what) {
    this.view.setInt32(this.check(ptr, 4, what), value, true);
  }
}
