// faasmjs/values: typed values for inputs, outputs and state, in the bytes the C++ SDK reads and writes
// (cereal portable binary, by the SDK's codec rule). See docs/js-runtime.md, "Typed values".
export { t, isSchema, describe } from './schema.js';
export { parseSchema } from './schema-text.js';
export { serialize, deserialize } from './portable-binary.js';
export { encode, decode, encodeOutput, decodeOutput, travelsRaw } from './codec.js';
export { encodeUtf8Safe, decodeUtf8Safe } from './utf8-safe.js';
export { DecodeError } from '../errors.js';
