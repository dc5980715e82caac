// faasm.js: run Faasm functions (one C++-compiled WebAssembly binary) in the browser, in a Web Worker or in
// Node. See docs/js-runtime.md.
import { createClient } from './client-factory.js';
import { connectOptions } from './client.js';

export {
  ClientClosed, ConnectionLost, FaasmError, FunctionNotFound, GatewayError, LoadError, ProtocolError, ReentrantCall,
  Timeout, Unsupported,
} from './errors.js';
export { jspiAvailable } from './suspension.js';

/**
 * The gateway's WebSocket URL for connect(url): a ws: or wss: URL as it is; in a page (or worker), any other
 * URL is resolved against the page's, and http: becomes ws:, https: wss:, so that '/ws' reaches the gateway
 * (or dev-server proxy) that served the page, encrypted when the page is.
 */
function gatewayUrl(url) {
  const text = url instanceof URL ? url.href : url;
  if (typeof text === 'string' && /^wss?:\/\//i.test(text)) return text;
  const page = globalThis.location?.href;
  if (typeof text === 'string' && page !== undefined) {
    const resolved = new URL(text, page);
    if (resolved.protocol === 'http:' || resolved.protocol === 'https:') {
      resolved.protocol = resolved.protocol === 'https:' ? 'wss:' : 'ws:';
      return resolved.href;
    }
  }
  throw new TypeError('connect: url must be undefined (browser-local), a gateway\'s ws:// or wss:// URL or, in a page, '
                      + `a URL relative to it such as '/ws', got ${String(url)}`);
}

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
