// faasm.js: run Faasm functions (one C++-compiled WebAssembly binary) in the browser, in a Web Worker or in
// Node. See docs/js-runtime.md.
import { createClient } from './client-factory.js';
import { connectOptions } from './client.js';

export {
  ClientClosed, ConnectionLost, DecodeError, FaasmError, FunctionNotFound, GatewayError, LoadError, ProtocolError,
  ReentrantCall, Timeout, Unsupported,
} from './errors.js';
export { jspiAvailable } from './suspension.js';

/**
 * A client for running functions.
 * @param {string | undefined} url undefined: everything runs here (browser-local); a gateway's
 *   ws://host:port/ws: calls may also run in its cluster, which shares state with this client
 * @param {object} options see docs/js-runtime.md
 */
export async function connect(url, options = {}) {
  if (url !== undefined && !(typeof url === 'string' && /^wss?:\/\//i.test(url))) {
    throw new TypeError(`connect: url must be undefined (browser-local) or a gateway's ws:// or wss:// URL, got ${String(url)}`);
  }
  const checked = connectOptions(options, url);
  if (checked.worker) {
    const { connectWorker } = await import('./worker-client.js');
    return connectWorker(checked, url);
  }
  return createClient(url, checked);
}
