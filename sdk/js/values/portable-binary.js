// Cereal's portable binary format (cereal 1.3, PortableBinaryOutputArchive; the C++ SDK writes it with
// include/faasmjs/serialization.hpp), for the values a schema (schema.js) describes.
//
// The wire, as cereal writes it:
//   value      := endianness value-data        endianness: one byte, 1 = little-endian data, 0 = big-endian
//   integers, floats: their bytes (IEEE 754 for floats), in the archive's byte order; bool: one byte, 0 or 1
//   string, bytes, vector: size (u64, the element count) then the elements; a vector<bool> one byte each
//   array<T, N>: the N elements, no size
//   map:       size (u64), then key, value for each entry in the container's order
//   optional:  one byte, 1 = EMPTY (cereal's "nullopt" flag), else 0 followed by the value
//   struct, tuple: the fields (elements) in order, nothing around them
// This writes little-endian, as cereal does on every machine faasm.js runs on, and reads both byte orders.
//
// Strict both ways. Encoding throws a TypeError (wrong kind of value, missing or unknown struct field) or a
// RangeError (an integer out of its type's range, a float that f32 would turn into Infinity), naming the
// field path. Decoding throws a DecodeError naming the field path and the offset: an empty input, an
// endianness byte other than 0 or 1, a value cut short, a size larger than the bytes left (so a forged size
// cannot make it allocate), a bool or optional flag other than 0 or 1, a string that is not UTF-8 (a JavaScript
// string cannot hold other bytes: describe them as t.bytes), a repeated map key (std::map would keep only the
// first), trailing bytes. The same inputs fail in the C++ SDK's CheckedInputArchive, except the last four,
// which C++ accepts without complaint.
import { DecodeError } from '../errors.js';
import { FLOATS, INTEGERS, describe, typeName } from './schema.js';

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const LITTLE_ENDIAN = 1;
const BIG_ENDIAN = 0;

// A path segment is a field name, an element index, or a map entry (its key, or the value under a key);
// they become words only for an error.
function pathText(segments) {
  return segments.map((segment) => {
    if (typeof segment === 'string') return `.${segment}`;
    if (typeof segment === 'number') return `[${segment}]`;
    if ('entry' in segment) return `<key of entry ${segment.entry}>`;
    const { key } = segment;
    return `[${typeof key === 'string' ? JSON.stringify(key) : typeof key === 'bigint' ? `${key}n` : String(key)}]`;
  }).join('');
}

function located(where, segments) {
  const path = pathText(segments);
  return path === '' ? where : `${where} at ${path}`;
}

const fieldNames = new WeakMap();

function namesOf(struct) {
  let names = fieldNames.get(struct);
  if (names === undefined) {
    names = new Set(struct.fields.map(([name]) => name));
    fieldNames.set(struct, names);
  }
  return names;
}

class Writer {
  #bytes = new Uint8Array(64);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;
  #where;
  #path = [];

  constructor(where) {
    this.#where = where;
  }

  #reserve(size) {
    if (this.#length + size <= this.#bytes.length) return;
    let capacity = this.#bytes.length * 2;
    while (capacity < this.#length + size) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }

  #fail(Type, message) {
    throw new Type(`${located(this.#where, this.#path)}: ${message}`);
  }

  #expected(what, value) {
    this.#fail(TypeError, `expected ${what}, got ${typeName(value)}`);
  }

  byte(value) {
    this.#reserve(1);
    this.#bytes[this.#length++] = value;
  }

  raw(bytes) {
    this.#reserve(bytes.length);
    this.#bytes.set(bytes, this.#length);
    this.#length += bytes.length;
  }

  size(count) {
    this.#reserve(8);
    this.#view.setBigUint64(this.#length, BigInt(count), true);
    this.#length += 8;
  }

  value(s, value) {
    const integer = INTEGERS[s.kind];
    if (integer !== undefined) return this.#integer(s, integer, value);
    if (FLOATS[s.kind] !== undefined) return this.#float(s, value);
    switch (s.kind) {
      case 'bool':
        if (typeof value !== 'boolean') this.#expected('true or false (bool)', value);
        return this.byte(value ? 1 : 0);
      case 'string': return this.#string(s, value);
      case 'bytes':
        if (!(value instanceof Uint8Array)) this.#expected('a Uint8Array (bytes)', value);
        this.size(value.length);
        return this.raw(value);
      case 'vector':
        if (!Array.isArray(value) && !isTypedArray(value)) this.#expected(`an array (${describe(s)})`, value);
        this.size(value.length);
        return this.#elements(s.element, value);
      case 'array':
        if (!Array.isArray(value) && !isTypedArray(value)) this.#expected(`an array (${describe(s)})`, value);
        if (value.length !== s.length) this.#fail(TypeError, `expected ${s.length} elements for ${describe(s)}, got ${value.length}`);
        return this.#elements(s.element, value);
      case 'map': return this.#map(s, value);
      case 'optional':
        if (value === null || value === undefined) return this.byte(1);
        this.byte(0);
        return this.value(s.value, value);
      case 'struct': return this.#struct(s, value);
      case 'tuple':
        if (!Array.isArray(value)) this.#expected(`an array (${describe(s)})`, value);
        if (value.length !== s.elements.length) {
          this.#fail(TypeError, `expected ${s.elements.length} elements for ${describe(s)}, got ${value.length}`);
        }
        for (let i = 0; i < value.length; i++) {
          this.#path.push(i);
          this.value(s.elements[i], value[i]);
          this.#path.pop();
        }
        return undefined;
      default: throw new Error(`unknown schema kind ${s.kind}`);
    }
  }

