// One WebSocket to a faasm.js gateway, multiplexed (docs/protocol.md): every request gets an id and a Promise
// of its reply; requests made in the same turn of the event loop leave together in one frame (a fork-join of
// 100 chained calls is one frame); large bodies go in chunks between other messages.
//
// A dropped socket is reconnected with a bounded backoff, and the session resumed: every request without its
// final reply is re-sent with the same id, and the gateway answers each exactly once (a call never runs
// twice). When the gateway no longer has the session (it restarted, or the grace ran out), requests that are
// safe to repeat are re-sent and the others fail with ConnectionLost, saying their outcome is unknown.
import { ClientClosed, ConnectionLost, GatewayError, Unsupported } from '../errors.js';
import {
  BodyReader, BodyWriter, FrameReader, ProtocolViolation, SUBPROTOCOL, TYPE, VERSION, decodeError, packFrames,
} from './codec.js';

const KEEPALIVE_CHECK_MS = 5_000;
const PING_AFTER_MS = 15_000;
const DEAD_AFTER_MS = 45_000;
const DEFAULT_RECONNECT = Object.freeze({ attempts: 6, delayMs: 250, maxDelayMs: 4_000 });
const HANDSHAKE_TIMEOUT_MS = 10_000;

function decodeWelcome(body) {
  const in_ = new BodyReader(body);
  const welcome = {
    version: in_.u16('version'),
    session: in_.u64('session'),
    resumed: in_.u8('resumed') === 1,
    maxFrame: in_.u32('maxFrame'),
    chunkSize: in_.u32('chunkSize'),
    maxBody: in_.u32('maxBody'),
    workers: in_.u32('workers'),
    server: in_.str('server'),
  };
  in_.end('WELCOME');
  return welcome;
}

export class Connection extends EventTarget {
  #url;
  #user;
  #token;
  #WebSocket;
  #reconnect;
  #socket = null;
  #reader = new FrameReader();
  #welcome = null;
  #session = 0n;
  #nextId = 2;
  #pending = new Map();  // id → { type, body, safe, label, resolve, reject, sent }
  #outbox = [];
  #flushScheduled = false;
  #closed = false;
  #lastSent = 0;
  #lastHeard = 0;
  #keepalive = null;
  #connecting = null;

  /**
   * @param {string} url ws:// or wss:// URL of the gateway's /ws
   * @param {{ user: string, token?: string, webSocket?: typeof WebSocket,
   *   reconnect?: { attempts?: number, delayMs?: number, maxDelayMs?: number } }} options
   */
  constructor(url, { user, token = '', webSocket = globalThis.WebSocket, reconnect = {} }) {
    super();
    if (typeof webSocket !== 'function') {
      throw new Unsupported('connect: this environment has no WebSocket; pass options.webSocket (in Node: the ws package\'s WebSocket)');
    }
    this.#url = url;
    this.#user = user;
    this.#token = token;
    this.#WebSocket = webSocket;
    this.#reconnect = { ...DEFAULT_RECONNECT, ...reconnect };
  }

  /** What WELCOME said: maxFrame, chunkSize, workers, server. */
  get welcome() { return this.#welcome; }

  /** Opens the socket and says HELLO; rejects with GatewayError (BadUser, BadToken…) or ConnectionLost. */
  async open() {
    await this.#handshake();
    this.#keepalive = setInterval(() => this.#checkAlive(), KEEPALIVE_CHECK_MS);
    this.#keepalive.unref?.();
  }

  /**
   * Sends a request and resolves with its reply { type, body }; an ERROR reply rejects with GatewayError.
   * @param {number} type
   * @param {Uint8Array} body
   * @param {{ safe?: boolean, label?: string }} options safe: may be re-sent after a lost session
   */
  request(type, body, { safe = false, label = 'request' } = {}) {
    if (this.#closed) return Promise.reject(new ClientClosed(`${label}: the client is closed`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const entry = { type, body, safe, label, resolve, reject };
      this.#pending.set(id, entry);
      this.#enqueue(id, entry);
    });
  }

  /** The ids of requests in flight: their replies have not arrived. */
  get inFlight() { return this.#pending.size; }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepalive);
    this.#failAll((entry) => new ClientClosed(`${entry.label}: the client was closed`));
    this.#socket?.close(1000);
    this.#emit('closed');
  }

