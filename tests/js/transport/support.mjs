// Test helpers for the transport: bytes written out from docs/protocol.md (independent of the codec under
// test), a reader for the frames the client sends, and a small scripted faasmjs.v1 server on 127.0.0.1 for
// the transport mechanics a real gateway cannot be made to show on demand (a socket cut mid-request, a
// server that goes silent, replies re-sent on a resume).
import { WebSocketServer } from 'ws';

export { WebSocket } from 'ws';

const encoder = new TextEncoder();

/** Bytes from a readable spec: numbers are bytes, strings their UTF-8, arrays and Uint8Arrays nest. */
export function bytes(...parts) {
  const out = [];
  const add = (part) => {
    if (typeof part === 'number') out.push(part);
    else if (typeof part === 'string') out.push(...encoder.encode(part));
    else if (part instanceof Uint8Array || Array.isArray(part)) for (const p of part) add(p);
    else throw new Error(`bad part ${part}`);
  };
  parts.forEach(add);
  return new Uint8Array(out);
}
export const u16 = (v) => [v & 0xFF, v >>> 8];
export const u32 = (v) => [v & 0xFF, (v >>> 8) & 0xFF, (v >>> 16) & 0xFF, v >>> 24];
export const u64 = (v) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, v, true); return [...b]; };
export const str = (s) => { const b = encoder.encode(s); return [...u16(b.length), ...b]; };
export const blob = (b) => { const raw = typeof b === 'string' ? encoder.encode(b) : b; return [...u32(raw.length), ...raw]; };
/** One message: 12-byte header, then the body. */
export const message = (type, id, body, flags = 0) => bytes(type, flags, 0, 0, u32(id), u32(body.length), body);

/** The messages of one frame the client sent, chunked bodies not joined: [{ type, flags, id, body }]. */
export function splitFrame(frame) {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const messages = [];
  for (let at = 0; at < frame.length;) {
    const length = view.getUint32(at + 8, true);
    messages.push({ type: frame[at], flags: frame[at + 1], reserved: view.getUint16(at + 2, true), id: view.getUint32(at + 4, true),
      body: frame.subarray(at + 12, at + 12 + length) });
    at += 12 + length;
  }
  return messages;
}

/** Reads body fields in order. */
export class Fields {
  #view;
  #bytes;
  #at = 0;
  constructor(bytes) { this.#bytes = bytes; this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength); }
  u8() { return this.#bytes[this.#at++]; }
  u16() { const v = this.#view.getUint16(this.#at, true); this.#at += 2; return v; }
  u32() { const v = this.#view.getUint32(this.#at, true); this.#at += 4; return v; }
  u64() { const v = this.#view.getBigUint64(this.#at, true); this.#at += 8; return v; }
  str() { const n = this.u16(); const s = new TextDecoder().decode(this.#bytes.subarray(this.#at, this.#at + n)); this.#at += n; return s; }
  bytes() { const n = this.u32(); const b = this.#bytes.slice(this.#at, this.#at + n); this.#at += n; return b; }
  get done() { return this.#at === this.#bytes.length; }
}

export const WELCOME = 0x81;
export const RESULT = 0x82;
export const ACK = 0x83;
export const STATE_SIZE_IS = 0x84;
export const STATE_VALUE = 0x85;
export const PONG = 0x8F;
export const ERROR = 0xEE;

export function welcomeBody({ session = 1n, resumed = false, maxFrame = 4 << 20, chunkSize = 1 << 20, maxBody = 256 << 20 } = {}) {
  return bytes(u16(1), u64(session), resumed ? 1 : 0, u32(maxFrame), u32(chunkSize), u32(maxBody), u32(2), str('fake gateway'));
}

export function resultBody({ returnValue = 0, status = 0, error = '', output = '', trace = '{"where":"cluster","chained":[]}' } = {}) {
  return bytes(u32(returnValue >>> 0), status, str(error), u32(10), u32(20), str(trace), blob(''), blob(''), blob(output));
}

export const errorBody = (code, text) => bytes(u16(code), str(text));

/**
 * A scripted faasmjs.v1 server. Every message a client sends (bodies joined) is recorded with the socket's
 * number; `onMessage(msg, reply, socket)` decides the answer (reply(type, body) answers msg.id). HELLO is
 * answered by `onHello` (default: a new session, resumed when the client named a session this server gave).
 */
export async function startFakeGateway({ onMessage = () => {}, onHello, welcome = {} } = {}) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('faasmjs.v1') ? 'faasmjs.v1' : false) });
  await new Promise((resolve) => server.once('listening', resolve));
  const received = [];
  const frames = [];
  const sockets = [];
  let nextSession = 100n;
  const sessions = new Set();
  server.on('connection', (socket) => {
    const number = sockets.push(socket) - 1;
    const partial = new Map();
    socket.on('message', (data, isBinary) => {
      const frame = new Uint8Array(data);
      frames.push({ socket: number, isBinary, messages: splitFrame(frame) });
      for (const part of splitFrame(frame)) {
        let msg;
        if (part.type === 0x7F) {
          msg = partial.get(part.id);
          msg.body = bytes(msg.body, part.body);
        } else {
          msg = { type: part.type, id: part.id, body: part.body.slice(), socket: number };
        }
        if (part.flags & 1) { partial.set(part.id, msg); continue; }
        partial.delete(part.id);
        received.push(msg);
        const reply = (type, body, id = msg.id) => socket.send(message(type, id, body));
        if (msg.type === 0x01) {
          const fields = new Fields(msg.body);
          const hello = { version: fields.u16(), user: fields.str(), token: fields.str(), session: fields.u64() };
          if (onHello) { onHello(hello, reply, socket); continue; }
          const resumed = sessions.has(hello.session);
          const session = resumed ? hello.session : nextSession++;
          sessions.add(session);
          reply(WELCOME, welcomeBody({ ...welcome, session, resumed }));
        } else {
          onMessage(msg, reply, socket);
        }
      }
    });
  });
  return {
    url: `ws://127.0.0.1:${server.address().port}/ws`,
    received,
    frames,
    sockets,
    /** Forgets every session, as a restarted gateway would. */
    forgetSessions() { sessions.clear(); },
    /** Cuts every connection at the TCP level, without a close handshake. */
    cut() { for (const socket of sockets) socket.terminate(); },
    /** Cuts every connection and stops listening. */
    close() {
      for (const socket of sockets) socket.terminate();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Resolves once predicate() holds, polling; fails after timeoutMs. */
export async function until(predicate, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export { startTcpProxy } from '../../support/tcp-proxy.mjs';
