// One multiplexed WebSocket to a faasm.js gateway (docs/protocol.md); see connection.js for the behaviour.
import type { ClientFields, ServerMessage, Welcome } from './codec.js';

export interface ReconnectOptions {
  /** How many times to try after a drop; the first at once. Default 5. */
  attempts?: number;
  /** The delay before the second attempt, doubling after each, in ms. Default 625. */
  delayMs?: number;
  /** The longest delay between attempts, in ms. Default 5000. */
  maxDelayMs?: number;
}

export interface KeepAliveOptions {
  /** A PING after this long without traffic either way, in ms. Default 15000. */
  pingAfterMs?: number;
  /** The socket counts as dropped after this long without a word from the gateway, in ms. Default 45000. */
  deadAfterMs?: number;
}

export declare const DEFAULT_RECONNECT: Readonly<Required<ReconnectOptions>>;
export declare const DEFAULT_KEEP_ALIVE: Readonly<Required<KeepAliveOptions>>;

/** Checks the options and fills in the defaults; a TypeError names a bad one. */
export declare function connectionOptions(options?: { reconnect?: ReconnectOptions; keepAlive?: KeepAliveOptions }):
  { reconnect: Required<ReconnectOptions>; keepAlive: Required<KeepAliveOptions> };

export declare class Connection extends EventTarget {
  constructor(url: string, options: {
    user: string;
    token?: string;
    webSocket?: new (url: string, protocols?: string | string[]) => WebSocket;
    reconnect?: ReconnectOptions;
    keepAlive?: KeepAliveOptions;
  });
  readonly welcome: Welcome | null;
  readonly state: 'connecting' | 'open' | 'reconnecting' | 'lost' | 'closed';
  readonly url: string;
  /** Opens the socket and says HELLO; rejects with GatewayError or ConnectionLost. */
  open(): Promise<void>;
  /**
   * Sends a request (coalesced with the others of this turn into one frame) and resolves with its reply.
   * Rejects with GatewayError (the gateway's ERROR), ConnectionLost, ProtocolError, ClientClosed, or the
   * signal's reason (an INVOKE already sent is then cancelled).
   */
  request<T extends keyof ClientFields>(type: T, fields: ClientFields[T],
    options?: { label?: string; signal?: AbortSignal }): Promise<ServerMessage>;
  /** Closes the socket (code 1000: the session ends); requests in flight reject with ClientClosed. */
  close(): void;
}
