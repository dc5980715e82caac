// faasmjs/values: typed values for inputs, outputs and state, in the bytes the C++ SDK reads and writes
// (cereal portable binary, by the SDK's codec rule). Reference: docs/js-runtime.md, "Typed values".
export { DecodeError } from '../errors.js';

declare const decoded: unique symbol;
declare const accepted: unique symbol;

/**
 * A description of a C++ type, made with `t`. `Value` is what decoding gives, `Input` what encoding accepts
 * (wider: a 64-bit integer may be a safe-integer number, an optional may be undefined or left out of a struct,
 * a map with string keys may be a plain object).
 */
export interface Schema<Value = unknown, Input = Value> {
  readonly kind: SchemaKind;
  readonly [decoded]?: Value;
  readonly [accepted]?: (input: Input) => void;
}

export type SchemaKind = 'bool' | 'i8' | 'i16' | 'i32' | 'i64' | 'u8' | 'u16' | 'u32' | 'u64' | 'f32' | 'f64' | 'string'
  | 'bytes' | 'vector' | 'array' | 'map' | 'optional' | 'struct' | 'tuple';

/** What decoding a value of schema S gives. */
export type ValueOf<S> = S extends Schema<infer V, any> ? V : never;
/** What encoding a value of schema S accepts. */
export type InputOf<S> = S extends Schema<any, infer I> ? I : never;

/** A map key: the schemas whose values a Map compares by value. */
export type KeySchema = Schema<boolean> | Schema<number> | Schema<bigint, bigint | number> | Schema<string>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Fields = Record<string, Schema<any, any>>;
type OptionalKeys<F extends Fields> = { [K in keyof F]: undefined extends InputOf<F[K]> ? K : never }[keyof F];
type StructValue<F extends Fields> = Simplify<{ -readonly [K in keyof F]: ValueOf<F[K]> }>;
type StructInput<F extends Fields> = Simplify<
  { readonly [K in Exclude<keyof F, OptionalKeys<F>>]: InputOf<F[K]> } & { readonly [K in OptionalKeys<F>]?: InputOf<F[K]> }>;
type MapInput<K extends KeySchema, V extends Schema<any, any>> =
  | ReadonlyMap<InputOf<K>, InputOf<V>>
  | (ValueOf<K> extends string ? { readonly [key: string]: InputOf<V> } : never);

/** The schema vocabulary: each member is the C++ type of the same name (docs/js-runtime.md has the table). */
export declare const t: {
  readonly bool: Schema<boolean>;
  readonly i8: Schema<number>;
  readonly i16: Schema<number>;
  readonly i32: Schema<number>;
  /** std::int64_t: a BigInt (encoding also takes a safe-integer number). */
  readonly i64: Schema<bigint, bigint | number>;
  readonly u8: Schema<number>;
  readonly u16: Schema<number>;
  readonly u32: Schema<number>;
  /** std::uint64_t: a BigInt (encoding also takes a safe-integer number). */
  readonly u64: Schema<bigint, bigint | number>;
  readonly f32: Schema<number>;
  readonly f64: Schema<number>;
  /** std::string: its UTF-8 (decoding refuses other bytes: describe them as t.bytes). */
  readonly string: Schema<string>;
  /** faasmjs::Bytes (std::vector<std::uint8_t>) as a Uint8Array. */
  readonly bytes: Schema<Uint8Array>;
  /** std::vector<T>: an array (encoding also takes a typed array). */
  vector<E extends Schema<any, any>>(element: E): Schema<ValueOf<E>[], readonly InputOf<E>[]>;
  /** std::array<T, N>: an array of exactly `length` elements. */
  array<E extends Schema<any, any>>(element: E, length: number): Schema<ValueOf<E>[], readonly InputOf<E>[]>;
  /** std::map<K, V> or std::unordered_map<K, V>: a Map (encoding takes a plain object too when K is t.string). */
  map<K extends KeySchema, V extends Schema<any, any>>(key: K, value: V): Schema<Map<ValueOf<K>, ValueOf<V>>, MapInput<K, V>>;
  /** std::optional<T>: the value or null (encoding takes undefined too, and a struct field may be left out). */
  optional<E extends Schema<any, any>>(value: E): Schema<ValueOf<E> | null, InputOf<E> | null | undefined>;
  /** A struct whose serialize() archives these fields in this order (field names may not be integers or __proto__). */
  struct<F extends Fields>(fields: F): Schema<StructValue<F>, StructInput<F>>;
  /** std::pair or std::tuple: an array of exactly these elements. */
  tuple<E extends readonly Schema<any, any>[]>(...elements: E):
    Schema<{ -readonly [I in keyof E]: ValueOf<E[I]> }, { readonly [I in keyof E]: InputOf<E[I]> }>;
};

/** True for a schema made by `t`. */
export declare function isSchema(value: unknown): value is Schema;
/** A schema in words, C++-like: 'vector<string>', 'struct { x: i32, extra: optional<f64> }'. */
export declare function describe(schema: Schema<any, any>): string;
/** The schema a describe()-style text names: 'vector<i32>', 'struct { x: i32, tags: vector<string> }'. Throws a TypeError. */
export declare function parseSchema(text: string): Schema;

// In what follows `where` names the value in errors (default 'value', for outputs 'output'). Encoding throws a
// TypeError or RangeError naming the field path; decoding a DecodeError with the path and the byte offset.

/** The value as cereal portable binary, always (even a string or bytes). */
export declare function serialize<S extends Schema<any, any>>(value: InputOf<S>, schema: S, where?: string): Uint8Array;
/** Exactly one value of the schema in cereal portable binary (either byte order). */
export declare function deserialize<S extends Schema<any, any>>(bytes: Uint8Array, schema: S, where?: string): ValueOf<S>;
/** As the C++ SDK's encode<T>, for an input or a state value: t.string and t.bytes (and t.vector(t.u8)) raw, the rest cereal. */
export declare function encode<S extends Schema<any, any>>(value: InputOf<S>, schema: S, where?: string): Uint8Array;
/** As the C++ SDK's decode<T>, for an input or a state value. */
export declare function decode<S extends Schema<any, any>>(bytes: Uint8Array, schema: S, where?: string): ValueOf<S>;
/** As the C++ SDK's set_output: raw, or cereal in the UTF-8-safe encoding. */
export declare function encodeOutput<S extends Schema<any, any>>(value: InputOf<S>, schema: S, where?: string): Uint8Array;
/** As the C++ SDK's Call<T>::get(): a typed output back from its UTF-8-safe encoding. */
export declare function decodeOutput<S extends Schema<any, any>>(bytes: Uint8Array, schema: S, where?: string): ValueOf<S>;
/** True for the schemas the codec rule sends raw at the top level: t.string, t.bytes, t.vector(t.u8). */
export declare function travelsRaw(schema: Schema<any, any>): boolean;
/** Bytes as valid UTF-8: each byte the code point of its value. */
export declare function encodeUtf8Safe(raw: Uint8Array): Uint8Array;
/** The reverse of encodeUtf8Safe; anything it cannot have made is a DecodeError. */
export declare function decodeUtf8Safe(encoded: Uint8Array, where?: string): Uint8Array;
