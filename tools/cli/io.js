// What commands read and write: input bytes from an argument, a file or stdin; bytes to stdout as they are;
// and bytes in --json output, where valid UTF-8 is a string and anything else base64.
import { readFileSync } from 'node:fs';

import { UsageError } from './args.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes of a file, or of stdin for `-`. */
export function readInput(file, what) {
  try {
    return new Uint8Array(readFileSync(file === '-' ? 0 : file));
  } catch (error) {
    throw new Error(`${what}: cannot read ${file === '-' ? 'stdin' : file}: ${error.code ?? error.message}`, { cause: error });
  }
}

/**
 * Input given as an argument (UTF-8; `-` reads stdin) or with --input-file FILE; undefined when neither is.
 * @param {string | undefined} argument
 * @param {string | undefined} file
 */
export function inputFrom(argument, file, what) {
  if (argument !== undefined && file !== undefined) throw new UsageError(`${what}: give it as an argument or with --input-file, not both`);
  if (file !== undefined) return readInput(file, `--input-file`);
  if (argument === '-') return readInput('-', what);
  return argument === undefined ? undefined : new TextEncoder().encode(argument);
}

/** Writes bytes to stdout as they are, and resolves once they have gone (before the process exits). */
export function writeStdout(bytes) {
  return new Promise((resolve, reject) => {
    process.stdout.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Bytes as --json fields: `{ [name]: text }` when they are UTF-8, else `{ [name]: null, [name + 'Base64']: … }`.
 */
export function jsonBytes(name, bytes) {
  try {
    return { [name]: strictUtf8.decode(bytes) };
  } catch {
    return { [name]: null, [`${name}Base64`]: Buffer.from(bytes).toString('base64') };
  }
}

/**
 * Prints the command's one JSON object; `typed` adds fields whose values are JSON text already (typed-json.js
 * writes 64-bit integers exactly, which JSON.stringify of a BigInt cannot).
 */
export function printJson(object, typed = {}) {
  const fields = Object.entries(typed).map(([name, text]) => `,${JSON.stringify(name)}:${text}`).join('');
  const text = JSON.stringify(object);
  return writeStdout(`${fields && text === '{}' ? `{${fields.slice(1)}}` : text.slice(0, -1) + fields + text.slice(-1)}\n`);
}

/** Bytes for a person at a terminal: a missing last newline is added so that the prompt starts a line. */
export async function printBytes(bytes) {
  await writeStdout(bytes);
  if (process.stdout.isTTY && bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) await writeStdout('\n');
}
