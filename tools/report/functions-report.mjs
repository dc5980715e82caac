#!/usr/bin/env node
// Prints, for every function built in the given directories, what the browser build costs: the plain and
// asyncified sizes, how many functions the asyncify tool instrumented, and which imports it treated as
// blocking. Reads the NAME.manifest.json files that faasmjs_add_function() writes.
//
//   node tools/report/functions-report.mjs <dir>...
import fs from 'node:fs';
import path from 'node:path';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: functions-report.mjs <directory with NAME.manifest.json files>...');
  process.exit(2);
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const rows = [];
for (const dir of dirs) {
  const toolchain = path.basename(path.dirname(path.dirname(dir))).replace(/^wasm-/, '');
  const manifests = fs.readdirSync(dir).filter((file) => file.endsWith('.manifest.json')).sort();
  if (manifests.length === 0) {
    console.error(`functions-report: no manifests in ${dir}`);
    process.exit(1);
  }
  for (const file of manifests) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const growth = (manifest.output.bytes / manifest.input.bytes - 1) * 100;
    rows.push([
      manifest.function,
      toolchain,
      kib(manifest.input.bytes),
      kib(manifest.output.bytes),
      `${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%`,
      `${manifest.instrumentedFunctions}/${manifest.definedFunctions}`,
      manifest.blockingImports.map((name) => name.replace(/^__faasm_/, '')).join(', ') || '(none)',
    ]);
  }
}

const header = ['function', 'toolchain', 'plain', 'asyncified', 'growth', 'instrumented', 'blocking imports'];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
const line = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
console.log(line(header));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(row));
