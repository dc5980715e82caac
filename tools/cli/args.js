// The command line's own argument parser, small on purpose (no dependency): long options as `--name value`
// or `--name=value`, one-letter aliases (`-h`), `--` ends the options, and `-` is a positional (stdin). Each
// option is declared once, with the one help line `--help` prints. A mistake is a UsageError naming the
// culprit, which faasmjs.js prints as one line and exit status 2.

export class UsageError extends Error {}

/**
 * @typedef {{ value?: string, short?: string, help: string }} OptionSpec value names the option's argument
 *   (`--timeout DURATION`); without it the option is a flag
 */

/**
 * @param {string[]} argv
 * @param {Record<string, OptionSpec>} spec by long name, without the dashes
 * @param {{ untilPositional?: boolean }} [how] untilPositional: stop at the first positional and hand it
 *   back with everything after it (the command and its own arguments)
 * @returns {{ options: Record<string, string | true>, positionals: string[] }}
 */
export function parseArgs(argv, spec, { untilPositional = false } = {}) {
  const byShort = new Map(Object.entries(spec).filter(([, option]) => option.short).map(([name, option]) => [option.short, name]));
  const options = {};
  const positionals = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      if (untilPositional) {
        positionals.push(...argv.slice(i));
        break;
      }
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const given = equals < 0 ? arg : arg.slice(0, equals);
    const name = given.startsWith('--') ? given.slice(2) : byShort.get(given.slice(1));
    if (name === undefined || !Object.hasOwn(spec, name) || (given.startsWith('--') && given.length === 2)) {
      throw new UsageError(`unknown option ${given}`);
    }
    if (Object.hasOwn(options, name)) throw new UsageError(`--${name} is given twice`);
    if (spec[name].value === undefined) {
      if (equals >= 0) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
    } else if (equals >= 0) {
      options[name] = arg.slice(equals + 1);
    } else if (i + 1 < argv.length) {
      options[name] = argv[i += 1];
    } else {
      throw new UsageError(`--${name} needs a value (${spec[name].value})`);
    }
  }
  return { options, positionals };
}

/** The help lines of some options, aligned: `  --timeout DURATION   what it does`. */
export function optionHelp(spec) {
  const rows = Object.entries(spec).map(([name, option]) => [
    `${option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` ${option.value}` : ''}`, option.help]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`).join('\n');
}

/** A duration: a number of milliseconds, or one with a unit (`500ms`, `30s`, `2m`). */
export function parseDuration(text, what) {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  const scale = { ms: 1, s: 1000, m: 60_000 }[match?.[2] ?? 'ms'];
  const ms = match === null ? NaN : Math.ceil(Number(match[1]) * scale);
  if (!(ms > 0)) throw new UsageError(`${what} must be a positive duration (500ms, 30s, 2m; a bare number is ms), got '${text}'`);
  return ms;
}

/** The positionals named by `names`, the last `optional` of them optional; else a UsageError naming the first missing or extra one. */
export function takePositionals(positionals, names, { optional = 0 } = {}) {
  const least = names.length - optional;
  if (positionals.length < least) throw new UsageError(`missing ${names[positionals.length]}`);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument '${positionals[names.length]}'`);
  return positionals;
}
