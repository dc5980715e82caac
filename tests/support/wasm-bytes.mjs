// Pieces of the WebAssembly binary format, for tests that write modules byte by byte: modules too deep or too
// hostile for wat2wasm to write (it overflows its stack on deep nesting) or to accept (names holding C code).

/** The magic number and version 1. */
export const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** An unsigned LEB128 number. */
export function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** A name: its UTF-8 length, then its bytes. */
export const name = (text) => [...leb(Buffer.byteLength(text)), ...Buffer.from(text)];

/** A section: its id, its payload's length, the payload. */
export const section = (id, payload) => [id, ...leb(payload.length), ...payload];
