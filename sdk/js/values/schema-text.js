// A schema written as text, in the words describe() uses: 'i64', 'vector<string>', 'map<string, u64>',
// 'array<f32, 3>', 'optional<f64>', 'tuple<u16, bytes>', 'struct { x: i32, tags: vector<string> }'. For
// where a schema cannot be JavaScript (a command line's --type); parseSchema(describe(s)) is s again.
import { t } from './schema.js';

const SIMPLE = new Set(['bool', 'i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64', 'f32', 'f64', 'string', 'bytes']);
const GENERIC = new Set(['vector', 'array', 'map', 'optional', 'tuple']);
const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|(\d+)|([<>,{}:]))/y;

function tokens(text) {
  const found = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) {
      if (/^\s*$/.test(text.slice(at))) break;
      throw new TypeError(`type '${text}': unexpected '${text.slice(at).trim()[0]}' at character ${at + 1}`);
    }
    found.push({ word: match[1], number: match[2], mark: match[3], at: match.index + match[0].length - match[0].trimStart().length });
  }
  return found;
}

/** The schema `text` describes; a TypeError naming the type and what is wrong with it otherwise. */
export function parseSchema(text) {
  if (typeof text !== 'string') throw new TypeError(`a type must be text, like 'vector<i32>', got ${typeof text}`);
  const list = tokens(text);
  let next = 0;
  const fail = (what) => {
    const token = list[next];
    const where = token === undefined ? 'at the end' : `at character ${token.at + 1}`;
    throw new TypeError(`type '${text}': ${what} ${where}`);
  };
  const mark = (expected) => {
    if (list[next]?.mark !== expected) fail(`expected '${expected}'`);
    next += 1;
  };
  const number = () => {
    const token = list[next];
    if (token?.number === undefined) fail('expected a length');
    next += 1;
    return Number(token.number);
  };
  const field = () => {
    const token = list[next];
    if (token?.word === undefined) fail('expected a field name');
    next += 1;
    return token.word;
  };

  // What t refuses (a map keyed by a struct, a field named like an integer) is an error in this text too.
  function made(make) {
    try {
      return make();
    } catch (error) {
      throw new TypeError(`type '${text}': ${error.message}`, { cause: error });
    }
  }

  function type() {
    const token = list[next];
    if (token?.word === undefined) fail('expected a type');
    next += 1;
    const { word } = token;
    if (SIMPLE.has(word)) return t[word];
    if (word === 'struct') return struct();
    if (!GENERIC.has(word)) {
      next -= 1;
      fail(`unknown type '${word}' (known: ${[...SIMPLE, ...GENERIC, 'struct'].join(', ')})`);
    }
    mark('<');
    const parts = [type()];
    if (word === 'array') {
      mark(',');
      parts.push(number());
    } else if (word === 'map') {
      mark(',');
      parts.push(type());
    } else if (word === 'tuple') {
      while (list[next]?.mark === ',') {
        next += 1;
        parts.push(type());
      }
    }
    mark('>');
    return made(() => t[word](...parts));
  }

  function struct() {
    mark('{');
    const fields = [];
    while (list[next]?.mark !== '}') {
      if (fields.length > 0) mark(',');
      const name = field();
      if (fields.some(([known]) => known === name)) {
        next -= 1;
        fail(`field '${name}' twice`);
      }
      mark(':');
      fields.push([name, type()]);
    }
    next += 1;
    return made(() => t.struct(Object.fromEntries(fields)));
  }

  const parsed = type();
  if (next < list.length) fail('unexpected text after the type');
  return parsed;
}
