// The wire protocol faasmjs.v1 (docs/protocol.md), client side, without any I/O:
//
//   - message bodies: encode(type, fields) for every client → server message, decode(type, body) for every
//     server → client message (little-endian integers, `str` = u16 length + UTF-8, `bytes` = u32 length +
//     raw bytes, no padding);
//   - frames: an OutgoingQueue packs messages into frames of at most maxFrame bytes, cutting a body over the
//     chunk size into a first part (flag MORE) and CONTINUE parts, and taking one part of each queued message
//     in turn, so that a 64 MiB push does not hold up a chained call queued after it;
//   - a FrameReader splits the gateway's frames into messages and joins chunked bodies.
//
// Decoding is strict: whatever the gateway sends that does not follow the protocol (a frame its messages do
// not exactly fill, reserved bits, a CONTINUE out of place, a body with bytes missing or left over, a
// client-only message type, invalid UTF-8, an unknown call status) throws a ProtocolError naming what is
// wrong, never a RangeError from a DataView or a silently wrong value. Misuse by the caller (a field out of
// range) throws a TypeError naming the field. The gateway's side is tools/gateway/protocol/.
import { ProtocolError } from '../errors.js';

export const SUBPROTOCOL = 'faasmjs.v1';
export const VERSION = 1;
export const HEADER_SIZE = 12;
export const FLAG_MORE = 0x01;

export const TYPE = Object.freeze({
  HELLO: 0x01, INVOKE: 0x02, AWAIT: 0x03, CANCEL: 0x04,
  STATE_SIZE: 0x10, STATE_PULL: 0x11, STATE_PUSH: 0x12, STATE_SET: 0x13, STATE_APPEND: 0x14,
  STATE_READ_APPENDED: 0x15, STATE_CLEAR_APPENDED: 0x16, STATE_LOCK: 0x17, STATE_UNLOCK: 0x18, STATE_KEYS: 0x19,
  UPLOAD: 0x20, FILE_UPLOAD: 0x21, FILE_GET: 0x22, FUNCTIONS: 0x23, PING: 0x30, CONTINUE: 0x7F,
  WELCOME: 0x81, RESULT: 0x82, ACK: 0x83, STATE_SIZE_IS: 0x84, STATE_VALUE: 0x85, STATE_APPENDED: 0x86,
  STATE_KEY_LIST: 0x87, UPLOADED: 0x88, FILE_DATA: 0x89, FUNCTION_LIST: 0x8A, PONG: 0x8F, ERROR: 0xEE,
});

/** FUNCTION_LIST's compile states, by number (tools/gateway/registry/function_registry.h, CompileState). */
export const COMPILE_STATES = Object.freeze(['compiling', 'optimising', 'ready', 'failed', 'elsewhere']);

/** A message type's name by number, e.g. 0x82 → 'RESULT'. */
export const TYPE_NAME = Object.freeze(Object.fromEntries(Object.entries(TYPE).map(([name, number]) => [number, name])));

/** docs/protocol.md's ERROR codes, by number. */
export const ERROR_CODES = Object.freeze({
  1: 'BadFrame', 2: 'FrameTooLarge', 3: 'BodyTooLarge', 4: 'BadVersion', 5: 'BadUser', 6: 'BadToken',
  7: 'NotAuthenticated', 8: 'UnknownType', 9: 'UnknownFunction', 10: 'UnknownCall', 11: 'ReplyLost',
  12: 'BadWasm', 13: 'BadState', 14: 'DuplicateId', 15: 'Internal', 16: 'Forbidden',
  17: 'LimitExceeded', 18: 'VersionMismatch',
});

/** RESULT.status by number; the names are the ones the gateway's trace JSON uses. */
export const CALL_STATUS = Object.freeze(['finished', 'trapped', 'timedOut', 'memoryExceeded', 'cancelled', 'crashed', 'failed']);

/** STATE_PULL's length for "to the end of the value". */
export const TO_END = 0xFFFFFFFF;

const U32_MAX = 0xFFFFFFFF;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function checkUint(value, max, what) {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new TypeError(`${what} must be an integer from 0 to ${max}, got ${String(value)}`);
  }
}

function checkBytes(value, what) {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
}

// Byte fields longer than this become parts of their own instead of being copied into the writer's buffer:
// finish() then copies them once, into the body.
const INLINE_BYTES = 1024;

