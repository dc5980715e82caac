// The gateway a command talks to: its address (--gateway, FAASMJS_GATEWAY, else the gateway's own default
// 127.0.0.1:8080), who the command is (--token, --token-file, FAASMJS_TOKEN, or a token minted with
// --key-file for --user), and the one WebSocket session the command runs on, made by sdk/js's Connection so
// that the wire format is the SDK's. Works the same against the embedded cluster and, through the gateway,
// against Faasm: the command only ever speaks faasmjs.v1.
//
// The socket is metered: what a command has handed the socket, less what the socket still buffers, is what
// has left for the gateway, which is how an upload's progress is counted.
import { readFileSync } from 'node:fs';

import { UsageError } from './args.js';
import { Client, Connection, mintToken, readTokenKey } from './sdk.js';

export const DEFAULT_GATEWAY = 'ws://127.0.0.1:8080/ws';
const DEFAULT_PORT = 8080;
const ROLES = ['invoke', 'upload', 'admin'];
// A minted token lives as long as one command might: an upload that compiles for minutes.
const MINTED_TTL_SECONDS = 3600;
const CLOSE_WAIT_MS = 1000;
const CLOSED = 3;

export const CONNECTION_OPTIONS = {
  gateway: { value: 'URL', help: `the gateway: ws://HOST:PORT/ws, http://HOST:PORT or HOST:PORT (env FAASMJS_GATEWAY; default ${DEFAULT_GATEWAY})` },
  token: { value: 'TOKEN', help: 'a token of the gateway (env FAASMJS_TOKEN): `faasmjs-gateway token` prints one' },
  'token-file': { value: 'FILE', help: 'read the token from FILE (keeps it out of the process list)' },
  'key-file': { value: 'FILE', help: 'mint a token with the gateway\'s --token-key-file key, for --user with --role' },
  role: { value: 'ROLE', help: 'the role of a minted token: invoke, upload (default) or admin' },
  user: { value: 'NAME', help: 'the session\'s user (state namespace); default the token\'s, else faasmjs' },
};

/** A gateway address as the WebSocket URL of its endpoint. */
export function gatewayUrl(text, where) {
  const bad = () => new UsageError(`${where}: '${text}' is not a gateway address (ws://HOST:PORT/ws, http://HOST:PORT or HOST:PORT)`);
  const bare = !/^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url;
  try {
    url = new URL(bare ? `ws://${text}` : text);
  } catch {
    throw bad();
  }
  const secure = { 'ws:': false, 'http:': false, 'wss:': true, 'https:': true }[url.protocol];
  if (secure === undefined || url.hostname === '') throw bad();
  url.protocol = secure ? 'wss:' : 'ws:';
  // HOST alone is the gateway's default port; a URL without one has its scheme's.
  if (bare && !/^(\[[^\]]*\]|[^:/]*):\d/.test(text)) url.port = String(DEFAULT_PORT);
  if (url.pathname === '/') url.pathname = '/ws';
  url.search = '';
  url.hash = '';
  return url.href;
}

function readToken(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`--token-file: cannot read ${file}: ${error.code ?? error.message}`);
  }
}

// Who the session is: the token (given, read or minted) and the user HELLO names.
function identity(options, env) {
  const sources = ['token', 'token-file', 'key-file'].filter((name) => options[name] !== undefined);
  if (sources.length > 1) throw new UsageError(`--${sources[0]} and --${sources[1]} both give a token: pass one`);
  if (options.role !== undefined && options['key-file'] === undefined) throw new UsageError('--role is for a token minted with --key-file');
  if (options['key-file'] !== undefined) {
    const role = options.role ?? 'upload';
    if (!ROLES.includes(role)) throw new UsageError(`--role must be ${ROLES.join(', ')}, got '${role}'`);
    const user = options.user ?? 'faasmjs';
    let key;
    try {
      key = readTokenKey(options['key-file']);
    } catch (error) {
      throw new UsageError(`--key-file: cannot read ${options['key-file']}: ${error.code ?? error.message}`);
    }
    try {
      return { user, token: mintToken({ key, user, role, ttlSeconds: MINTED_TTL_SECONDS }) };
    } catch (error) {
      throw new UsageError(`--key-file: ${error.message.replace(/^mintToken: /, '')}`);
    }
  }
  const token = options.token ?? (options['token-file'] !== undefined ? readToken(options['token-file']) : env.FAASMJS_TOKEN ?? '');
  // An fjs1 token names its user; a JWT does not, so its user comes from --user (the gateway checks it).
  const parts = token.split('.');
  const tokenUser = parts.length === 5 && parts[0] === 'fjs1' ? parts[1] : undefined;
  return { user: options.user ?? tokenUser ?? 'faasmjs', token };
}

