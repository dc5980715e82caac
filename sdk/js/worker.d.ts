// The worker side of worker mode; see worker.js for the message protocol.

import type { WebSocketConstructor } from './index.js';

export declare const PROTOCOL_VERSION: 1;

/**
 * Answers connect/invoke/state/upload/close requests arriving on port with a client (connected to a gateway
 * when the page's connect names one). `webSocket` is the constructor the worker's client uses for it
 * (default: the worker's own WebSocket; a constructor cannot travel by postMessage).
 */
export declare function serve(port: MessagePort | DedicatedWorkerGlobalScope,
  local?: { webSocket?: WebSocketConstructor }): void;
