// Schemas: what a typed value looks like, described in JavaScript the way the C++ type is written, so that the
// codec (portable-binary.js) knows which of cereal's encodings to read or write.
//
//   t.struct({ x: t.i32, name: t.string, tags: t.vector(t.string), extra: t.optional(t.f64) })
//
// is the C++ struct whose serialize() archives x, name, tags and extra in that order. A schema is frozen data,
// { kind, ... }, made only by `t`: the codec trusts what it holds (a struct's fields in order, a map's scalar
// key), so every check of the description happens here, once, when it is made.
//
// C++ type to schema: std::int8_t..std::int64_t and std::uint8_t..std::uint64_t are t.i8..t.u64 (64-bit values
// are BigInts in JavaScript); float and double t.f32 and t.f64; bool t.bool; std::string t.string;
// faasmjs::Bytes (std::vector<std::uint8_t>) t.bytes, a Uint8Array; std::vector<T> t.vector(T);
// std::array<T, N> t.array(T, N); std::map<K, V> and std::unordered_map<K, V> t.map(K, V); std::optional<T>
// t.optional(T); std::pair and std::tuple t.tuple(A, B, ...); an enum its underlying integer type.
// wasm32 has 32-bit long and std::size_t: describe them as t.i32 and t.u32, or better, use fixed-width types.

const made = new WeakSet();

function schema(fields) {
  const frozen = Object.freeze(fields);
  made.add(frozen);
  return frozen;
}

/** True for a schema made by `t`. */
export function isSchema(value) {
  return typeof value === 'object' && value !== null && made.has(value);
}

/** `value` if it is a schema made by `t`, else a TypeError naming `where`. */
export function checkSchema(value, where) {
  if (!isSchema(value)) {
    throw new TypeError(`${where} must be a schema made with t (e.g. t.i32, t.vector(t.string)), got ${typeName(value)}`);
  }
  return value;
}

/** Integer kinds: byte size, whether signed, and the range a value must fall in. */
export const INTEGERS = Object.freeze(Object.fromEntries([
  ['i8', 1, true], ['i16', 2, true], ['i32', 4, true], ['i64', 8, true],
  ['u8', 1, false], ['u16', 2, false], ['u32', 4, false], ['u64', 8, false],
].map(([kind, size, signed]) => {
  const bits = BigInt(size * 8);
  const min = signed ? -(1n << (bits - 1n)) : 0n;
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  return [kind, Object.freeze({ size, signed, min, max })];
})));

export const FLOATS = Object.freeze({ f32: 4, f64: 8 });

const SCALARS = ['bool', ...Object.keys(INTEGERS), ...Object.keys(FLOATS), 'string'];

// A struct's fields travel in the order the description object lists them, but JavaScript lists integer-like
// keys ("0", "42") first whatever order they were written in; and "__proto__" would set a decoded object's
// prototype instead of a field.
function checkFieldName(name) {
  if (/^(0|[1-9][0-9]*)$/.test(name) && Number(name) < 2 ** 32 - 1) {
    throw new TypeError(`t.struct: field name '${name}' is an integer, which JavaScript would move before the other fields`);
  }
  if (name === '__proto__') throw new TypeError('t.struct: a field cannot be named __proto__');
}

function checkLength(length) {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new TypeError(`t.array: the length must be a non-negative integer, got ${String(length)}`);
  }
  return length;
}

/** The schema vocabulary. */
export const t = Object.freeze({
  ...Object.fromEntries(SCALARS.map((kind) => [kind, schema({ kind })])),
  /** faasmjs::Bytes (std::vector<std::uint8_t>) as a Uint8Array. */
  bytes: schema({ kind: 'bytes' }),
  /** std::vector<T>: an array. */
  vector: (element) => schema({ kind: 'vector', element: checkSchema(element, 't.vector: the element') }),
  /** std::array<T, N>: an array of exactly N elements, written without a size. */
  array: (element, length) => schema({ kind: 'array', element: checkSchema(element, 't.array: the element'), length: checkLength(length) }),
  /** std::map<K, V> (or unordered_map): a Map; K is a bool, number or string schema, so that Map keys compare by value. */
  map: (key, value) => {
    checkSchema(key, 't.map: the key');
    if (!SCALARS.includes(key.kind)) {
      throw new TypeError(`t.map: the key must be a bool, integer, float or string schema (Map keys compare by value), got ${describe(key)}`);
    }
    return schema({ kind: 'map', key, value: checkSchema(value, 't.map: the value') });
  },
  /** std::optional<T>: the value, or null (undefined also encodes as empty). */
  optional: (value) => schema({ kind: 'optional', value: checkSchema(value, 't.optional: the value') }),
  /** A struct: its fields in the order its serialize() archives them, which is the order they are listed here. */
  struct: (fields) => {
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields) || isSchema(fields)) {
      throw new TypeError(`t.struct takes an object of field name → schema, got ${typeName(fields)}`);
    }
    return schema({
      kind: 'struct',
      fields: Object.freeze(Object.entries(fields).map(([name, field]) => {
        checkFieldName(name);
        return Object.freeze([name, checkSchema(field, `t.struct: field ${name}`)]);
      })),
    });
  },
  /** std::pair or std::tuple: an array of exactly these elements. */
  tuple: (...elements) => schema({
    kind: 'tuple',
    elements: Object.freeze(elements.map((element, i) => checkSchema(element, `t.tuple: element ${i}`))),
  }),
});

/** A schema in words, C++-like: 'vector<string>', 'struct { x: i32, extra: optional<f64> }'. */
export function describe(s) {
  switch (s.kind) {
    case 'vector': return `vector<${describe(s.element)}>`;
    case 'array': return `array<${describe(s.element)}, ${s.length}>`;
    case 'map': return `map<${describe(s.key)}, ${describe(s.value)}>`;
    case 'optional': return `optional<${describe(s.value)}>`;
    case 'tuple': return `tuple<${s.elements.map(describe).join(', ')}>`;
    case 'struct': return s.fields.length === 0 ? 'struct {}' : `struct { ${s.fields.map(([name, field]) => `${name}: ${describe(field)}`).join(', ')} }`;
    default: return s.kind;
  }
}

/** What a JavaScript value is, for messages: 'a string', 'null', 'an object', 'a Uint8Array'... */
export function typeName(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}
