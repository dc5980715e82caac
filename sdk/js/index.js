// faasm.js: run Faasm functions (one C++-compiled WebAssembly binary) in the browser, in a Web Worker or in
// Node. See docs/js-runtime.md.
import { createClient } from './client-factory.js';
import { connectOptions } from './client.js';
import { gatewayUrl } from './gateway-url.js';

export {
  ClientClosed, ConnectionLost, DecodeError, FaasmError, FunctionNotFound, GatewayError, LoadError, ProtocolError,
  ReentrantCall, Timeout, Unsupported,
} from './errors.js';
export { splitBacktrace } from './backtrace.js';
export { jspiAvailable } from './suspension.js';

/**
 * A client for running functions.
 * @param {string | URL | undefined} url undefined: everything runs here (browser-local); a gateway's
 *   ws://host:port/ws, or in a page '/ws': calls may also run in its cluster, which shares state with this client
 * @param {object} options see docs/js-runtime.md
 */
export async function connect(url, options = {}) {
  const gateway = url === undefined ? undefined : gatewayUrl(url);
  const checked = connectOptions(options, gateway);
  if (checked.worker) {
    const { connectWorker } = await import('./worker-client.js');
    return connectWorker(checked, gateway);
  }
  return createClient(gateway, checked);
}
