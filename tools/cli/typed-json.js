// Typed values on a command line: --type TYPE (sdk/js/values/schema-text.js) names the C++ type, and the value
// is JSON. 64-bit integers print as exact JSON numbers and may be given as numbers or digit strings; bytes are
// base64; a map with string keys is an object, any other map an array of [key, value] pairs; an optional is
// null or its value; a struct an object of its fields.
import { UsageError } from './args.js';
import { decode, describe, encode, parseSchema } from './sdk.js';

/** The schema of a --type option, or undefined when it was not given. */
export function typeOption(text, option) {
  if (text === undefined) return undefined;
  try {
    return parseSchema(text);
  } catch (error) {
    throw new UsageError(`${option}: ${error.message}`);
  }
}

const BIG = new Set(['i64', 'u64']);
// parseJson's mark on an integer of the JSON text (a private-use character), which JSON.parse would round
// beyond 2^53.
const MARK = '\ue000';
const INTEGER = /^\ue000-?(0|[1-9][0-9]*)$/;

// JSON (as JSON.parse gives it, with 64-bit integers kept as text: see parseJson) to what the codec encodes.
function fromJson(json, schema, path) {
  const wrong = (expected) => {
    const given = JSON.stringify(json, (key, v) => (typeof v === 'string' && INTEGER.test(v) ? Number(v.slice(1)) : v));
    throw new Error(`${path}: expected ${expected} (${describe(schema)}), got ${given}`);
  };
  switch (schema.kind) {
    case 'bool': return typeof json === 'boolean' ? json : wrong('true or false');
    case 'string': return typeof json === 'string' && !INTEGER.test(json) ? json : wrong('a string');
    case 'f32': case 'f64':
      if (typeof json === 'string' && INTEGER.test(json)) return Number(json.slice(1));
      return typeof json === 'number' ? json : wrong('a number');
    case 'bytes':
      if (typeof json !== 'string') wrong('base64 text');
      return new Uint8Array(Buffer.from(json, 'base64'));
    case 'vector': case 'array':
      if (!Array.isArray(json)) wrong('an array');
      return json.map((element, i) => fromJson(element, schema.element, `${path}[${i}]`));
    case 'tuple':
      if (!Array.isArray(json) || json.length !== schema.elements.length) wrong(`an array of ${schema.elements.length}`);
      return json.map((element, i) => fromJson(element, schema.elements[i], `${path}[${i}]`));
    case 'optional': return json === null ? null : fromJson(json, schema.value, path);
    case 'struct':
      if (typeof json !== 'object' || json === null || Array.isArray(json)) wrong('an object');
      for (const name of Object.keys(json)) {
        if (!schema.fields.some(([field]) => field === name)) throw new Error(`${path}: ${describe(schema)} has no field '${name}'`);
      }
      return Object.fromEntries(schema.fields.map(([name, field]) => [name, fromJson(json[name] ?? null, field, `${path}.${name}`)]));
    case 'map': {
      const pairs = schema.key.kind === 'string' && !Array.isArray(json)
        ? Object.entries(typeof json === 'object' && json !== null ? json : wrong('an object'))
        : Array.isArray(json) ? json : wrong('an array of [key, value] pairs');
      return new Map(pairs.map((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2) wrong('[key, value] pairs');
        return [fromJson(pair[0], schema.key, `${path} key ${i}`), fromJson(pair[1], schema.value, `${path}[${JSON.stringify(pair[0])}]`)];
      }));
    }
    default: {
      // Digits in a JSON string are an integer too: a 64-bit one is often written so.
      const text = typeof json === 'string' && !json.startsWith(MARK) ? MARK + json : json;
      if (typeof text !== 'string' || !INTEGER.test(text)) wrong('an integer');
      return BIG.has(schema.kind) ? BigInt(text.slice(1)) : Number(text.slice(1));
    }
  }
}

// Integers of the JSON text become marked strings before JSON.parse, so that a 64-bit one keeps every digit.
function parseJson(text, what) {
  const quoted = text.replace(/("(?:[^"\\]|\\.)*")|(?<![\d.eE+-])(-?\d+)(?![\d.eE])/g,
    (match, string, integer) => (string ?? `"\\ue000${integer}"`));
  try {
    return JSON.parse(quoted);
  } catch (error) {
    throw new Error(`${what} is not JSON: ${error.message}`, { cause: error });
  }
}

/** The bytes of a value given as JSON text, as the C++ SDK's decode<T> reads them. */
export function encodeJson(bytes, schema, what) {
  const json = parseJson(new TextDecoder().decode(bytes), what);
  return encode(fromJson(json, schema, what), schema, what);
}

// What the codec decoded, as JSON text: 64-bit integers exact, bytes base64, maps as above.
function toJson(value, schema) {
  switch (schema.kind) {
    case 'i64': case 'u64': return String(value);
    case 'bytes': return JSON.stringify(Buffer.from(value).toString('base64'));
    case 'vector': case 'array': return `[${value.map((element) => toJson(element, schema.element)).join(',')}]`;
    case 'tuple': return `[${value.map((element, i) => toJson(element, schema.elements[i])).join(',')}]`;
    case 'optional': return value === null ? 'null' : toJson(value, schema.value);
    case 'struct': return `{${schema.fields.map(([name, field]) => `${JSON.stringify(name)}:${toJson(value[name], field)}`).join(',')}}`;
    case 'map': {
      const entries = [...value.entries()];
      if (schema.key.kind === 'string') return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${toJson(v, schema.value)}`).join(',')}}`;
      return `[${entries.map(([key, v]) => `[${toJson(key, schema.key)},${toJson(v, schema.value)}]`).join(',')}]`;
    }
    default: return JSON.stringify(value);
  }
}

/** A value's bytes decoded as `schema`, as JSON text; a decoding failure is an Error naming `what`. */
export function decodeJson(bytes, schema, what, decodeBytes = decode) {
  return toJson(decodeBytes(bytes, schema, what), schema);
}
