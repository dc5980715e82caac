// Where a function's Asyncify growth lies, for asyncify_size.sh's note on a function over the goal:
//   node tests/bench/asyncify_growth.mjs PLAIN.wasm OURS.wasm MANIFEST.json
// PLAIN is `wasm-opt -O2 -g` of the input (names kept, code as without -g), OURS faasmjs-asyncify's output
// (which carries a name section). Prints one line: how many functions are instrumented and how many of those
// only through indirect calls, what the functions that grew gained, and the largest of them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Body size of each defined function, by name (the name section's), as wabt's objdump lists them. */
function functionSizes(file) {
  const listing = execFileSync('wasm-objdump', ['-x', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const sizes = new Map();
  for (const [, size, name] of listing.matchAll(/^ - func\[\d+\] size=(\d+) <(.*)>$/gm)) sizes.set(name, Number(size));
  return sizes;
}

const [plainFile, oursFile, manifestFile] = process.argv.slice(2);
const plain = functionSizes(plainFile);
const ours = functionSizes(oursFile);
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const grown = [...ours].filter(([name, size]) => plain.has(name) && size > plain.get(name))
  .map(([name, size]) => ({ name, plain: plain.get(name), growth: size - plain.get(name) }))
  .sort((a, b) => b.growth - a.growth);
const total = grown.reduce((sum, f) => sum + f.growth, 0);
const median = grown.length ? grown[Math.floor(grown.length / 2)].growth : 0;
const largest = grown[0];
const share = (part) => `${Math.round((part * 100) / Math.max(total, 1))}%`;
const functions = (n) => `${n} function${n === 1 ? '' : 's'}`;
console.log(`${functions(manifest.instrumentedFunctions)} instrumented, ${manifest.instrumentedOnlyThroughIndirectCalls} of them only `
  + `through indirect calls a suspending function shares the signature of; the functions that grew gained ${total} B, `
  + `a median of ${median} B each`
  + (largest ? `; the largest, \`${largest.name.slice(0, 60)}\`, ${largest.growth} B (${share(largest.growth)} of it; `
    + `+${Math.round((largest.growth * 100) / largest.plain)}% of its ${largest.plain} B)` : '') + '.');