  #integer(s, { size, signed, min, max }, value) {
    this.#reserve(size);
    const at = this.#length;
    if (size === 8) {
      if (typeof value === 'number' && !Number.isSafeInteger(value)) {
        this.#fail(Number.isInteger(value) ? RangeError : TypeError, Number.isInteger(value)
          ? `${value} is not a safe integer: give ${s.kind} values beyond ±2^53 as BigInts`
          : `expected an integer for ${s.kind}, got ${value}`);
      }
      if (typeof value !== 'number' && typeof value !== 'bigint') this.#expected(`a BigInt or a safe integer (${s.kind})`, value);
      const big = BigInt(value);
      if (big < min || big > max) this.#fail(RangeError, `${value} is out of range for ${s.kind} (${min} to ${max})`);
      if (signed) this.#view.setBigInt64(at, big, true); else this.#view.setBigUint64(at, big, true);
    } else {
      if (typeof value !== 'number') this.#expected(`a number (${s.kind})`, value);
      if (!Number.isInteger(value)) this.#fail(TypeError, `expected an integer for ${s.kind}, got ${value}`);
      if (value < Number(min) || value > Number(max)) this.#fail(RangeError, `${value} is out of range for ${s.kind} (${min} to ${max})`);
      const set = { 1: signed ? 'setInt8' : 'setUint8', 2: signed ? 'setInt16' : 'setUint16', 4: signed ? 'setInt32' : 'setUint32' }[size];
      this.#view[set](at, value, true);
    }
    this.#length += size;
    return undefined;
  }

  #float(s, value) {
    if (typeof value !== 'number') this.#expected(`a number (${s.kind})`, value);
    if (s.kind === 'f32' && Number.isFinite(value) && !Number.isFinite(Math.fround(value))) {
      this.#fail(RangeError, `${value} is out of range for f32 (it would become Infinity)`);
    }
    const size = FLOATS[s.kind];
    this.#reserve(size);
    if (size === 4) this.#view.setFloat32(this.#length, value, true); else this.#view.setFloat64(this.#length, value, true);
    this.#length += size;
  }

  #string(s, value) {
    if (typeof value !== 'string') this.#expected('a string', value);
    if (!value.isWellFormed()) this.#fail(TypeError, 'the string has a lone surrogate, which UTF-8 cannot encode');
    const bytes = utf8.encode(value);
    this.size(bytes.length);
    this.raw(bytes);
  }

  #elements(element, values) {
    for (let i = 0; i < values.length; i++) {
      this.#path.push(i);
      this.value(element, values[i]);
      this.#path.pop();
    }
  }

  #map(s, value) {
    let entries;
    if (value instanceof Map) {
      entries = value;
    } else if (s.key.kind === 'string' && typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
      entries = Object.entries(value);
    } else {
      this.#expected(`${s.key.kind === 'string' ? 'a Map or an object' : 'a Map'} (${describe(s)})`, value);
    }
    this.size(entries instanceof Map ? entries.size : entries.length);
    let entry = 0;
    for (const [key, item] of entries) {
      this.#path.push({ entry });
      this.value(s.key, key);
      this.#path.pop();
      this.#path.push({ key });
      this.value(s.value, item);
      this.#path.pop();
      entry += 1;
    }
  }

  #struct(s, value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.#expected('an object (a struct)', value);
    const names = namesOf(s);
    for (const name of Object.keys(value)) {
      if (!names.has(name)) this.#fail(TypeError, `unknown field ${name} (the struct has ${[...names].join(', ') || 'no fields'})`);
    }
    for (const [name, field] of s.fields) {
      this.#path.push(name);
      const item = Object.hasOwn(value, name) ? value[name] : undefined;
      if (item === undefined && field.kind !== 'optional') this.#fail(TypeError, `missing field (${describe(field)})`);
      this.value(field, item);
      this.#path.pop();
    }
  }

  finish() {
    return this.#bytes.slice(0, this.#length);
  }
}

