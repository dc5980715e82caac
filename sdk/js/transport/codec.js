// The wire protocol faasmjs.v1 (docs/protocol.md), client side, without I/O: message types, body fields
// (little-endian integers, `str` = u16 length + UTF-8, `bytes` = u32 length + raw), frames of several
// messages, and bodies cut into chunks (a first part with MORE set, then CONTINUE parts) and joined again.
// The gateway's codec is tools/gateway/protocol/frame_codec.cpp.

export const SUBPROTOCOL = 'faasmjs.v1';
export const VERSION = 1;
export const HEADER_SIZE = 12;
const MORE = 0x01;

export const TYPE = Object.freeze({
  HELLO: 0x01, INVOKE: 0x02, AWAIT: 0x03, CANCEL: 0x04,
  STATE_SIZE: 0x10, STATE_PULL: 0x11, STATE_PUSH: 0x12, STATE_SET: 0x13, STATE_APPEND: 0x14,
  STATE_READ_APPENDED: 0x15, STATE_CLEAR_APPENDED: 0x16, STATE_LOCK: 0x17, STATE_UNLOCK: 0x18, STATE_KEYS: 0x19,
  UPLOAD: 0x20, PING: 0x30, CONTINUE: 0x7F,
  WELCOME: 0x81, RESULT: 0x82, ACK: 0x83, STATE_SIZE_IS: 0x84, STATE_VALUE: 0x85, STATE_APPENDED: 0x86,
  STATE_KEY_LIST: 0x87, UPLOADED: 0x88, PONG: 0x8F, ERROR: 0xEE,
});

/** docs/protocol.md's ERROR codes, by number. */
export const ERROR_CODES = Object.freeze({
  1: 'BadFrame', 2: 'FrameTooLarge', 3: 'BodyTooLarge', 4: 'BadVersion', 5: 'BadUser', 6: 'BadToken',
  7: 'NotAuthenticated', 8: 'UnknownType', 9: 'UnknownFunction', 10: 'UnknownCall', 11: 'ReplyLost',
  12: 'BadWasm', 13: 'BadState', 14: 'DuplicateId', 15: 'Internal',
});

/** RESULT's status, by number. */
export const CALL_STATUS = Object.freeze(['finished', 'trapped', 'timedOut', 'memoryExceeded', 'cancelled', 'crashed', 'failed']);

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** Builds a body field by field. */
export class BodyWriter {
  #parts = [];
  #length = 0;

