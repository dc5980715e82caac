// faasmjs/values alone (no binaries): schemas, cereal's portable binary byte for byte against bytes written out
// by hand from cereal 1.3's sources, both byte orders, the codec rule (text and bytes raw at the top level), the
// UTF-8-safe output encoding, every strict refusal with the field path, and the package's ./values export. The
// round trips with C++ are in typed.test.mjs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DecodeError, FaasmError } from '../../../sdk/js/index.js';
import {
  decode, decodeOutput, decodeUtf8Safe, describe as describeSchema, deserialize, encode, encodeOutput, encodeUtf8Safe,
  isSchema, parseSchema, serialize, t, travelsRaw,
} from '../../../sdk/js/values/index.js';

const sdkDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../sdk/js');
const bytes = (...parts) => new Uint8Array(parts.map((part) => (ArrayBuffer.isView(part) ? [...part] : part)).flat(Infinity));
// cereal's size tag: a u64, little-endian.
const size = (n) => [n, 0, 0, 0, 0, 0, 0, 0];
const ascii = (text) => [...text].map((c) => c.charCodeAt(0));

describe('schemas', () => {
  it('describe C++ types, in field order', () => {
    const s = t.struct({ x: t.i32, name: t.string, tags: t.vector(t.string), extra: t.optional(t.f64),
      scores: t.map(t.string, t.u64), at: t.array(t.f32, 3), pair: t.tuple(t.u16, t.bytes), nested: t.struct({}) });
    assert.equal(describeSchema(s), 'struct { x: i32, name: string, tags: vector<string>, extra: optional<f64>, '
      + 'scores: map<string, u64>, at: array<f32, 3>, pair: tuple<u16, bytes>, nested: struct {} }');
    assert.ok(isSchema(s) && isSchema(t.bool) && Object.isFrozen(s));
    assert.ok(!isSchema({ kind: 'i32' }));
  });

  it('refuse what they cannot describe faithfully', () => {
    assert.throws(() => t.vector({ kind: 'i32' }), /t.vector: the element must be a schema made with t .*got an object/);
    assert.throws(() => t.struct({ a: t.i32, 7: t.i32 }), /field name '7' is an integer, which JavaScript would move before/);
    assert.throws(() => t.struct(JSON.parse('{"__proto__": 1}')), /cannot be named __proto__/);
    assert.throws(() => t.struct({ a: 'i32' }), /t.struct: field a must be a schema/);
    assert.throws(() => t.struct(t.i32), /t.struct takes an object/);
    assert.throws(() => t.map(t.struct({}), t.i32), /the key must be a bool, integer, float or string schema .*got struct \{\}/);
    assert.throws(() => t.array(t.i8, -1), /non-negative integer/);
    assert.throws(() => t.tuple(t.i8, null), /t.tuple: element 1 must be a schema/);
  });
});

describe('schemas as text', () => {
  it('parseSchema reads what describe writes, spaces or none', () => {
    const s = t.struct({ x: t.i32, name: t.string, tags: t.vector(t.string), extra: t.optional(t.f64),
      scores: t.map(t.string, t.u64), at: t.array(t.f32, 3), pair: t.tuple(t.u16, t.bytes), nested: t.struct({}),
      deep: t.map(t.i64, t.vector(t.struct({ flag: t.bool }))) });
    const text = describeSchema(s);
    assert.deepEqual(parseSchema(text), s);
    assert.deepEqual(parseSchema(text.replace(/ /g, '')), s);
    assert.ok(isSchema(parseSchema('u8')) && parseSchema('u8') === t.u8);
    // The same bytes as the schema it describes.
    assert.deepEqual(encode([1, 'a'], parseSchema('tuple<i8, string>')), encode([1, 'a'], t.tuple(t.i8, t.string)));
  });

  it('refuse text that is not a schema, saying where', () => {
    const refusals = [
      ['', /type '': expected a type at the end/],
      ['vector<', /expected a type at the end/],
      ['vec<i32>', /unknown type 'vec' \(known: bool, .*struct\) at character 1/],
      ['array<i32, x>', /expected a length at character 12/],
      ['struct { a: i32, a: i32 }', /field 'a' twice at character 18/],
      ['i32 i32', /unexpected text after the type at character 5/],
      ['map<struct {}, i32>', /type 'map<struct \{\}, i32>': t.map: the key must be a bool, integer, float or string schema/],
      ['struct { 7: i32 }', /expected a field name at character 10/],
      ['i32$', /unexpected '\$' at character 4/],
    ];
    for (const [text, message] of refusals) assert.throws(() => parseSchema(text), message, text);
    assert.throws(() => parseSchema(t.i32), /a type must be text/);
  });
});