function isTypedArray(value) {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

class Reader {
  #bytes;
  #view;
  #at = 0;
  #little = true;
  #where;
  #path = [];

  constructor(bytes, where) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#where = where;
  }

  #fail(message, offset = this.#at) {
    const path = pathText(this.#path);
    throw new DecodeError(`${located(this.#where, this.#path)}: ${message}`, { path, offset });
  }

  #take(size) {
    const left = this.#bytes.length - this.#at;
    if (size > left) this.#fail(`needed ${size} bytes at offset ${this.#at} but only ${left} remain`);
    const at = this.#at;
    this.#at += size;
    return at;
  }

  endianness() {
    if (this.#bytes.length === 0) this.#fail('empty input: expected at least the endianness byte');
    const flag = this.#bytes[this.#take(1)];
    if (flag !== LITTLE_ENDIAN && flag !== BIG_ENDIAN) {
      this.#fail(`first byte ${flag} is not a cereal portable binary endianness flag (0 or 1)`, 0);
    }
    this.#little = flag === LITTLE_ENDIAN;
  }

  #flag(what) {
    const at = this.#take(1);
    const flag = this.#bytes[at];
    if (flag > 1) this.#fail(`${what} byte ${flag} at offset ${at} is neither 0 nor 1`, at);
    return flag === 1;
  }

  // Every element takes at least a byte (empty structs aside, which C++ refuses in the same way), so a size
  // above the bytes left is malformed: refusing it bounds what decoding allocates by the input's size.
  size() {
    const at = this.#take(8);
    const size = this.#view.getBigUint64(at, this.#little);
    const left = this.#bytes.length - this.#at;
    if (size > BigInt(left)) this.#fail(`container size ${size} at offset ${at} exceeds the ${left} bytes left`, at);
    return Number(size);
  }

  value(s) {
    const integer = INTEGERS[s.kind];
    if (integer !== undefined) return this.#integer(integer);
    if (FLOATS[s.kind] !== undefined) {
      return s.kind === 'f32' ? this.#view.getFloat32(this.#take(4), this.#little) : this.#view.getFloat64(this.#take(8), this.#little);
    }
    switch (s.kind) {
      case 'bool': return this.#flag('bool');
      case 'string': {
        const length = this.size();
        const at = this.#take(length);
        try {
          return strictUtf8.decode(this.#bytes.subarray(at, at + length));
        } catch {
          return this.#fail(`the string of ${length} bytes at offset ${at} is not valid UTF-8 (describe binary data as t.bytes)`, at);
        }
      }
      case 'bytes': {
        const length = this.size();
        const at = this.#take(length);
        return this.#bytes.slice(at, at + length);
      }
      case 'vector': return this.#elements(s.element, this.size());
      case 'array': return this.#elements(s.element, s.length);
      case 'map': return this.#map(s);
      case 'optional': return this.#flag('optional\'s empty flag') ? null : this.value(s.value);
      case 'struct': {
        const value = {};
        for (const [name, field] of s.fields) {
          this.#path.push(name);
          value[name] = this.value(field);
          this.#path.pop();
        }
        return value;
      }
      case 'tuple': return s.elements.map((element, i) => {
        this.#path.push(i);
        const value = this.value(element);
        this.#path.pop();
        return value;
      });
      default: throw new Error(`unknown schema kind ${s.kind}`);
    }
  }

  #integer({ size, signed }) {
    const at = this.#take(size);
    const view = this.#view;
    switch (size) {
      case 1: return signed ? view.getInt8(at) : view.getUint8(at);
      case 2: return signed ? view.getInt16(at, this.#little) : view.getUint16(at, this.#little);
      case 4: return signed ? view.getInt32(at, this.#little) : view.getUint32(at, this.#little);
      default: return signed ? view.getBigInt64(at, this.#little) : view.getBigUint64(at, this.#little);
    }
  }

  #elements(element, count) {
    const values = new Array(count);
    for (let i = 0; i < count; i++) {
      this.#path.push(i);
      values[i] = this.value(element);
      this.#path.pop();
    }
    return values;
  }

  #map(s) {
    const count = this.size();
    const map = new Map();
    for (let entry = 0; entry < count; entry++) {
      this.#path.push({ entry });
      const at = this.#at;
      const key = this.value(s.key);
      if (map.has(key)) this.#fail('repeats an earlier key (std::map would keep only the first)', at);
      this.#path.pop();
      this.#path.push({ key });
      map.set(key, this.value(s.value));
      this.#path.pop();
    }
    return map;
  }

  end() {
    const left = this.#bytes.length - this.#at;
    if (left !== 0) this.#fail(`${left} trailing bytes after the value`);
  }
}

/**
 * A value as cereal portable binary, always (even a string or bytes, which the SDK's codec rule sends raw at
 * the top level: see codec.js).
 * @param {string} [where] names the value in errors, e.g. "invoke('f') input"
 */
export function serialize(value, schema, where = 'value') {
  const writer = new Writer(where);
  writer.byte(LITTLE_ENDIAN);
  writer.value(schema, value);
  return writer.finish();
}

/** A TypeError unless `bytes` is a Uint8Array. */
export function checkBytes(bytes, where) {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${where}: expected a Uint8Array to decode, got ${typeName(bytes)}`);
}

/** The value `bytes` hold, which must be exactly one value of `schema` in cereal portable binary. */
export function deserialize(bytes, schema, where = 'value') {
  checkBytes(bytes, where);
  const reader = new Reader(bytes, where);
  reader.endianness();
  const value = reader.value(schema);
  reader.end();
  return value;
}
