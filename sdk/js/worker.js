// The worker side of worker mode (connect(url, { worker: true })): a module Web Worker that runs a client
// and answers the page's requests over postMessage, so that long computations never touch the page's thread.
// With a gateway's URL the worker owns the WebSocket (its own WebSocket constructor: one cannot be posted),
// so chained calls and state requests go from the worker to the gateway without passing through the page. Started as `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`
// by worker-client.js; serve() is exported so that the protocol can run over any MessagePort (tests).
//
// Protocol (version 1), one message per request or answer; every request carries an id, answered once:
//   page → worker   { type: 'connect', id, protocol: 1, url?, options } → value { suspension, user, gateway }
//                   { type: 'invoke', id, name, input, options }        → value: the invoke result
//                   { type: 'state', id, op: 'get'|'set'|'keys', key?, bytes? } → value
//                   { type: 'files', id, op: 'upload'|'get', path, bytes? } → value
//                   { type: 'upload', id, name, wasm }                  → value: the upload's answer
//                   { type: 'functions', id }                           → value: the gateway's functions
//                   { type: 'close', id }                               → value null
//   worker → page   { type: 'reply', id, value } or { type: 'reply', id, error: { code, name, message } }
//                   { type: 'event', event: 'progress'|'trace'|'connection', detail }
import { createClient } from './client-factory.js';
import { connectOptions } from './client.js';
import { ClientClosed, errorToJSON } from './errors.js';

export const PROTOCOL_VERSION = 1;

/**
 * Answers the page's requests arriving on port (a worker's global scope or a MessagePort).
 * @param {{ webSocket?: typeof WebSocket }} [local] what cannot come by postMessage: the WebSocket constructor
 *   for a gateway URL (default: the worker's own)
 */
export function serve(port, { webSocket } = {}) {
  let client = null;
  const reply = (id, value, transfer = []) => port.postMessage({ type: 'reply', id, value }, transfer);
  const fail = (id, error) => port.postMessage({ type: 'reply', id, error: errorToJSON(error) });

  const handlers = {
    async connect({ protocol, url, options }) {
      if (protocol !== PROTOCOL_VERSION) {
        throw new TypeError(`the page speaks worker protocol ${protocol}, this worker ${PROTOCOL_VERSION}: serve one sdk/js`);
      }
      client = await createClient(url, connectOptions({ ...options, worker: false, ...(webSocket ? { webSocket } : {}) }, url));
      for (const event of ['progress', 'trace', 'connection']) {
        client.addEventListener(event, ({ detail }) => port.postMessage({ type: 'event', event, detail }));
      }
      return { suspension: client.suspension, user: client.user, gateway: client.gateway };
    },
    async invoke({ name, input, options }) {
      const result = await connected().invoke(name, input, options);
      return [result, [result.output.buffer]];
    },
    async state({ op, key, bytes }) {
      const { state } = connected();
      if (op === 'get') return state.get(key);
      if (op === 'set') return state.set(key, bytes);
      if (op === 'keys') return state.keys();
      throw new TypeError(`unknown state operation ${op}`);
    },
    async files({ op, path, bytes }) {
      const { files } = connected();
      if (op === 'upload') return files.upload(path, bytes);
      if (op === 'get') return files.get(path);
      throw new TypeError(`unknown files operation ${op}`);
    },
    async upload({ name, wasm }) {
      return connected().upload(name, wasm);
    },
    async functions() {
      return connected().functions();
    },
    async close() {
      await client?.close();
      return null;
    },
  };

  function connected() {
    if (client === null) throw new ClientClosed('the worker has no client: connect first');
    return client;
  }

  port.addEventListener('message', async ({ data }) => {
    const handler = Object.hasOwn(handlers, data?.type) ? handlers[data.type] : undefined;
    if (handler === undefined) {
      fail(data?.id, new TypeError(`unknown worker message type ${String(data?.type)}`));
      return;
    }
    try {
      const answer = await handler(data);
      if (data.type === 'invoke') reply(data.id, ...answer); else reply(data.id, answer);
    } catch (error) {
      fail(data.id, error);
    }
  });
  port.start?.();
}

if (typeof WorkerGlobalScope === 'function' && globalThis instanceof WorkerGlobalScope) serve(globalThis);
