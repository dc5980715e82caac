// Typed values in a client's calls (faasmjs/values): invoke's options.input and options.output, and a schema
// as the last argument of state.get and state.set. The client here (client.js) and the page side of worker
// mode (worker-client.js) both wrap their bytes API with these, so that without a schema nothing changes and
// in worker mode values are encoded and decoded on the page, where the schema is: only bytes cross to the
// worker, as before.
import { decode, decodeOutput, encode } from './values/codec.js';
import { checkSchema } from './values/schema.js';

/**
 * invoke(name, input, options) with options.input (the schema `input` is encoded with) and options.output (the
 * schema the output is decoded with, as result.value; undefined when the call failed, since a failed call's
 * output is its error text). `invokeBytes` is the client's invoke without them.
 */
export async function invokeTyped(invokeBytes, name, input, options = {}) {
  if (options === null || typeof options !== 'object') return invokeBytes(name, input, options);
  const { input: inputSchema, output: outputSchema, ...rest } = options;
  const call = `invoke('${name}')`;
  if (outputSchema !== undefined) checkSchema(outputSchema, `${call}: options.output`);
  if (inputSchema !== undefined) checkSchema(inputSchema, `${call}: options.input`);
  const bytes = inputSchema === undefined ? input : encode(input, inputSchema, `${call} input`);
  const result = await invokeBytes(name, bytes, rest);
  if (outputSchema === undefined) return result;
  return { ...result, value: result.returnValue === 0 ? decodeOutput(result.output, outputSchema, `${call} output`) : undefined };
}

/** The state inspector over `bytes` ({ get(key), set(key, bytes), keys() }), with an optional schema per call. */
export function typedState(bytes) {
  return Object.freeze({
    async get(key, schema) {
      if (schema === undefined) return bytes.get(key);
      checkSchema(schema, `state.get('${key}'): the schema`);
      const stored = await bytes.get(key);
      return stored === null ? null : decode(stored, schema, `state key '${key}'`);
    },
    async set(key, value, schema) {
      if (schema === undefined) return bytes.set(key, value);
      return bytes.set(key, encode(value, schema, `state.set('${key}')`));
    },
    keys: () => bytes.keys(),
  });
}