/**
 * Builds a body field by field. Numbers, strings and short byte fields go into one growing buffer through one
 * DataView (a small allocation per field cost more than encoding a whole INVOKE); long byte fields are kept
 * as they are until finish().
 */
export class BodyWriter {
  #parts = [];  // finished pieces before the buffer's, in order
  #length = 0;  // bytes of the finished pieces
  #buffer = new Uint8Array(128);
  #view = new DataView(this.#buffer.buffer);
  #used = 0;

  /** Empties the writer and keeps its buffer: encode() reuses one writer, finish() having copied out. */
  reset() {
    this.#parts = [];
    this.#length = 0;
    this.#used = 0;
    return this;
  }

  #room(size) {
    if (this.#used + size <= this.#buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.#buffer.length, this.#used + size));
    grown.set(this.#buffer.subarray(0, this.#used));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
  }

  // Where the next `size` bytes go, with room made for them: read this.#buffer or this.#view only after it, as
  // making room may replace them.
  #reserve(size) {
    this.#room(size);
    const at = this.#used;
    this.#used += size;
    return at;
  }

  u8(value, what = 'u8') {
    checkUint(value, 0xFF, what);
    const at = this.#reserve(1);
    this.#view.setUint8(at, value);
    return this;
  }

  u16(value, what = 'u16') {
    checkUint(value, 0xFFFF, what);
    const at = this.#reserve(2);
    this.#view.setUint16(at, value, true);
    return this;
  }

  u32(value, what = 'u32') {
    checkUint(value, U32_MAX, what);
    const at = this.#reserve(4);
    this.#view.setUint32(at, value, true);
    return this;
  }

  u64(value, what = 'u64') {
    if (typeof value !== 'bigint' || value < 0n || value >= 1n << 64n) throw new TypeError(`${what} must be a u64 BigInt`);
    const at = this.#reserve(8);
    this.#view.setBigUint64(at, value, true);
    return this;
  }