describe('portable binary, byte for byte', () => {
  const cases = [
    ['bool', t.bool, true, bytes(1, 1)],
    ['i8', t.i8, -2, bytes(1, 0xFE)],
    ['u16', t.u16, 0x0102, bytes(1, 2, 1)],
    ['i32', t.i32, -2, bytes(1, 0xFE, 0xFF, 0xFF, 0xFF)],
    ['u32', t.u32, 0xFFFFFFFF, bytes(1, 0xFF, 0xFF, 0xFF, 0xFF)],
    ['i64', t.i64, -(2n ** 63n), bytes(1, 0, 0, 0, 0, 0, 0, 0, 0x80)],
    ['u64', t.u64, 2n ** 64n - 1n, bytes(1, Array(8).fill(0xFF))],
    ['f32', t.f32, 1.5, bytes(1, 0, 0, 0xC0, 0x3F)],
    ['f64', t.f64, -2, bytes(1, 0, 0, 0, 0, 0, 0, 0, 0xC0)],
    ['string (cereal inside, raw only at the top level)', t.tuple(t.string), ['hé'], bytes(1, size(3), 0x68, 0xC3, 0xA9)],
    ['bytes', t.tuple(t.bytes), [new Uint8Array([0, 255])], bytes(1, size(2), 0, 255)],
    ['vector of numbers', t.vector(t.i16), [1, -1], bytes(1, size(2), 1, 0, 0xFF, 0xFF)],
    ['vector<bool>, a byte each', t.vector(t.bool), [true, false, true], bytes(1, size(3), 1, 0, 1)],
    ['array: no size', t.array(t.u16, 2), [1, 2], bytes(1, 1, 0, 2, 0)],
    ['map: size, then key, value', t.map(t.string, t.u8), new Map([['b', 2], ['a', 1]]),
      bytes(1, size(2), size(1), ascii('b'), 2, size(1), ascii('a'), 1)],
    ['optional, empty: cereal\'s flag is "nullopt", 1', t.optional(t.i32), null, bytes(1, 1)],
    ['optional, engaged: 0 then the value', t.optional(t.i32), 5, bytes(1, 0, 5, 0, 0, 0)],
    ['tuple (std::pair)', t.tuple(t.u8, t.string), [7, 'ab'], bytes(1, 7, size(2), ascii('ab'))],
    ['struct: fields in order, nothing around them', t.struct({ words: t.u32, letters: t.u32, tags: t.vector(t.string) }),
      { words: 2, letters: 9, tags: ['x'] }, bytes(1, 2, 0, 0, 0, 9, 0, 0, 0, size(1), size(1), ascii('x'))],
    ['empty struct', t.struct({}), {}, bytes(1)],
  ];
  for (const [name, schema, value, wire] of cases) {
    it(name, () => {
      assert.deepEqual(serialize(value, schema), wire);
      assert.deepEqual(deserialize(wire, schema), value);
    });
  }

  it('decodes big-endian data (endianness byte 0), as cereal writes it on a big-endian machine', () => {
    const schema = t.struct({ x: t.i32, big: t.u64, f: t.f64, tags: t.vector(t.string) });
    const wire = bytes(0, 0xFF, 0xFF, 0xFF, 0xFE, 0, 0, 0, 0, 0, 0, 1, 0, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0,
      [0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 2], ascii('hi'));
    assert.deepEqual(deserialize(wire, schema), { x: -2, big: 256n, f: 1.5, tags: ['hi'] });
  });

  it('decodes to plain values: numbers, BigInts for 64 bits, null for an empty optional, Maps, Uint8Arrays', () => {
    const schema = t.struct({ a: t.i64, b: t.optional(t.string), c: t.map(t.u32, t.bool), d: t.bytes });
    const value = deserialize(serialize({ a: 5, c: new Map([[1, true]]), d: new Uint8Array([9]) }, schema), schema);
    assert.deepEqual(value, { a: 5n, b: null, c: new Map([[1, true]]), d: new Uint8Array([9]) });
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  it('encodes what is convenient: a map with string keys as an object, a vector from a typed array, safe numbers as i64', () => {
    assert.deepEqual(serialize({ a: 1 }, t.map(t.string, t.u8)), serialize(new Map([['a', 1]]), t.map(t.string, t.u8)));
    assert.deepEqual(serialize(new Float32Array([1.5]), t.vector(t.f32)), serialize([1.5], t.vector(t.f32)));
    assert.deepEqual(serialize(-1, t.i64), serialize(-1n, t.i64));
  });
});

describe('encoding refuses values that do not fit, naming the path', () => {
  const schema = t.struct({
    id: t.u8, name: t.string, tags: t.vector(t.string), scores: t.map(t.string, t.i16), big: t.i64, ratio: t.f32,
    items: t.vector(t.struct({ on: t.bool })), at: t.array(t.u8, 2), extra: t.optional(t.f64),
  });
  const good = { id: 1, name: 'n', tags: [], scores: {}, big: 0n, ratio: 0, items: [], at: [0, 0] };
  const refusals = [
    [{ id: 256 }, RangeError, /^value at \.id: 256 is out of range for u8 \(0 to 255\)$/],
    [{ id: 1.5 }, TypeError, /at \.id: expected an integer for u8, got 1\.5/],
    [{ id: '1' }, TypeError, /at \.id: expected a number \(u8\), got a string/],
    [{ name: 7 }, TypeError, /at \.name: expected a string, got a number/],
    [{ name: 'a\uD800' }, TypeError, /at \.name: the string has a lone surrogate/],
    [{ tags: ['a', 2] }, TypeError, /at \.tags\[1\]: expected a string, got a number/],
    [{ tags: 'ab' }, TypeError, /at \.tags: expected an array \(vector<string>\), got a string/],
    [{ scores: { a: 40000 } }, RangeError, /at \.scores\["a"\]: 40000 is out of range for i16/],
    [{ scores: [] }, TypeError, /at \.scores: expected a Map or an object \(map<string, i16>\), got an array/],
    [{ big: 2 ** 53 }, RangeError, /at \.big: 9007199254740992 is not a safe integer: give i64 values beyond ±2\^53 as BigInts/],
    [{ big: 2n ** 63n }, RangeError, /at \.big: 9223372036854775808 is out of range for i64/],
    [{ ratio: 1e39 }, RangeError, /at \.ratio: 1e\+39 is out of range for f32 \(it would become Infinity\)/],
    [{ items: [{ on: true }, { on: 1 }] }, TypeError, /at \.items\[1\]\.on: expected true or false \(bool\), got a number/],
    [{ items: [{}] }, TypeError, /at \.items\[0\]\.on: missing field \(bool\)/],
    [{ at: [1, 2, 3] }, TypeError, /at \.at: expected 2 elements for array<u8, 2>, got 3/],
    [{ extra: 'x' }, TypeError, /at \.extra: expected a number \(f64\), got a string/],
    [{ nmae: 'typo' }, TypeError, /^value: unknown field nmae \(the struct has id, name, tags, scores, big, ratio, items, at, extra\)$/],
  ];
  for (const [change, Type, message] of refusals) {
    it(JSON.stringify(change, (key, value) => (typeof value === 'bigint' ? `${value}n` : value)), () => {
      assert.throws(() => serialize({ ...good, ...change }, schema), (error) => error instanceof Type && message.test(error.message));
    });
  }

  it('a map key and the whole value', () => {
    assert.throws(() => serialize(new Map([[1, 'a'], [-1, 'b']]), t.map(t.u8, t.string)),
      { message: /^value at <key of entry 1>: -1 is out of range for u8/ });
    assert.throws(() => serialize({ 1: 'a' }, t.map(t.u8, t.string)), /expected a Map \(map<u8, string>\), got an object/);
    assert.throws(() => serialize(null, schema), { message: /^value: expected an object \(a struct\), got null$/ });
    assert.throws(() => encode(1, 'i32', 'input'), { message: /^input: the schema must be a schema made with t/ });
  });
});

describe('decoding is strict, naming the path and the offset', () => {
  const schema = t.struct({ id: t.u16, on: t.bool, tags: t.vector(t.string), extra: t.optional(t.u8), scores: t.map(t.string, t.u8) });
  const wire = serialize({ id: 1, on: true, tags: ['ab'], extra: 3, scores: { k: 1 } }, schema);
  const refusals = [
    ['an empty input', bytes(), '', 0, /^state key 'k': empty input: expected at least the endianness byte$/],
    ['a bad endianness byte', bytes(2, wire.subarray(1)), '', 0,
      /^state key 'k': first byte 2 is not a cereal portable binary endianness flag \(0 or 1\)$/],
    ['a cut value', wire.subarray(0, 2), '.id', 1, /^state key 'k' at \.id: needed 2 bytes at offset 1 but only 1 remain$/],
    ['a bool that is not 0 or 1', bytes(1, 1, 0, 2), '.on', 3, /at \.on: bool byte 2 at offset 3 is neither 0 nor 1/],
    ['a size larger than the bytes left', bytes(1, 1, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), '.tags', 4,
      /at \.tags: container size 18446744073709551615 at offset 4 exceeds the 0 bytes left/],
    ['a string that is not UTF-8', bytes(1, 1, 0, 1, size(1), size(1), 0xFF), '.tags[0]', 20,
      /at \.tags\[0\]: the string of 1 bytes at offset 20 is not valid UTF-8 \(describe binary data as t\.bytes\)/],
    ['an optional flag that is not 0 or 1', bytes(1, 1, 0, 1, size(0), 5), '.extra', 12,
      /at \.extra: optional's empty flag byte 5 at offset 12 is neither 0 nor 1/],
    ['a repeated map key', bytes(1, 1, 0, 1, size(0), 1, size(2), size(1), ascii('k'), 1, size(1), ascii('k'), 2), '.scores<key of entry 1>', 31,
      /at \.scores<key of entry 1>: repeats an earlier key \(std::map would keep only the first\)/],
    ['a map value cut short', bytes(1, 1, 0, 1, size(0), 1, size(1), size(1), ascii('k')), '.scores["k"]', 30,
      /at \.scores\["k"\]: needed 1 bytes at offset 30 but only 0 remain/],
    ['trailing bytes', bytes(wire, 0, 0), '', wire.length, /^state key 'k': 2 trailing bytes after the value$/],
  ];
  for (const [name, input, errorPath, offset, message] of refusals) {
    it(name, () => {
      assert.throws(() => decode(input, schema, "state key 'k'"), (error) => error instanceof DecodeError && error instanceof FaasmError
        && error.code === 'DecodeError' && message.test(error.message) && error.path === errorPath && error.offset === offset);
    });
  }

  it('refuses what is not bytes, and a schema not made with t', () => {
    assert.throws(() => decode('abc', t.string), { message: /^value: expected a Uint8Array to decode, got a string$/ });
    assert.throws(() => decode(bytes(1), { kind: 'struct', fields: [] }), { message: /^value: the schema must be a schema made with t/ });
  });
});

describe('the codec rule: text and bytes raw at the top level, the rest cereal', () => {
  it('std::string is its UTF-8, Bytes (std::vector<std::uint8_t>) its bytes', () => {
    assert.ok(travelsRaw(t.string) && travelsRaw(t.bytes) && travelsRaw(t.vector(t.u8)));
    assert.ok(!travelsRaw(t.vector(t.i8)) && !travelsRaw(t.tuple(t.string)));
    assert.deepEqual(encode('hé', t.string), new TextEncoder().encode('hé'));
    assert.equal(decode(new TextEncoder().encode('hé'), t.string), 'hé');
    assert.deepEqual(encode(new Uint8Array([1, 200]), t.bytes), bytes(1, 200));
    assert.deepEqual(encode([1, 200], t.vector(t.u8)), bytes(1, 200));
    assert.deepEqual(decode(bytes(1, 200), t.vector(t.u8)), [1, 200]);
    assert.throws(() => decode(bytes(0xFF), t.string, 'output'), (error) => error instanceof DecodeError
      && error.message === 'output: 1 bytes that are not valid UTF-8 (describe binary data as t.bytes)');
  });

  it('anything else is cereal', () => {
    assert.deepEqual(encode(3, t.u8), bytes(1, 3));
    assert.equal(decode(bytes(1, 3), t.u8), 3);
  });
});

describe('typed outputs: UTF-8-safe cereal, as set_output writes them', () => {
  it('each byte >= 0x80 becomes two bytes of UTF-8', () => {
    assert.deepEqual(encodeUtf8Safe(bytes(0x41, 0x80, 0xFF)), bytes(0x41, 0xC2, 0x80, 0xC3, 0xBF));
    assert.deepEqual(decodeUtf8Safe(bytes(0x41, 0xC2, 0x80, 0xC3, 0xBF)), bytes(0x41, 0x80, 0xFF));
    assert.deepEqual(encodeOutput(-1, t.i8), bytes(1, 0xC3, 0xBF));
    assert.equal(decodeOutput(bytes(1, 0xC3, 0xBF), t.i8), -1);
    assert.equal(decodeOutput(new TextEncoder().encode('Hello Ada!'), t.string), 'Hello Ada!');
  });

  it('refuses what the encoder cannot have written, as the C++ SDK does', () => {
    const refusals = [
      [bytes(1, 0xC4, 0x80), /^output: not a UTF-8-safe output: byte 0xc4 at offset 1 is not ASCII, 0xc2 or 0xc3$/, 1],
      [bytes(1, 0xC2), /byte 0xc2 at offset 1 is a lead byte at the end \(truncated\)$/, 1],
      [bytes(1, 0xC3, 0x41), /byte 0x41 at offset 2 is not a continuation byte \(0x80-0xbf\) after 0xc3$/, 2],
    ];
    for (const [input, message, offset] of refusals) {
      assert.throws(() => decodeOutput(input, t.i8), (error) => error instanceof DecodeError && message.test(error.message)
        && error.offset === offset);
    }
    // The text of a failed typed call is not cereal: the decoder says so rather than inventing a value.
    assert.throws(() => decodeOutput(new TextEncoder().encode('decode_failed: input: ...'), t.struct({ a: t.u8 })),
      { message: /^output: first byte 100 is not a cereal portable binary endianness flag/ });
  });
});

describe('the package', () => {
  it('exports ./values with its types first, and ships its files', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(sdkDir, 'package.json'), 'utf8'));
    assert.deepEqual(Object.keys(pkg.exports['./values']), ['types', 'default']);
    for (const target of Object.values(pkg.exports['./values'])) assert.ok(fs.existsSync(path.join(sdkDir, target)), target);
    assert.ok(pkg.files.includes('values/*.js') && pkg.files.includes('values/*.d.ts'));
  });

  it('imports nothing from Node: it runs in a page as it is', () => {
    for (const file of fs.readdirSync(path.join(sdkDir, 'values')).filter((name) => name.endsWith('.js'))) {
      const text = fs.readFileSync(path.join(sdkDir, 'values', file), 'utf8');
      assert.doesNotMatch(text, /from 'node:|require\(|process\.|(?<!Array)Buffer/, file);
    }
  });

  it('declares every export', async () => {
    const declared = fs.readFileSync(path.join(sdkDir, 'values/index.d.ts'), 'utf8');
    for (const name of Object.keys(await import('../../../sdk/js/values/index.js'))) {
      assert.match(declared, new RegExp(`export (declare (const|function|class) ${name}\\b|\\{[^}]*\\b${name}\\b)`), name);
    }
  });
});
