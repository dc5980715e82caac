// One WebSocket to a faasm.js gateway, multiplexed (docs/protocol.md). Every request gets an id and a
// Promise of its reply, and many are in flight at once.
//
// Sending. Requests made in the same turn of the event loop leave together: the first one schedules a flush
// in a microtask, so a function that forks 100 chained calls before its first await sends one frame. The
// flush packs frames (transport/codec.js OutgoingQueue) of at most WELCOME's maxFrame, cutting large bodies
// into chunks; it hands the socket one frame at a time while the socket's own buffer holds less than a
// frame, and polls until it drains otherwise, so that a small request made while a 64 MiB push is on its way
// goes out between two chunks instead of behind all of them.
//
// Receiving. Frames are split and chunked bodies joined (FrameReader); each reply is decoded strictly and
// checked against the request it answers. ERROR rejects with a GatewayError. A frame that breaks the
// protocol cannot be trusted for any reply in it: the connection fails every request with ProtocolError and
// ends ('lost'); a reply body that does not decode fails that request alone.
//
// Keep-alive. After pingAfterMs (15 s) without traffic either way a PING goes out; after deadAfterMs (45 s)
// without a word from the gateway the socket counts as dropped.
//
// Dropped sockets. The connection reconnects with a bounded backoff and says HELLO with its session id:
//   - resumed: every request without a final reply is re-sent verbatim with its id; the gateway answers each
//     exactly once (a call still running attaches, a finished one has its kept reply re-sent);
//   - not resumed (the gateway restarted, or the grace ran out): requests that never fully left, and those
//     safe to repeat (SAFE_AFTER_LOSS), are sent to the new session; the others (invocations, appends, clears
//     of append logs) fail with ConnectionLost naming the call and saying its outcome is unknown, so that
//     nothing runs twice and nothing is silently lost. State locks the old session held are gone with it:
//     the 'connection' event says so (sessionLost) and the remote tier warns about the keys.
// When every attempt fails, or the gateway refuses the HELLO, the connection is 'lost' and every request
// fails with ConnectionLost.
//
// Events: 'connection' with detail { state } — 'reconnecting' (with the reason), 'resumed', 'open' (a new
// session after a drop, with sessionLost: true and the labels of the requests failed), 'lost' (with the
// reason), 'closed'.
import { ClientClosed, ConnectionLost, GatewayError, ProtocolError, Unsupported } from '../errors.js';
import { FrameReader, OutgoingQueue, SUBPROTOCOL, TYPE, TYPE_NAME, VERSION, decode, encode } from './codec.js';

export const DEFAULT_RECONNECT = Object.freeze({ attempts: 5, delayMs: 625, maxDelayMs: 5_000 });
export const DEFAULT_KEEP_ALIVE = Object.freeze({ pingAfterMs: 15_000, deadAfterMs: 45_000 });
const HANDSHAKE_TIMEOUT_MS = 10_000;
const HELLO_ID = 1;
// How long the flush waits before looking again at a socket whose buffer is full.
const DRAIN_POLL_MS = 4;
const OPEN = 1;

// What each request is answered with, besides ERROR.
const REPLIES = Object.freeze({
  [TYPE.INVOKE]: [TYPE.RESULT], [TYPE.AWAIT]: [TYPE.RESULT], [TYPE.CANCEL]: [TYPE.ACK],
  [TYPE.STATE_SIZE]: [TYPE.STATE_SIZE_IS], [TYPE.STATE_PULL]: [TYPE.STATE_VALUE],
  [TYPE.STATE_PUSH]: [TYPE.ACK, TYPE.STATE_VALUE], [TYPE.STATE_SET]: [TYPE.ACK], [TYPE.STATE_APPEND]: [TYPE.ACK],
  [TYPE.STATE_READ_APPENDED]: [TYPE.STATE_APPENDED], [TYPE.STATE_CLEAR_APPENDED]: [TYPE.ACK],
  [TYPE.STATE_LOCK]: [TYPE.ACK], [TYPE.STATE_UNLOCK]: [TYPE.ACK], [TYPE.STATE_KEYS]: [TYPE.STATE_KEY_LIST],
  [TYPE.UPLOAD]: [TYPE.UPLOADED], [TYPE.FILE_UPLOAD]: [TYPE.ACK], [TYPE.FILE_GET]: [TYPE.FILE_DATA],
  [TYPE.FUNCTIONS]: [TYPE.FUNCTION_LIST], [TYPE.PING]: [TYPE.PONG],
});