  #push(part) {
    this.#parts.push(part);
    this.#length += part.length;
    return this;
  }

  #number(size, write) {
    const part = new Uint8Array(size);
    write(new DataView(part.buffer));
    return this.#push(part);
  }

  u8(value) { return this.#number(1, (v) => v.setUint8(0, value)); }
  u16(value) { return this.#number(2, (v) => v.setUint16(0, value, true)); }
  u32(value) { return this.#number(4, (v) => v.setUint32(0, value, true)); }
  u64(value) { return this.#number(8, (v) => v.setBigUint64(0, BigInt(value), true)); }

  str(text) {
    const bytes = utf8.encode(text);
    if (bytes.length > 0xFFFF) throw new RangeError(`a protocol string is at most 65535 bytes, got ${bytes.length}`);
    return this.u16(bytes.length).#push(bytes);
  }

  bytes(bytes) { return this.u32(bytes.length).#push(bytes); }

  finish() {
    const body = new Uint8Array(this.#length);
    let at = 0;
    for (const part of this.#parts) {
      body.set(part, at);
      at += part.length;
    }
    return body;
  }
}

/** Reads a body field by field; a read past its end throws a ProtocolViolation naming the field. */
export class BodyReader {
  #view;
  #bytes;
  #at = 0;

  constructor(bytes) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  #take(size, what) {
    if (this.#at + size > this.#bytes.length) {
      throw new ProtocolViolation(`a message body ends inside its ${what}`);
    }
    const at = this.#at;
    this.#at += size;
    return at;
  }

  u8(what = 'u8') { return this.#view.getUint8(this.#take(1, what)); }
  u16(what = 'u16') { return this.#view.getUint16(this.#take(2, what), true); }
  u32(what = 'u32') { return this.#view.getUint32(this.#take(4, what), true); }
  i32(what = 'i32') { return this.#view.getInt32(this.#take(4, what), true); }
  u64(what = 'u64') { return this.#view.getBigUint64(this.#take(8, what), true); }

  str(what = 'string') {
    const length = this.u16(what);
    const at = this.#take(length, what);
    return fromUtf8.decode(this.#bytes.subarray(at, at + length));
  }

  /** A view of the bytes (no copy). */
  bytes(what = 'bytes') {
    const length = this.u32(what);
    const at = this.#take(length, what);
    return this.#bytes.subarray(at, at + length);
  }

  /** Throws unless every byte was read. */
  end(what) {
    if (this.#at !== this.#bytes.length) throw new ProtocolViolation(`${what} has ${this.#bytes.length - this.#at} bytes too many`);
  }
}

/** A frame from the gateway that does not follow faasmjs.v1. */
export class ProtocolViolation extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProtocolViolation';
  }
}

function header(view, at, type, flags, id, length) {
  view.setUint8(at, type);
  view.setUint8(at + 1, flags);
  view.setUint16(at + 2, 0, true);
  view.setUint32(at + 4, id, true);
  view.setUint32(at + 8, length, true);
}

/**
 * Packs messages into frames of at most maxFrame bytes, cutting bodies over chunkSize into a first part and
 * CONTINUE parts. Parts of a large body alternate with other messages, so a large push does not hold up a
 * chained call.
 * @param {{ type: number, id: number, body: Uint8Array }[]} messages
 * @returns {Uint8Array[]} frames
 */
export function packFrames(messages, { maxFrame, chunkSize }) {
  const queue = messages.map((message) => ({ ...message, sent: 0 }));
  const frames = [];
  while (queue.length > 0) {
    const parts = [];
    let size = 0;
    for (let visited = queue.length; visited > 0 && queue.length > 0; visited -= 1) {
      const next = queue[0];
      const part = Math.min(next.body.length - next.sent, chunkSize);
      if (size + HEADER_SIZE + part > maxFrame) break;
      const more = next.sent + part < next.body.length;
      parts.push({ type: next.sent === 0 ? next.type : TYPE.CONTINUE, flags: more ? MORE : 0, id: next.id,
        bytes: next.body.subarray(next.sent, next.sent + part) });
      size += HEADER_SIZE + part;
      next.sent += part;
      queue.shift();
      if (more) queue.push(next);
    }
    const frame = new Uint8Array(size);
    const view = new DataView(frame.buffer);
    let at = 0;
    for (const part of parts) {
      header(view, at, part.type, part.flags, part.id, part.bytes.length);
      frame.set(part.bytes, at + HEADER_SIZE);
      at += HEADER_SIZE + part.bytes.length;
    }
    frames.push(frame);
  }
  return frames;
}

/** Turns frames from the gateway into whole messages, joining chunked bodies. */
export class FrameReader {
  #partial = new Map();

  /**
   * @param {Uint8Array} frame
   * @returns {{ type: number, id: number, body: Uint8Array }[]} the messages this frame completes
   */
  read(frame) {
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const messages = [];
    for (let at = 0; at < frame.length;) {
      if (frame.length - at < HEADER_SIZE) throw new ProtocolViolation('a frame ends inside a message header');
      const type = view.getUint8(at);
      const flags = view.getUint8(at + 1);
      const id = view.getUint32(at + 4, true);
      const length = view.getUint32(at + 8, true);
      if ((flags & ~MORE) !== 0 || view.getUint16(at + 2, true) !== 0) {
        throw new ProtocolViolation('a message header has reserved bits set');
      }
      if (frame.length - at - HEADER_SIZE < length) throw new ProtocolViolation('a message runs past the end of its frame');
      const body = frame.subarray(at + HEADER_SIZE, at + HEADER_SIZE + length);
      at += HEADER_SIZE + length;
      const more = (flags & MORE) !== 0;
      if (type === TYPE.CONTINUE) {
        const partial = this.#partial.get(id);
        if (partial === undefined) throw new ProtocolViolation(`CONTINUE for ${id}, which has no body in progress`);
        partial.parts.push(body.slice());
        if (!more) {
          this.#partial.delete(id);
          messages.push({ type: partial.type, id, body: join(partial.parts) });
        }
      } else if (more) {
        this.#partial.set(id, { type, parts: [body.slice()] });
      } else {
        messages.push({ type, id, body });
      }
    }
    return messages;
  }
}

function join(parts) {
  const body = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.length;
  }
  return body;
}

/** A RESULT body as an object. */
export function decodeResult(body) {
  const in_ = new BodyReader(body);
  const result = {
    returnValue: in_.i32('return value'),
    status: CALL_STATUS[in_.u8('status')] ?? 'unknown',
    error: in_.str('error'),
    queuedUs: in_.u32('queuedUs'),
    runUs: in_.u32('runUs'),
    trace: in_.str('trace'),
    stdout: in_.bytes('stdout').slice(),
    stderr: in_.bytes('stderr').slice(),
    output: in_.bytes('output').slice(),
  };
  in_.end('RESULT');
  return result;
}

/** An ERROR body: { code (name), number, message }. */
export function decodeError(body) {
  const in_ = new BodyReader(body);
  const number = in_.u16('code');
  const message = in_.str('message');
  return { code: ERROR_CODES[number] ?? `Error${number}`, number, message };
}
