// The C++ side's Sample (tests/js/runtime/functions/values.hpp) in JavaScript: its schema, fixed_sample(), another
// value, and what values_echo makes of a value. Shared by typed.test.mjs and the gateway's suite, which runs the
// same functions in the cluster.
import { t } from '../../../sdk/js/values/index.js';

// values.hpp's Inner and Sample, field for field.
const Inner = t.struct({ id: t.i16, label: t.string });
export const Sample = t.struct({
  i8: t.i8, u8: t.u8, i16: t.i16, u16: t.u16, i32: t.i32, u32: t.u32, i64: t.i64, u64: t.u64, f32: t.f32, f64: t.f64,
  flag: t.bool, name: t.string, tags: t.vector(t.string), scores: t.map(t.string, t.i32), extra: t.optional(t.f64),
  missing: t.optional(Inner), inners: t.vector(Inner), position: t.array(t.f32, 3), pair: t.tuple(t.u16, t.string),
  blob: t.bytes, bits: t.vector(t.bool), series: t.map(t.u32, t.vector(t.i64)),
});

// values.hpp's fixed_sample(), with the map in std::map's (sorted) order so that the bytes match too.
export const FIXED = Object.freeze({
  i8: -128, u8: 255, i16: -32768, u16: 65535, i32: -(2 ** 31), u32: 2 ** 32 - 1, i64: -(2n ** 63n), u64: 2n ** 64n - 1n,
  f32: 1.5, f64: -0.1, flag: true, name: 'héllo ✓', tags: ['a', '', 'c'], scores: new Map([['a', 1], ['b', -2]]),
  extra: 2.5, missing: null, inners: [{ id: 1, label: 'one' }, { id: -2, label: 'two' }], position: [0.5, -1, 3.25],
  pair: [7, 'seven'], blob: new Uint8Array([0, 255, 128]), bits: [true, false, true], series: new Map([[3, [-1n, 2n ** 40n]]]),
});

export const OTHER = Object.freeze({
  i8: 5, u8: 0, i16: 1, u16: 2, i32: 3, u32: 4, i64: -7n, u64: 9n, f32: -0.25, f64: 1e300, flag: false, name: '',
  tags: [], scores: new Map(), extra: null, missing: { id: 3, label: 'here' }, inners: [], position: [1, 2, 3],
  pair: [65535, ''], blob: new Uint8Array(0), bits: [], series: new Map(),
});

// What values_echo makes of a Sample (values_echo.cpp, line for line).
export function echoed(value) {
  return {
    ...value,
    i8: (-value.i8 / 2) | 0,
    u64: value.u64 / 2n,
    i64: value.i64 / 2n,
    f64: value.f64 * 2,
    flag: !value.flag,
    name: `${value.name}!`,
    tags: [...value.tags, 'c++'],
    scores: new Map([...value.scores, ['c++', value.tags.length]]),
    extra: value.extra === null ? 0.25 : null,
    missing: value.missing === null ? { id: 42, label: 'found' } : null,
    inners: value.inners.map((inner) => ({ ...inner, label: `${inner.label}+` })),
    position: [...value.position].reverse(),
    pair: [value.pair[0], String(value.pair[0])],
    blob: new Uint8Array([...value.blob, value.blob.length]),
    bits: value.bits.map((bit) => !bit),
    series: new Map([...value.series, [value.series.size, [value.i64]]]),
  };
}