  str(text, what = 'string') {
    if (typeof text !== 'string') throw new TypeError(`${what} must be a string`);
    // Room for the longest UTF-8 a string of this length can have (3 bytes per UTF-16 unit).
    this.#room(2 + 3 * text.length);
    const { written } = utf8.encodeInto(text, this.#buffer.subarray(this.#used + 2));
    if (written > 0xFFFF) throw new TypeError(`${what} is ${written} bytes of UTF-8; the protocol allows 65535`);
    this.#view.setUint16(this.#used, written, true);
    this.#used += 2 + written;
    return this;
  }

  bytes(bytes, what = 'bytes') {
    checkBytes(bytes, what);
    this.u32(bytes.length, `${what}'s length`);
    if (bytes.length <= INLINE_BYTES) {
      const at = this.#reserve(bytes.length);
      this.#buffer.set(bytes, at);
    } else {
      this.#settle();
      this.#parts.push(bytes);
      this.#length += bytes.length;
    }
    return this;
  }

  // The buffer's bytes become a finished piece; later fields go into a new buffer.
  #settle() {
    if (this.#used === 0) return;
    this.#parts.push(this.#buffer.subarray(0, this.#used));
    this.#length += this.#used;
    this.#buffer = new Uint8Array(128);
    this.#view = new DataView(this.#buffer.buffer);
    this.#used = 0;
  }

  finish() {
    if (this.#parts.length === 0) return this.#buffer.slice(0, this.#used);
    this.#settle();
    const body = new Uint8Array(this.#length);
    let at = 0;
    for (const part of this.#parts) {
      body.set(part, at);
      at += part.length;
    }
    return body;
  }
}

/** Reads a body field by field; a read past its end or invalid UTF-8 throws a ProtocolError naming the field. */
export class BodyReader {
  #view;
  #bytes;
  #message;
  #at = 0;

  /** @param {Uint8Array} bytes @param {string} message the message's name, for errors */
  constructor(bytes, message) {
    this.#bytes = bytes;
    this.#message = message;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  #take(size, what) {
    if (size > this.#bytes.length - this.#at) {
      throw new ProtocolError(`the gateway's ${this.#message} ends inside its ${what}`);
    }
    const at = this.#at;
    this.#at += size;
    return at;
  }

  u8(what) { return this.#view.getUint8(this.#take(1, what)); }
  u16(what) { return this.#view.getUint16(this.#take(2, what), true); }
  u32(what) { return this.#view.getUint32(this.#take(4, what), true); }
  i32(what) { return this.#view.getInt32(this.#take(4, what), true); }
  u64(what) { return this.#view.getBigUint64(this.#take(8, what), true); }

  /** A u8 that must be 0 or 1. */
  flag(what) {
    const value = this.u8(what);
    if (value > 1) throw new ProtocolError(`the gateway's ${this.#message} has ${what} ${value}; it must be 0 or 1`);
    return value === 1;
  }

  str(what) {
    const length = this.u16(`${what}'s length`);
    if (length === 0) return '';
    const at = this.#take(length, what);
    try {
      return strictUtf8.decode(this.#bytes.subarray(at, at + length));
    } catch {
      throw new ProtocolError(`the gateway's ${this.#message} has a ${what} that is not valid UTF-8`);
    }
  }

  /** A copy of the bytes: a body's buffer may be a whole frame, which must not stay alive with them. */
  bytes(what) {
    const length = this.u32(`${what}'s length`);
    const at = this.#take(length, what);
    return this.#bytes.slice(at, at + length);
  }

  /** Throws unless every byte was read. */
  end() {
    const left = this.#bytes.length - this.#at;
    if (left !== 0) throw new ProtocolError(`the gateway's ${this.#message} has ${left} bytes after its last field`);
  }
}

function ranges(writer, list) {
  if (!Array.isArray(list)) throw new TypeError('STATE_PUSH ranges must be an array of { offset, bytes }');
  writer.u32(list.length, 'range count');
  for (const { offset, bytes } of list) writer.u32(offset, 'range offset').bytes(bytes, 'range bytes');
}

function files(writer, list) {
  if (!Array.isArray(list)) throw new TypeError('INVOKE files must be an array of { path, data }');
  writer.u32(list.length, 'file count');
  for (const { path, data } of list) writer.str(path, 'file path').bytes(data, 'file data');
}

// One writer per client → server message: fields as docs/protocol.md's table lists them.
const ENCODERS = Object.freeze({
  [TYPE.HELLO]: (w, f) => w.u16(f.version ?? VERSION, 'version').str(f.user, 'user').str(f.token ?? '', 'token')
    .u64(f.session ?? 0n, 'session'),
  [TYPE.INVOKE]: (w, f) => {
    files(w.str(f.function, 'function').u32(f.funcPtr ?? 0, 'funcPtr').str(f.cmdline ?? '', 'cmdline')
      .u32(f.timeoutMs ?? 0, 'timeoutMs').bytes(f.input ?? new Uint8Array(0), 'input'), f.files ?? []);
    w.str(f.sha256 ?? '', 'sha256');
  },
  [TYPE.AWAIT]: (w, f) => w.u32(f.callId, 'callId'),
  [TYPE.CANCEL]: (w, f) => w.u32(f.callId, 'callId'),
  [TYPE.STATE_SIZE]: (w, f) => w.str(f.key, 'key'),
  [TYPE.STATE_PULL]: (w, f) => w.str(f.key, 'key').u32(f.offset ?? 0, 'offset').u32(f.length ?? TO_END, 'length'),
  [TYPE.STATE_PUSH]: (w, f) => ranges(w.str(f.key, 'key').u32(f.size, 'size').u8(f.partial ? 1 : 0), f.ranges),
  [TYPE.STATE_SET]: (w, f) => w.str(f.key, 'key').bytes(f.value, 'value'),
  [TYPE.STATE_APPEND]: (w, f) => w.str(f.key, 'key').bytes(f.element, 'element'),
  [TYPE.STATE_READ_APPENDED]: (w, f) => w.str(f.key, 'key').u32(f.count, 'count'),
  [TYPE.STATE_CLEAR_APPENDED]: (w, f) => w.str(f.key, 'key'),
  [TYPE.STATE_LOCK]: (w, f) => w.str(f.key, 'key').u8(f.exclusive ? 1 : 0),
  [TYPE.STATE_UNLOCK]: (w, f) => w.str(f.key, 'key').u8(f.exclusive ? 1 : 0),
  [TYPE.STATE_KEYS]: (w, f) => w.str(f.prefix ?? '', 'prefix'),
  [TYPE.UPLOAD]: (w, f) => w.str(f.function, 'function').bytes(f.wasm, 'wasm'),
  [TYPE.FILE_UPLOAD]: (w, f) => w.str(f.path, 'path').bytes(f.data, 'data'),
  [TYPE.FILE_GET]: (w, f) => w.str(f.path, 'path'),
  [TYPE.FUNCTIONS]: (w) => w,
  [TYPE.PING]: (w, f) => w.bytes(f.payload ?? new Uint8Array(0), 'payload'),
});

// Encoding runs to its end without yielding, so one writer serves every call and its buffer is allocated once.
const sharedWriter = new BodyWriter();

/**
 * The body of a client → server message.
 * @param {number} type a TYPE value of a client message (not CONTINUE)
 * @param {object} fields named as in docs/protocol.md (e.g. INVOKE: function, funcPtr, cmdline, timeoutMs, input, files, sha256)
 * @returns {Uint8Array}
 */
export function encode(type, fields) {
  const encoder = ENCODERS[type];
  if (encoder === undefined) throw new TypeError(`encode: ${TYPE_NAME[type] ?? type} is not a client message`);
  const writer = sharedWriter.reset();
  encoder(writer, fields);
  return writer.finish();
}

function list(count, read) {
  const items = [];
  for (let i = 0; i < count; i += 1) items.push(read(i));
  return items;
}

// One reader per server → client message. Strings and bytes are checked as they are read, counts by reading
// that many items (a count larger than the body runs into its end).
const DECODERS = Object.freeze({
  [TYPE.WELCOME]: (r) => {
    const welcome = {
      version: r.u16('version'), session: r.u64('session'), resumed: r.flag('resumed'), maxFrame: r.u32('maxFrame'),
      chunkSize: r.u32('chunkSize'), maxBody: r.u32('maxBody'), workers: r.u32('workers'), server: r.str('server'),
    };
    if (welcome.session === 0n) throw new ProtocolError('the gateway\'s WELCOME gives session 0, which means "none"');
    if (welcome.maxFrame <= HEADER_SIZE || welcome.chunkSize === 0) {
      throw new ProtocolError(`the gateway's WELCOME announces maxFrame ${welcome.maxFrame} and chunkSize `
        + `${welcome.chunkSize}: no message body would fit`);
    }
    return welcome;
  },
  [TYPE.RESULT]: (r) => {
    const returnValue = r.i32('returnValue');
    const number = r.u8('status');
    const status = CALL_STATUS[number];
    if (status === undefined) throw new ProtocolError(`the gateway's RESULT has status ${number}, which faasmjs.v1 does not define`);
    return {
      returnValue, status, error: r.str('error'), queuedUs: r.u32('queuedUs'), runUs: r.u32('runUs'),
      trace: r.str('trace'), stdout: r.bytes('stdout'), stderr: r.bytes('stderr'), output: r.bytes('output'),
    };
  },
  [TYPE.ACK]: (r) => ({ value: r.u8('value') }),
  [TYPE.STATE_SIZE_IS]: (r) => ({ size: r.u32('size') }),
  [TYPE.STATE_VALUE]: (r) => ({ exists: r.flag('exists'), size: r.u32('size'), offset: r.u32('offset'), data: r.bytes('data') }),
  [TYPE.STATE_APPENDED]: (r) => ({ elements: list(r.u32('count'), (i) => r.bytes(`element ${i}`)) }),
  [TYPE.STATE_KEY_LIST]: (r) => ({ keys: list(r.u32('count'), (i) => r.str(`key ${i}`)) }),
  [TYPE.UPLOADED]: (r) => ({ function: r.str('function'), sha256: r.str('sha256'), compileMs: r.u32('compileMs') }),
  [TYPE.FILE_DATA]: (r) => ({ exists: r.flag('exists'), data: r.bytes('data') }),
  [TYPE.FUNCTION_LIST]: (r) => ({
    functions: list(r.u32('count'), (i) => ({
      name: r.str(`function ${i}'s name`),
      sha256: r.str(`function ${i}'s sha256`),
      compile: COMPILE_STATES[r.u8(`function ${i}'s compile state`)] ?? 'unknown',
    })),
  }),
  [TYPE.PONG]: (r) => ({ payload: r.bytes('payload') }),
  [TYPE.ERROR]: (r) => {
    const number = r.u16('code');
    // A later gateway may add codes (compatible additions keep the subprotocol): name them by number.
    return { code: ERROR_CODES[number] ?? `Error${number}`, number, message: r.str('message') };
  },
});

/** True for the message types a gateway may send. */
export function isServerType(type) {
  return Object.hasOwn(DECODERS, type);
}

/**
 * A server → client message body as an object with the fields of docs/protocol.md (plus `type`).
 * @throws {ProtocolError} when the body does not decode exactly
 */
export function decode(type, body) {
  const decoder = DECODERS[type];
  if (decoder === undefined) {
    throw new ProtocolError(`the gateway sent message type 0x${type.toString(16).padStart(2, '0')}, which is not a server message`);
  }
  const reader = new BodyReader(body, TYPE_NAME[type]);
  const fields = decoder(reader);
  reader.end();
  return { type, ...fields };
}

function header(view, at, type, flags, id, length) {
  view.setUint8(at, type);
  view.setUint8(at + 1, flags);
  view.setUint16(at + 2, 0, true);
  view.setUint32(at + 4, id, true);
  view.setUint32(at + 8, length, true);
}

// First in, first out, each operation O(1) (Array#shift moves every element, which a fork-join of thousands
// of calls queued in one turn would pay for each).
class Fifo {
  #items = [];
  #head = 0;

  get length() { return this.#items.length - this.#head; }

  push(item) { this.#items.push(item); }

  peek() { return this.#items[this.#head]; }

  shift() {
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head += 1;
    if (this.#head === this.#items.length) this.clear();
    else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes the first item for which `matches` holds; false if none does. */
  remove(matches) {
    for (let at = this.#head; at < this.#items.length; at += 1) {
      if (matches(this.#items[at])) {
        this.#items.splice(at, 1);
        return true;
      }
    }
    return false;
  }

  clear() {
    this.#items = [];
    this.#head = 0;
  }
}

/**
 * Messages waiting to be sent, packed into frames on demand. nextFrame() takes parts in turn, one part (a
 * whole small body, or the next chunk of a large one) of each message, round and round until the next part
 * would not fit. A message queued while a large body is on its way goes ahead of that body's next chunk, so a
 * chained call never waits behind more than the chunk being sent: messages none of which has gone out wait
 * in `fresh`, and go before those partly sent, which take turns in `started`.
 */
export class OutgoingQueue {
  #fresh = new Fifo();
  #started = new Fifo();
  #maxFrame;
  #partSize;

  /** @param {{ maxFrame: number, chunkSize: number }} limits from WELCOME */
  constructor({ maxFrame, chunkSize }) {
    checkUint(maxFrame, U32_MAX, 'maxFrame');
    checkUint(chunkSize, U32_MAX, 'chunkSize');
    if (maxFrame <= HEADER_SIZE || chunkSize === 0) throw new TypeError(`no body fits frames of ${maxFrame} bytes in chunks of ${chunkSize}`);
    this.#maxFrame = maxFrame;
    // A message never spans two frames, so no part may be larger than a frame's room for a body.
    this.#partSize = Math.min(chunkSize, maxFrame - HEADER_SIZE);
  }

  get empty() { return this.#fresh.length === 0 && this.#started.length === 0; }

  /**
   * @param {{ type: number, id: number, body: Uint8Array }} message
   * @param {() => void} [onLastPart] called when nextFrame() hands out the frame with its last part
   */
  push(message, onLastPart = () => {}) {
    checkUint(message.id, U32_MAX, 'message id');
    this.#fresh.push({ type: message.type, id: message.id, body: message.body, sent: 0, onLastPart });
  }

  clear() {
    this.#fresh.clear();
    this.#started.clear();
  }

  /** Takes back a message none of which has gone out yet; false if there is none such. */
  drop(id) { return this.#fresh.remove((queued) => queued.id === id); }

  /** The next frame, or null when nothing is queued. */
  nextFrame() {
    if (this.empty) return null;
    const parts = [];
    let size = 0;
    while (!this.empty) {
      const from = this.#fresh.length > 0 ? this.#fresh : this.#started;
      const next = from.peek();
      const length = Math.min(next.body.length - next.sent, this.#partSize);
      if (size + HEADER_SIZE + length > this.#maxFrame) break;
      const more = next.sent + length < next.body.length;
      parts.push({ type: next.sent === 0 ? next.type : TYPE.CONTINUE, flags: more ? FLAG_MORE : 0, id: next.id,
        bytes: next.body.subarray(next.sent, next.sent + length), last: more ? null : next.onLastPart });
      size += HEADER_SIZE + length;
      next.sent += length;
      from.shift();
      if (more) this.#started.push(next);
    }
    const frame = new Uint8Array(size);
    const view = new DataView(frame.buffer);
    let at = 0;
    for (const part of parts) {
      header(view, at, part.type, part.flags, part.id, part.bytes.length);
      frame.set(part.bytes, at + HEADER_SIZE);
      at += HEADER_SIZE + part.bytes.length;
      part.last?.();
    }
    return frame;
  }
}

/**
 * Packs messages into frames at once (OutgoingQueue drained).
 * @param {{ type: number, id: number, body: Uint8Array }[]} messages
 * @param {{ maxFrame: number, chunkSize: number }} limits
 * @returns {Uint8Array[]}
 */
export function packFrames(messages, limits) {
  const queue = new OutgoingQueue(limits);
  for (const message of messages) queue.push(message);
  const frames = [];
  for (let frame = queue.nextFrame(); frame !== null; frame = queue.nextFrame()) frames.push(frame);
  return frames;
}

/** Splits the gateway's frames into whole messages, joining chunked bodies. */
export class FrameReader {
  #partial = new Map();  // id → { type, parts, length }
  #maxBody;

  /** @param {{ maxBody?: number }} [limits] a joined body over maxBody is a ProtocolError */
  constructor({ maxBody = U32_MAX } = {}) {
    this.#maxBody = maxBody;
  }

  /**
   * @param {Uint8Array} frame one WebSocket binary message
   * @returns {{ type: number, id: number, body: Uint8Array }[]} the messages this frame completes, in order
   * @throws {ProtocolError}
   */
  read(frame) {
    if (frame.length === 0) throw new ProtocolError('the gateway sent an empty frame');
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const messages = [];
    for (let at = 0; at < frame.length;) {
      if (frame.length - at < HEADER_SIZE) {
        throw new ProtocolError(`a frame from the gateway ends inside a message header (${frame.length - at} of ${HEADER_SIZE} bytes)`);
      }
      const type = view.getUint8(at);
      const flags = view.getUint8(at + 1);
      const id = view.getUint32(at + 4, true);
      const length = view.getUint32(at + 8, true);
      const name = TYPE_NAME[type] ?? `type 0x${type.toString(16).padStart(2, '0')}`;
      if ((flags & ~FLAG_MORE) !== 0 || view.getUint16(at + 2, true) !== 0) {
        throw new ProtocolError(`a ${name} header from the gateway has reserved bits set`);
      }
      if (type !== TYPE.CONTINUE && !isServerType(type)) {
        throw new ProtocolError(`the gateway sent ${name}, which is not a server message`);
      }
      if (length > frame.length - at - HEADER_SIZE) {
        throw new ProtocolError(`a ${name} from the gateway claims ${length} bytes of body; its frame has ${frame.length - at - HEADER_SIZE} left`);
      }
      const body = frame.subarray(at + HEADER_SIZE, at + HEADER_SIZE + length);
      at += HEADER_SIZE + length;
      const more = (flags & FLAG_MORE) !== 0;
      let partial = this.#partial.get(id);
      if (type === TYPE.CONTINUE) {
        if (partial === undefined) throw new ProtocolError(`the gateway sent a CONTINUE for id ${id}, which has no body in progress`);
      } else if (partial !== undefined) {
        throw new ProtocolError(`the gateway started a ${name} for id ${id} before finishing its ${TYPE_NAME[partial.type]}`);
      } else if (!more) {
        messages.push({ type, id, body });
        continue;
      } else {
        this.#partial.set(id, partial = { type, parts: [], length: 0 });
      }
      partial.length += body.length;
      if (partial.length > this.#maxBody) {
        throw new ProtocolError(`the gateway's ${TYPE_NAME[partial.type]} for id ${id} grows past maxBody (${this.#maxBody} bytes)`);
      }
      partial.parts.push(body.slice());
      if (!more) {
        this.#partial.delete(id);
        messages.push({ type: partial.type, id, body: join(partial.parts, partial.length) });
      }
    }
    return messages;
  }
}

function join(parts, length) {
  const body = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    body.set(part, at);
    at += part.length;
  }
  return body;
}
