// The wasm frames of a trap, as the function names a binary's name section gives them, so that a failed
// call's error says where it failed in the same form on every host: one line `    at NAME` per frame,
// innermost first, after the message (the embedded cluster's worker writes the same lines).
//
// Engines print wasm frames differently: V8 as `    at NAME (wasm://wasm/HASH:wasm-function[N]:0xOFFSET)`, or
// without ` NAME (...)` for a function the name section does not name; Firefox and Safari as
// `NAME@URL:wasm-function[N]:0xOFFSET` (only V8's form is tested here, in Node and Chromium). A frame without a name becomes `wasm-function[N]`. The engine caps the
// frames it records (V8: Error.stackTraceLimit, 10 by default), JavaScript frames included.

const V8_FRAME = /^\s*at (?:(.*) \()?\S*:wasm-function\[(\d+)\][^)]*\)?$/;
const GECKO_FRAME = /^(.*)@.*:wasm-function\[(\d+)\]:0x[0-9a-f]+$/;

/** The function names of the wasm frames of `stack` (an Error's), innermost first. */
export function wasmFrames(stack) {
  if (typeof stack !== 'string') return [];
  const frames = [];
  for (const line of stack.split('\n')) {
    const match = V8_FRAME.exec(line) ?? GECKO_FRAME.exec(line);
    if (match === null) continue;
    const [, name, index] = match;
    frames.push(name ? name : `wasm-function[${index}]`);
  }
  return frames;
}

/** The lines a failed call's error carries after its message: `\n    at NAME` per frame. */
export function backtraceLines(frames) {
  return frames.map((name) => `\n    at ${name}`).join('');
}

/** A call's error text split into its message and the frames its backtrace lines name, innermost first. */
export function splitBacktrace(error) {
  const at = error.indexOf('\n    at ');
  if (at < 0) return { message: error, frames: [] };
  return { message: error.slice(0, at), frames: error.slice(at + '\n    at '.length).split('\n    at ') };
}