// Requests that may go to a new session although the old one may have carried them out: reads, writes of
// given bytes (a repeat writes the same bytes), locks (the old session's holds are gone with it), uploads of
// the same binary or shared file, cancels and pings. Never INVOKE (it would run twice), AWAIT (its call is gone with the
// session), STATE_APPEND (it would append twice) or STATE_CLEAR_APPENDED (it would clear appends made since).
const SAFE_AFTER_LOSS = new Set([TYPE.CANCEL, TYPE.STATE_SIZE, TYPE.STATE_PULL, TYPE.STATE_PUSH,
  TYPE.STATE_SET, TYPE.STATE_READ_APPENDED, TYPE.STATE_LOCK, TYPE.STATE_UNLOCK, TYPE.STATE_KEYS, TYPE.UPLOAD,
  TYPE.FILE_UPLOAD, TYPE.FILE_GET, TYPE.FUNCTIONS, TYPE.PING]);

function positive(value, what) {
  if (!(Number.isFinite(value) && value > 0)) throw new TypeError(`${what} must be a positive number, got ${String(value)}`);
  return value;
}

/** Validated reconnect and keepAlive options with their defaults. */
export function connectionOptions({ reconnect = {}, keepAlive = {} } = {}) {
  if (typeof reconnect !== 'object' || reconnect === null) throw new TypeError('connect options.reconnect must be an object');
  if (typeof keepAlive !== 'object' || keepAlive === null) throw new TypeError('connect options.keepAlive must be an object');
  for (const key of Object.keys(reconnect)) {
    if (!(key in DEFAULT_RECONNECT)) throw new TypeError(`connect options.reconnect: unknown option ${key}`);
  }
  for (const key of Object.keys(keepAlive)) {
    if (!(key in DEFAULT_KEEP_ALIVE)) throw new TypeError(`connect options.keepAlive: unknown option ${key}`);
  }
  const r = { ...DEFAULT_RECONNECT, ...reconnect };
  const k = { ...DEFAULT_KEEP_ALIVE, ...keepAlive };
  if (!(Number.isInteger(r.attempts) && r.attempts >= 0)) {
    throw new TypeError(`connect options.reconnect.attempts must be a whole number, got ${String(r.attempts)}`);
  }
  positive(r.delayMs, 'connect options.reconnect.delayMs');
  positive(r.maxDelayMs, 'connect options.reconnect.maxDelayMs');
  positive(k.pingAfterMs, 'connect options.keepAlive.pingAfterMs');
  positive(k.deadAfterMs, 'connect options.keepAlive.deadAfterMs');
  return { reconnect: r, keepAlive: k };
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A socket this connection is done with reports nothing more. (The ws package throws an 'error' event that
// has no listener, so errors get a listener that ignores them rather than none.)
function quiet(socket) {
  socket.onopen = socket.onmessage = socket.onclose = null;
  socket.onerror = () => {};
}

// Ends a socket given up on (dropped, silent, refused) at once. A browser socket can only close, which starts
// the closing handshake; the ws package's terminate() drops the TCP connection without waiting for a peer that
// may never answer.
function abort(socket) {
  if (socket === null) return;
  if (typeof socket.terminate === 'function') socket.terminate(); else socket.close();
}

export class Connection extends EventTarget {
  #url;
  #user;
  #token;
  #WebSocket;
  #reconnect;
  #keepAlive;
  #socket = null;
  #outgoing = null;
  #welcome = null;
  #session = 0n;
  #state = 'connecting';
  #nextId = HELLO_ID + 1;
  #pending = new Map();  // id → { type, body, label, resolve, reject, delivered }
  // One 'abort' listener per signal, whatever the number of requests it may cancel: the calls of a fork-join
  // share their tree's signal, and a listener each would make adding the n-th cost n (EventTarget checks each
  // new listener against those it has) and outlive its request.
  #watched = new Map();  // AbortSignal → { onAbort, aborts: Map<id, abort> }
  #flushScheduled = false;
  #drainTimer = null;
  #keepAliveTimer = null;
  #lastSent = 0;
  #lastHeard = 0;

  /**
   * @param {string} url the gateway's ws:// or wss:// URL
   * @param {{ user: string, token?: string, webSocket?: typeof WebSocket, reconnect?: object, keepAlive?: object }} options
   */
  constructor(url, { user, token = '', webSocket = globalThis.WebSocket, reconnect, keepAlive } = {}) {
    super();
    if (typeof webSocket !== 'function') {
      throw new Unsupported(`connect('${url}'): this environment has no WebSocket; pass options.webSocket `
        + '(in Node 20: the ws package\'s WebSocket)');
    }
    this.#url = url;
    this.#user = user;
    this.#token = token;
    this.#WebSocket = webSocket;
    ({ reconnect: this.#reconnect, keepAlive: this.#keepAlive } = connectionOptions({ reconnect, keepAlive }));
  }

  /** What WELCOME said (server, workers, maxFrame, chunkSize, maxBody, session), or null before it. */
  get welcome() { return this.#welcome; }

  /** 'connecting', 'open', 'reconnecting', 'lost' or 'closed'. */
  get state() { return this.#state; }

  /** The gateway's URL. */
  get url() { return this.#url; }

  /** Opens the socket and says HELLO; rejects with GatewayError (BadUser, BadToken…) or ConnectionLost. */
  async open() {
    try {
      await this.#handshake();
    } catch (error) {
      if (this.#state !== 'closed') this.#state = 'lost';
      throw error;
    }
    if (this.#state === 'closed') {  // closed while saying HELLO
      this.#detach()?.close(1000, 'client closed');
      throw new ClientClosed(`connect('${this.#url}'): the client was closed`);
    }
    this.#state = 'open';
    for (const [id, entry] of this.#pending) this.#enqueue(id, entry);
    const { pingAfterMs, deadAfterMs } = this.#keepAlive;
    this.#keepAliveTimer = setInterval(() => this.#checkAlive(), Math.min(pingAfterMs, deadAfterMs) / 3);
    this.#keepAliveTimer.unref?.();  // Node: a quiet connection does not keep the process alive
  }

  /**
   * Sends a request; resolves with its decoded reply (transport/codec.d.ts ServerMessage).
   * @param {number} type a TYPE of a client request
   * @param {object} fields its fields (codec.js encode)
   * @param {{ label?: string, signal?: AbortSignal }} [options] label names the request in errors; an aborted
   *   signal rejects with its reason and, for an INVOKE already sent, sends CANCEL
   */
  request(type, fields, { label = TYPE_NAME[type], signal } = {}) {
    if (this.#state === 'closed') return Promise.reject(new ClientClosed(`${label}: the client is closed`));
    if (this.#state === 'lost') return Promise.reject(new ConnectionLost(`${label}: the connection to the gateway at ${this.#url} was lost`));
    if (!(type in REPLIES)) throw new TypeError(`request: ${TYPE_NAME[type] ?? type} is not a request`);
    const body = encode(type, fields);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const entry = { type, body, label, resolve, reject, delivered: false };
      if (signal !== undefined) {
        entry.resolve = (reply) => { this.#unwatch(signal, id); resolve(reply); };
        entry.reject = (error) => { this.#unwatch(signal, id); reject(error); };
      }
      this.#pending.set(id, entry);
      this.#enqueue(id, entry);
      if (signal === undefined) return;
      // Given up on: a request still queued is never sent; a call that left (or is leaving, chunk by chunk)
      // is cancelled once the gateway has all of it.
      const abort = () => {
        if (this.#pending.get(id) !== entry) return;
        this.#pending.delete(id);
        entry.reject(signal.reason);
        if (this.#outgoing?.drop(id) || type !== TYPE.INVOKE) return;
        if (entry.delivered) this.#cancel(id); else entry.cancelWhenSent = true;
      };
      if (signal.aborted) abort(); else this.#watch(signal, id, abort);
    });
  }

  #watch(signal, id, abort) {
    let watched = this.#watched.get(signal);
    if (watched === undefined) {
      const aborts = new Map();
      const onAbort = () => {
        this.#watched.delete(signal);
        for (const each of [...aborts.values()]) each();
      };
      watched = { onAbort, aborts };
      this.#watched.set(signal, watched);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    watched.aborts.set(id, abort);
  }

  #unwatch(signal, id) {
    const watched = this.#watched.get(signal);
    if (watched === undefined || !watched.aborts.delete(id) || watched.aborts.size > 0) return;
    this.#watched.delete(signal);
    signal.removeEventListener('abort', watched.onAbort);
  }

  /** Closes the socket; requests in flight reject with ClientClosed, later ones too. */
  close() {
    if (this.#state === 'closed') return;
    const wasLost = this.#state === 'lost';
    this.#state = 'closed';
    this.#stopTimers();
    this.#failAll(() => true, (entry) => new ClientClosed(`${entry.label}: the client was closed`));
    const socket = this.#detach();
    // 1000: the client is done with its session (docs/protocol.md: the gateway ends it at once).
    if (socket !== null && socket.readyState === OPEN) socket.close(1000, 'client closed');
    if (!wasLost) this.#emit('closed');
  }

  #cancel(callId) {
    this.request(TYPE.CANCEL, { callId }).catch(() => {});  // its ACK says nothing the caller waits for
  }

  #emit(state, detail = {}) {
    this.dispatchEvent(new CustomEvent('connection', { detail: { state, ...detail } }));
  }

  #stopTimers() {
    clearInterval(this.#keepAliveTimer);
    clearTimeout(this.#drainTimer);
    this.#drainTimer = null;
  }

  // Queues a request if a socket is ready for it; otherwise it waits in #pending for the next WELCOME.
  #enqueue(id, entry) {
    if (this.#state !== 'open') return;
    this.#outgoing.push({ type: entry.type, id, body: entry.body }, () => {
      entry.delivered = true;
      if (entry.cancelWhenSent) this.#cancel(id);
    });
    this.#scheduleFlush();
  }

  #scheduleFlush() {
    if (this.#flushScheduled || this.#drainTimer !== null) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush() {
    const socket = this.#socket;
    if (this.#state !== 'open' || socket.readyState !== OPEN) return;
    const { maxFrame } = this.#welcome;
    while (!this.#outgoing.empty && socket.bufferedAmount < maxFrame) {
      socket.send(this.#outgoing.nextFrame());
      this.#lastSent = Date.now();
    }
    if (!this.#outgoing.empty) {
      this.#drainTimer = setTimeout(() => {
        this.#drainTimer = null;
        this.#flush();
      }, DRAIN_POLL_MS);
    }
  }

  #failAll(which, makeError) {
    const failed = [];
    for (const [id, entry] of this.#pending) {
      if (!which(entry)) continue;
      this.#pending.delete(id);
      failed.push(entry.label);
      entry.reject(makeError(entry));
    }
    return failed;
  }

  // A new socket, HELLO (naming the session to resume, if any), WELCOME. On success the socket is this
  // connection's; resolves with WELCOME.
  #handshake() {
    return new Promise((resolve, reject) => {
      let settled = false;
      let socket;
      try {
        socket = new this.#WebSocket(this.#url, SUBPROTOCOL);
      } catch (error) {
        reject(new ConnectionLost(`cannot connect to the gateway at ${this.#url}: ${error.message}`, { cause: error }));
        return;
      }
      socket.binaryType = 'arraybuffer';
      const reader = new FrameReader();
      const fail = (error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        quiet(socket);
        abort(socket);
        reject(error);
      };
      const timer = setTimeout(() => fail(new ConnectionLost(`the gateway at ${this.#url} did not answer HELLO within ${HANDSHAKE_TIMEOUT_MS} ms`)),
        HANDSHAKE_TIMEOUT_MS);
      socket.onerror = () => fail(new ConnectionLost(`cannot connect to the gateway at ${this.#url}`));
      socket.onclose = ({ code }) => fail(new ConnectionLost(`the gateway at ${this.#url} closed the connection during HELLO (code ${code})`));
      socket.onopen = () => {
        if (socket.protocol !== SUBPROTOCOL) {
          fail(new ProtocolError(`the server at ${this.#url} does not speak ${SUBPROTOCOL} (it chose '${socket.protocol}')`));
          return;
        }
        const hello = encode(TYPE.HELLO, { version: VERSION, user: this.#user, token: this.#token, session: this.#session });
        const frame = new Uint8Array(12 + hello.length);
        const view = new DataView(frame.buffer);
        view.setUint8(0, TYPE.HELLO);
        view.setUint32(4, HELLO_ID, true);
        view.setUint32(8, hello.length, true);
        frame.set(hello, 12);
        socket.send(frame);
      };
      socket.onmessage = ({ data }) => {
        let messages;
        try {
          if (typeof data === 'string') throw new ProtocolError('the gateway sent a text message');
          messages = reader.read(new Uint8Array(data));
          if (messages.length === 0) return;  // the first part of a chunked answer: the rest follows
          const first = messages[0];
          // A refusal may carry id 0 when the gateway could not read HELLO's.
          const refusal = first.type === TYPE.ERROR && (first.id === HELLO_ID || first.id === 0);
          if (!refusal && (first.type !== TYPE.WELCOME || first.id !== HELLO_ID)) {
            throw new ProtocolError(`the gateway answered HELLO with ${TYPE_NAME[first.type] ?? first.type} for id ${first.id}`);
          }
          const answer = decode(first.type, first.body);
          if (answer.type === TYPE.ERROR) {
            fail(new GatewayError(`the gateway at ${this.#url} refused the connection: ${answer.message}`, { gatewayCode: answer.code }));
            return;
          }
          if (answer.version !== VERSION) throw new ProtocolError(`the gateway answered HELLO with version ${answer.version}`);
          settled = true;
          clearTimeout(timer);
          this.#attach(socket, reader, answer);
          resolve(answer);
        } catch (error) {
          fail(error instanceof ProtocolError ? error : new ProtocolError(String(error?.message ?? error), { cause: error }));
          return;
        }
        // Whatever followed WELCOME in its frame is handled like any later frame.
        this.#handle(messages.slice(1));
      };
    });
  }

  #attach(socket, reader, welcome) {
    this.#socket = socket;
    this.#outgoing = new OutgoingQueue(welcome);
    this.#welcome = welcome;
    this.#session = welcome.session;
    this.#lastHeard = Date.now();
    this.#lastSent = Date.now();
    socket.onmessage = ({ data }) => {
      if (this.#socket !== socket) return;
      this.#lastHeard = Date.now();
      let messages;
      try {
        if (typeof data === 'string') throw new ProtocolError('the gateway sent a text message');
        messages = reader.read(new Uint8Array(data));
      } catch (error) {
        this.#broken(error);
        return;
      }
      this.#handle(messages);
    };
    socket.onclose = ({ code }) => {
      if (this.#socket === socket) this.#dropped(`the socket closed (code ${code})`);
    };
    socket.onerror = () => {};  // onclose follows
  }

  // Takes the socket away from this connection; resolves nothing, sends nothing.
  #detach() {
    const socket = this.#socket;
    if (socket === null) return null;
    quiet(socket);
    this.#socket = null;
    this.#outgoing?.clear();
    clearTimeout(this.#drainTimer);
    this.#drainTimer = null;
    return socket;
  }

  #handle(messages) {
    for (const message of messages) {
      if (message.id === 0) {
        this.#connectionMessage(message);
        continue;
      }
      const entry = this.#pending.get(message.id);
      // A reply to a request given up on (aborted, or failed with the old session) has no one to go to.
      if (entry === undefined) continue;
      this.#pending.delete(message.id);
      let reply;
      try {
        reply = decode(message.type, message.body);
        if (reply.type !== TYPE.ERROR && !REPLIES[entry.type].includes(reply.type)) {
          throw new ProtocolError(`the gateway answered ${TYPE_NAME[entry.type]} with ${TYPE_NAME[reply.type]}`);
        }
      } catch (error) {
        entry.reject(new ProtocolError(`${entry.label}: ${error.message}`, { cause: error }));
        continue;
      }
      if (reply.type === TYPE.ERROR) {
        entry.reject(new GatewayError(`${entry.label}: ${reply.message}`, { gatewayCode: reply.code }));
      } else {
        entry.resolve(reply);
      }
    }
  }

  // Id 0 is about the connection as a whole: the keep-alive's PONG, or an ERROR the gateway could not pin on
  // a request (a frame it could not read). The latter means a request of ours may never be answered: the
  // socket is dropped so that the resume re-sends every pending request.
  #connectionMessage(message) {
    if (message.type === TYPE.PONG) return;
    let reason = `${TYPE_NAME[message.type]} for id 0`;
    if (message.type === TYPE.ERROR) {
      try {
        const error = decode(message.type, message.body);
        reason = `the gateway reported ${error.code} about the connection: ${error.message}`;
      } catch (error) {
        this.#broken(error);
        return;
      }
    }
    console.warn(`faasm.js: ${reason}; reconnecting`);
    this.#dropped(reason);
  }

  // The gateway broke the protocol: nothing it sends can be trusted, so the connection ends.
  #broken(error) {
    if (this.#state === 'closed' || this.#state === 'lost') return;
    this.#state = 'lost';
    this.#stopTimers();
    const reason = error?.message ?? String(error);
    this.#failAll(() => true, (entry) => new ProtocolError(`${entry.label}: its outcome is unknown, because ${reason}`, { cause: error }));
    const socket = this.#detach();
    if (socket?.readyState === OPEN) socket.close(1002, 'protocol error');
    this.#emit('lost', { reason });
  }

  #checkAlive() {
    if (this.#state !== 'open') return;
    const now = Date.now();
    const { pingAfterMs, deadAfterMs } = this.#keepAlive;
    if (now - this.#lastHeard >= deadAfterMs) {
      this.#dropped(`no word from the gateway for ${deadAfterMs} ms`);
    } else if (now - Math.max(this.#lastSent, this.#lastHeard) >= pingAfterMs) {
      this.#outgoing.push({ type: TYPE.PING, id: 0, body: encode(TYPE.PING, {}) });
      this.#scheduleFlush();
    }
  }

  // The socket is gone (closed, cut, silent or unusable): reconnect and resume.
  async #dropped(reason) {
    if (this.#state !== 'open') return;
    this.#state = 'reconnecting';
    abort(this.#detach());
    this.#emit('reconnecting', { reason });
    const { attempts, delayMs, maxDelayMs } = this.#reconnect;
    let lastError = new ConnectionLost(reason);
    let made = 0;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      // The first attempt at once (a cut connection to a healthy gateway), then backing off.
      if (attempt > 0) await wait(Math.min(delayMs * 2 ** (attempt - 1), maxDelayMs));
      if (this.#state !== 'reconnecting') return;  // closed meanwhile
      const before = this.#session;
      let welcome;
      made += 1;
      try {
        welcome = await this.#handshake();
      } catch (error) {
        lastError = error;
        if (this.#state !== 'reconnecting') return;
        if (error instanceof GatewayError || error instanceof ProtocolError) break;  // asking again gets the same answer
        continue;
      }
      if (this.#state !== 'reconnecting') {  // closed during the handshake
        this.#detach()?.close(1000, 'client closed');
        return;
      }
      this.#resume(welcome.resumed && welcome.session === before);
      return;
    }
    this.#state = 'lost';
    this.#stopTimers();
    const why = lastError.message;
    this.#failAll(() => true, (entry) => new ConnectionLost(`${entry.label}: the connection to the gateway at ${this.#url} was lost `
      + `and ${made === 1 ? '1 attempt' : `${made} attempts`} to reconnect failed (${why}); whether the request took effect is unknown`,
    { cause: lastError }));
    this.#emit('lost', { reason: why });
  }

  #resume(resumed) {
    this.#state = 'open';
    let failed = [];
    if (!resumed) {
      failed = this.#failAll((entry) => entry.delivered && !SAFE_AFTER_LOSS.has(entry.type),
        (entry) => new ConnectionLost(`${entry.label}: the connection to the gateway was lost and the gateway no longer has `
          + 'its session (it restarted, or the session expired); its outcome is unknown, and it is not repeated'));
    }
    // Re-sent with the same ids and bytes, in the order first made (a Map iterates in insertion order).
    for (const [id, entry] of this.#pending) {
      entry.delivered = false;
      this.#enqueue(id, entry);
    }
    if (resumed) this.#emit('resumed'); else this.#emit('open', { sessionLost: true, failed });
  }
}