  #emit(state, detail = {}) {
    this.dispatchEvent(new CustomEvent('connection', { detail: { state, ...detail } }));
  }

  #enqueue(id, entry) {
    if (this.#socket?.readyState !== 1 || this.#welcome === null || this.#connecting) return;  // sent when resumed
    this.#outbox.push({ type: entry.type, id, body: entry.body });
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#flush());
    }
  }

  #flush() {
    this.#flushScheduled = false;
    if (this.#outbox.length === 0 || this.#socket?.readyState !== 1) return;
    const { maxFrame, chunkSize } = this.#welcome;
    for (const frame of packFrames(this.#outbox, { maxFrame, chunkSize })) this.#socket.send(frame);
    this.#outbox = [];
    this.#lastSent = Date.now();
  }

  #failAll(makeError, keep = () => false) {
    for (const [id, entry] of this.#pending) {
      if (keep(entry)) continue;
      this.#pending.delete(id);
      entry.reject(makeError(entry));
    }
  }

  // A new socket, HELLO (resuming the session when there is one), WELCOME. Resolves with WELCOME.
  #handshake() {
    return new Promise((resolve, reject) => {
      let settled = false;
      const socket = new this.#WebSocket(this.#url, SUBPROTOCOL);
      socket.binaryType = 'arraybuffer';
      const timer = setTimeout(() => fail(new ConnectionLost(`no answer from the gateway at ${this.#url}`)), HANDSHAKE_TIMEOUT_MS);
      const fail = (error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.onclose = null;
        socket.close();
        reject(error);
      };
      socket.onerror = () => fail(new ConnectionLost(`cannot connect to the gateway at ${this.#url}`));
      socket.onclose = () => fail(new ConnectionLost(`the gateway at ${this.#url} closed the connection during HELLO`));
      socket.onopen = () => {
        const hello = new BodyWriter().u16(VERSION).str(this.#user).str(this.#token).u64(this.#session).finish();
        socket.send(packFrames([{ type: TYPE.HELLO, id: 1, body: hello }], { maxFrame: 1 << 20, chunkSize: 1 << 20 })[0]);
      };
      socket.onmessage = ({ data }) => {
        if (settled) return;
        let messages;
        try {
          messages = this.#reader.read(new Uint8Array(data));
        } catch (error) {
          fail(error);
          return;
        }
        for (const message of messages) {
          if (message.type === TYPE.ERROR) {
            const { code, message: text } = decodeError(message.body);
            fail(new GatewayError(code, `the gateway refused the connection: ${text}`));
            return;
          }
          if (message.type !== TYPE.WELCOME) continue;
          settled = true;
          clearTimeout(timer);
          const welcome = decodeWelcome(message.body);
          this.#attach(socket, welcome);
          resolve(welcome);
          // Anything after WELCOME in the same frame (a resumed reply) is handled as usual.
          this.#handle(messages.slice(messages.indexOf(message) + 1));
          return;
        }
      };
    });
  }

  #attach(socket, welcome) {
    const resumed = this.#session !== 0n && welcome.resumed;
    this.#socket = socket;
    this.#welcome = welcome;
    this.#session = welcome.session;
    this.#lastHeard = Date.now();
    socket.onmessage = ({ data }) => {
      this.#lastHeard = Date.now();
      try {
        this.#handle(this.#reader.read(new Uint8Array(data)));
      } catch (error) {
        this.#protocolFailure(error);
      }
    };
    socket.onclose = () => this.#dropped();
    socket.onerror = () => {};
    return resumed;
  }

  #handle(messages) {
    for (const message of messages) {
      if (message.type === TYPE.PONG && message.id === 0) continue;
      const entry = this.#pending.get(message.id);
      if (entry === undefined) continue;  // a reply to a request already failed (e.g. after ConnectionLost)
      this.#pending.delete(message.id);
      if (message.type === TYPE.ERROR) {
        const { code, message: text } = decodeError(message.body);
        entry.reject(new GatewayError(code, `${entry.label}: ${text}`));
      } else {
        entry.resolve(message);
      }
    }
  }

  #protocolFailure(error) {
    const reason = error instanceof ProtocolViolation ? error.message : String(error);
    this.#failAll((entry) => new ConnectionLost(`${entry.label}: the gateway broke the protocol (${reason})`));
    this.#socket?.close();
  }

  #checkAlive() {
    if (this.#socket?.readyState !== 1 || this.#connecting) return;
    const now = Date.now();
    if (now - this.#lastHeard > DEAD_AFTER_MS) {
      this.#socket.close();  // onclose reconnects
    } else if (now - Math.max(this.#lastSent, this.#lastHeard) > PING_AFTER_MS) {
      this.#socket.send(packFrames([{ type: TYPE.PING, id: 0, body: new BodyWriter().bytes(new Uint8Array(0)).finish() }],
        this.#welcome)[0]);
      this.#lastSent = now;
    }
  }

  async #dropped() {
    if (this.#closed || this.#connecting) return;
    this.#emit('reconnecting');
    this.#reader = new FrameReader();
    this.#outbox = [];
    this.#connecting = this.#reconnectLoop();
    await this.#connecting;
    this.#connecting = null;
  }

  async #reconnectLoop() {
    const { attempts, delayMs, maxDelayMs } = this.#reconnect;
    let delay = delayMs;
    let lastError = null;
    for (let attempt = 1; attempt <= attempts && !this.#closed; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelayMs);
      if (this.#closed) return;
      const before = this.#session;
      try {
        const welcome = await this.#handshake();
        const resumed = welcome.resumed && welcome.session === before;
        if (!resumed) {
          this.#failAll((entry) => new ConnectionLost(`${entry.label}: the connection to the gateway was lost and the gateway `
            + 'no longer has its session (it restarted, or the session expired); whether it took effect is unknown'),
          (entry) => entry.safe);
        }
        this.#emit(resumed ? 'resumed' : 'reconnected');
        this.#connecting = null;
        // Re-send what has no final reply, with the same ids: the gateway answers each exactly once.
        for (const [id, entry] of this.#pending) this.#enqueue(id, entry);
        return;
      } catch (error) {
        lastError = error;
        if (error instanceof GatewayError) break;
      }
    }
    if (this.#closed) return;
    this.#emit('lost');
    this.#failAll((entry) => new ConnectionLost(`${entry.label}: the connection to the gateway at ${this.#url} was lost `
      + `and could not be re-established (${lastError?.message ?? 'closed'})`));
    this.#closed = true;
    clearInterval(this.#keepalive);
  }
}
