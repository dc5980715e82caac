// The UTF-8-safe encoding of typed outputs (include/faasmjs/output_encoding.hpp): a function writes a typed
// output's cereal bytes with each byte as the code point of the same value (ISO-8859-1 read as Unicode, written
// as UTF-8), because Faasm's planner carries outputs as proto3 strings and aborts on one that is not valid
// UTF-8. A byte below 0x80 stays as it is; a byte b >= 0x80 becomes 0xC0 | b >> 6, 0x80 | (b & 0x3F).
// Decoding accepts exactly what the encoder writes, with the C++ SDK's messages.
import { DecodeError } from '../errors.js';

const hex = (byte) => `0x${byte.toString(16).padStart(2, '0')}`;

function refuse(where, byte, offset, why) {
  throw new DecodeError(`${where}: not a UTF-8-safe output: byte ${hex(byte)} at offset ${offset} ${why}`, { offset });
}

/** Any bytes as valid UTF-8 (code points U+0000-U+00FF). */
export function encodeUtf8Safe(raw) {
  let high = 0;
  for (const byte of raw) high += byte >> 7;
  const encoded = new Uint8Array(raw.length + high);
  let at = 0;
  for (const byte of raw) {
    if (byte < 0x80) {
      encoded[at++] = byte;
    } else {
      encoded[at++] = 0xC0 | (byte >> 6);
      encoded[at++] = 0x80 | (byte & 0x3F);
    }
  }
  return encoded;
}

/** The bytes encodeUtf8Safe made `encoded` from; anything it cannot have made is a DecodeError. */
export function decodeUtf8Safe(encoded, where = 'output') {
  const raw = new Uint8Array(encoded.length);
  let length = 0;
  for (let i = 0; i < encoded.length; i++) {
    const lead = encoded[i];
    if (lead < 0x80) {
      raw[length++] = lead;
      continue;
    }
    if (lead !== 0xC2 && lead !== 0xC3) refuse(where, lead, i, 'is not ASCII, 0xc2 or 0xc3');
    if (i + 1 === encoded.length) refuse(where, lead, i, 'is a lead byte at the end (truncated)');
    const next = encoded[i + 1];
    if ((next & 0xC0) !== 0x80) refuse(where, next, i + 1, `is not a continuation byte (0x80-0xbf) after ${hex(lead)}`);
    raw[length++] = ((lead & 0x03) << 6) | (next & 0x3F);
    i++;
  }
  return raw.slice(0, length);
}
