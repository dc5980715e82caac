// The expected outputs of the example functions, read from the table in examples/functions/README.md so that
// the README stays the one list. Rows whose input or output is a description rather than a literal (a cereal
// value, a message with "...") are left to the tests that know how to check them.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../../examples/functions/README.md', import.meta.url));

const NAME = /^`(\w+)`$/;
// "none", optionally followed by what the default means: "none (= `8 40000000`)".
const NO_INPUT = /^none(\s*\(.*\))?$/;
const LITERAL = /^`([^`]*)`$/;
// "`text`", "return 1, `text`", either followed by a remark in parentheses.
const OUTPUT = /^(?:return (\d+), )?`([^`]*)`(\s*\(.*\))?$/;

/**
 * @returns {{ function: string, input: string | undefined, output: string, returnValue: number }[]}
 */
export function expectedOutputs(readme = fs.readFileSync(README, 'utf8')) {
  const section = readme.split(/^## Expected output$/m)[1];
  if (section === undefined) throw new Error(`${README}: no "## Expected output" section`);
  const rows = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    if (cells.length !== 3) continue;
    const [nameCell, inputCell, outputCell] = cells;
    const name = NAME.exec(nameCell)?.[1];
    const input = NO_INPUT.test(inputCell) ? undefined : LITERAL.exec(inputCell)?.[1];
    const output = OUTPUT.exec(outputCell);
    if (!name || (input === undefined && !NO_INPUT.test(inputCell)) || !output || output[2].includes('...')) continue;
    rows.push({ function: name, input, output: output[2], returnValue: Number(output[1] ?? 0) });
  }
  if (rows.length === 0) throw new Error(`${README}: no literal rows in the expected output table`);
  return rows;
}

// "the output of a failed call is replaced by `Call failed (return value=N)`": Faasm drops a failed function's own
// output, so a call that runs wholly on Faasm shows this instead.
const FAASM_FAILED = /output of a failed call is replaced by `([^`]*\bN\b[^`]*)`/;

/** What a call of `row` that runs on Faasm returns: the row, with Faasm's replacement output when it fails. */
export function onFaasm(row, readme = fs.readFileSync(README, 'utf8')) {
  if (row.returnValue === 0) return row;
  const template = FAASM_FAILED.exec(readme.replace(/\s+/g, ' '))?.[1];
  if (template === undefined) throw new Error(`${README}: no sentence saying what Faasm replaces a failed call's output with`);
  return { ...row, output: template.replace(/\bN\b/, String(row.returnValue)) };
}
