// The SDK's codec rule (include/faasmjs/codec.hpp), which decides how a typed value becomes the bytes of an
// input, an output or a state value: text and bytes travel raw, every other type is cereal portable binary.
// "Text and bytes" are, at the top level, std::string (t.string: its UTF-8) and faasmjs::Bytes, which is
// std::vector<std::uint8_t> (t.bytes or t.vector(t.u8): the bytes themselves); inside a struct or a container
// they are cereal like everything else. Outputs are one step more (output_encoding.hpp): a typed output that
// is not raw is its cereal bytes in the UTF-8-safe encoding (utf8-safe.js). Inputs and state are not.
import { DecodeError } from '../errors.js';
import { checkBytes, deserialize, serialize } from './portable-binary.js';
import { checkSchema } from './schema.js';
import { decodeUtf8Safe, encodeUtf8Safe } from './utf8-safe.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
// A raw value's bytes are its cereal bytes without the endianness byte and the u64 size.
const CEREAL_PREFIX = 9;

/** True when the C++ SDK sends a value of this schema raw: std::string and Bytes (std::vector<std::uint8_t>). */
export function travelsRaw(schema) {
  return schema.kind === 'string' || schema.kind === 'bytes' || (schema.kind === 'vector' && schema.element.kind === 'u8');
}

/** A value as the C++ SDK's encode<T> writes it: an input or a state value. */
export function encode(value, schema, where = 'value') {
  checkSchema(schema, `${where}: the schema`);
  const cereal = serialize(value, schema, where);
  return travelsRaw(schema) ? cereal.slice(CEREAL_PREFIX) : cereal;
}

/** What the C++ SDK's decode<T> reads from `bytes`: an input or a state value. Throws a DecodeError. */
export function decode(bytes, schema, where = 'value') {
  checkSchema(schema, `${where}: the schema`);
  checkBytes(bytes, where);
  if (!travelsRaw(schema)) return deserialize(bytes, schema, where);
  if (schema.kind === 'bytes') return bytes.slice();
  if (schema.kind === 'vector') return Array.from(bytes);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new DecodeError(`${where}: ${bytes.length} bytes that are not valid UTF-8 (describe binary data as t.bytes)`);
  }
}

/** A value as the C++ SDK's set_output writes it: raw, or cereal in the UTF-8-safe encoding. */
export function encodeOutput(value, schema, where = 'output') {
  const bytes = encode(value, schema, where);
  return travelsRaw(schema) ? bytes : encodeUtf8Safe(bytes);
}

/** What a call's output holds, as the C++ SDK's Call<T>::get() reads it. Throws a DecodeError. */
export function decodeOutput(bytes, schema, where = 'output') {
  checkSchema(schema, `${where}: the schema`);
  checkBytes(bytes, where);
  return travelsRaw(schema) ? decode(bytes, schema, where) : deserialize(decodeUtf8Safe(bytes, where), schema, where);
}