/** A WebSocket class that counts the bytes its instances were handed to send. */
function meteredWebSocket(meter) {
  const Base = globalThis.WebSocket;
  return class MeteredWebSocket extends Base {
    constructor(url, protocols) {
      super(url, protocols);
      meter.socket = this;
    }

    send(data) {
      meter.handed += data.byteLength;
      super.send(data);
    }
  };
}

/**
 * Opens a session with the gateway.
 * @returns {Promise<Session>}
 */
export async function openSession(options, env = process.env) {
  const url = options.gateway !== undefined ? gatewayUrl(options.gateway, '--gateway')
    : env.FAASMJS_GATEWAY ? gatewayUrl(env.FAASMJS_GATEWAY, 'FAASMJS_GATEWAY') : DEFAULT_GATEWAY;
  const { user, token } = identity(options, env);
  const meter = { handed: 0, socket: null };
  // A command is short: after a drop it tries again once at once and once more a second later, then fails.
  const connection = new Connection(url, {
    user, token, webSocket: meteredWebSocket(meter), reconnect: { attempts: 2, delayMs: 1000 },
  });
  try {
    await connection.open();
  } catch (error) {
    // What to do about the two refusals a first command meets.
    if (error.name === 'ConnectionLost') error.message += ' (is a gateway running there? --gateway or FAASMJS_GATEWAY names it)';
    if (error.gatewayCode === 'BadToken' && token === '') error.message += ' (pass one with --token, --token-file, FAASMJS_TOKEN or --key-file)';
    throw error;
  }
  return new Session(connection, { user, token, url, meter });
}

export class Session {
  #client = null;

  constructor(connection, { user, token, url, meter }) {
    this.connection = connection;
    this.user = user;
    this.url = url;
    this.token = token;
    this.meter = meter;
  }

  /** Bytes that have left for the gateway so far (handed to the socket and no longer buffered there). */
  get bytesSent() {
    return this.meter.handed - (this.meter.socket?.bufferedAmount ?? 0);
  }

  /** Sends a request (sdk/js Connection.request) and resolves with its reply. */
  request(type, fields, label) {
    return this.connection.request(type, fields, { label });
  }

  /** An SDK client on this session, for calls here or in the cluster (made once). */
  client() {
    this.#client ??= new Client({ user: this.user, token: this.token, stdout: 'capture', where: 'cluster' },
      { connection: this.connection });
    return this.#client;
  }

  /**
   * Ends the session with close code 1000, which tells the gateway to forget it at once, and waits (briefly)
   * for the socket to close: a process that exits before its close frame left would leave the session
   * waiting for a resume that never comes, and a script of many commands would pile them up.
   */
  async close() {
    const socket = this.meter.socket;
    const closed = socket === null || socket.readyState === CLOSED ? Promise.resolve()
      : new Promise((resolve) => socket.addEventListener('close', resolve, { once: true }));
    if (this.#client !== null) await this.#client.close(); else this.connection.close();
    let timer;
    await Promise.race([closed, new Promise((resolve) => { timer = setTimeout(resolve, CLOSE_WAIT_MS); })]);
    clearTimeout(timer);
  }
}
