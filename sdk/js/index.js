// faasm.js: run Faasm functions (one C++-compiled WebAssembly binary) in the browser, in a Web Worker or in
// Node. See docs/js-runtime.md.
import { Client, connectOptions } from './client.js';
import { Unsupported } from './errors.js';

export {
  ClientClosed, FaasmError, FunctionNotFound, LoadError, ReentrantCall, Timeout, Unsupported,
} from './errors.js';
export { jspiAvailable } from './suspension.js';

/**
 * A client for running functions.
 * @param {string | undefined} url undefined: everything runs here (browser-local); a cluster URL comes with
 *   the gateway
 * @param {object} options see docs/js-runtime.md
 */
export async function connect(url, options = {}) {
  if (url !== undefined) {
    if (typeof url === 'string' && /^wss?:/i.test(url)) {
      throw new Unsupported(`connect('${url}'): connecting to a faasm.js gateway is not available yet; `
                            + 'pass undefined to run functions browser-locally');
    }
    throw new TypeError(`connect: url must be undefined (browser-local) or a ws:// URL, got ${String(url)}`);
  }
  const checked = connectOptions(options);
  if (checked.worker) {
    const { connectWorker } = await import('./worker-client.js');
    return connectWorker(checked);
  }
  return new Client(checked);
}
