// Makes a Client for connect() and for worker mode's worker: browser-local without a URL; with a gateway's
// URL, once its WebSocket is open and the gateway has said WELCOME.
import { Client } from './client.js';
import { Connection } from './transport/connection.js';

/**
 * @param {string | undefined} url
 * @param {object} options checked connect options (client.js connectOptions)
 */
export async function createClient(url, options) {
  if (url === undefined) return new Client(options);
  const { user, token, webSocket, reconnect, keepAlive } = options;
  const connection = new Connection(url, { user, token, webSocket, reconnect, keepAlive });
  await connection.open();
  return new Client(options, { connection });
}
