// faasmjs: the command line of faasm.js. Finds the command (a word, or two for the state and files groups),
// parses its options with the global ones (before or after the command), runs it on one gateway session and
// returns the exit status (exit-codes.js). Every failure is one line on stderr, `faasmjs: …`, and status 2.
import { UsageError, optionHelp, parseArgs } from './args.js';
import { filesGet, filesPut } from './commands/files.js';
import { functions } from './commands/functions.js';
import { invoke } from './commands/invoke.js';
import { stateAppend, stateGet, stateKeys, stateSet } from './commands/state.js';
import { upload } from './commands/upload.js';
import { EXIT } from './exit-codes.js';
import { CONNECTION_OPTIONS, openSession } from './gateway.js';
import { Progress } from './progress.js';
import { VERSION } from './sdk.js';

const COMMANDS = {
  upload, invoke, 'state get': stateGet, 'state set': stateSet, 'state append': stateAppend, 'state keys': stateKeys,
  functions, 'files put': filesPut, 'files get': filesGet,
};
const GROUPS = ['state', 'files'];

const GLOBAL_OPTIONS = {
  ...CONNECTION_OPTIONS,
  json: { help: 'print one JSON object on stdout (fields in each command\'s --help)' },
  progress: { help: 'show progress on stderr even when it is not a terminal (on a terminal it always shows)' },
  help: { short: 'h', help: 'say how to use faasmjs, or a command' },
  version: { help: 'print the version' },
};

function mainHelp() {
  const width = Math.max(...Object.values(COMMANDS).map((command) => command.usage.length));
  return `faasmjs ${VERSION}: the faasm.js command line. It speaks the gateway's protocol (faasmjs.v1), so it works the
same against faasmjs-gateway's embedded cluster and, through the gateway, against Faasm.

Usage: faasmjs [OPTIONS] COMMAND [ARGUMENTS]

Commands (faasmjs COMMAND --help says more):
${Object.values(COMMANDS).map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`).join('\n')}

Options, before or after the command:
${optionHelp(GLOBAL_OPTIONS)}

Exit status:
  0    done
  N    invoke: the function ran to its end and returned N (0-255; a return value outside that range gives 255)
  125  invoke: the call did not run to its end (trapped, timed out, over its memory limit, cancelled, crashed, failed)
  1    state get, files get: there is no such value or file
  2    bad arguments, no gateway, or the gateway refused the request: one line on stderr, "faasmjs: ..."
A function may return 1, 2 or 125 itself: --json tells them apart ("status", "returnValue").

Environment: FAASMJS_GATEWAY (the gateway), FAASMJS_TOKEN (the token); NODE_EXTRA_CA_CERTS=FILE for a wss://
gateway whose certificate Node does not trust.
`;
}

// Help text in lines of at most `width` columns, broken between words.
function wrap(text, width = 110) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line].join('\n');
}

function commandHelp(command) {
  return `Usage: faasmjs ${command.usage}${Object.keys(command.options).length > 0 ? ' [OPTIONS]' : ''}

${command.summary[0].toUpperCase()}${command.summary.slice(1)}.
${wrap(command.details)}
${Object.keys(command.options).length > 0 ? `\nOptions:\n${optionHelp(command.options)}\n` : ''}
The options of every command (--gateway, --token, --json, ...) are in faasmjs --help.
`;
}

function findCommand(words) {
  const [first, second] = words;
  if (GROUPS.includes(first)) {
    const subcommands = Object.keys(COMMANDS).filter((name) => name.startsWith(`${first} `)).map((name) => name.slice(first.length + 1));
    if (second === undefined || second.startsWith('-')) throw new UsageError(`${first} needs a subcommand: ${subcommands.join(', ')}`);
    if (!subcommands.includes(second)) throw new UsageError(`${first} has no subcommand '${second}' (it has ${subcommands.join(', ')})`);
    return { name: `${first} ${second}`, rest: words.slice(2) };
  }
  if (!Object.hasOwn(COMMANDS, first)) {
    throw new UsageError(`unknown command '${first}' (the commands: ${[...new Set(Object.keys(COMMANDS).map((name) => name.split(' ')[0]))].join(', ')})`);
  }
  return { name: first, rest: words.slice(1) };
}

/**
 * Runs one command line and resolves with its exit status. Usage errors reject with UsageError; what the
 * gateway or the SDK refuses rejects with their errors; faasmjs.js prints either as one line.
 */
export async function main(argv) {
  const before = parseArgs(argv, GLOBAL_OPTIONS, { untilPositional: true });
  if (before.positionals.length === 0) {
    if (before.options.version) {
      process.stdout.write(`faasmjs ${VERSION}\n`);
      return EXIT.ok;
    }
    if (before.options.help) {
      process.stdout.write(mainHelp());
      return EXIT.ok;
    }
    throw new UsageError('no command given');
  }
  const words = before.positionals;
  // `faasmjs state --help` asks about a group: its subcommands are in the main help.
  const groupHelp = before.options.help || words[1] === '--help' || words[1] === '-h';
  if (GROUPS.includes(words[0]) && (words[1] === undefined || words[1].startsWith('-')) && groupHelp) {
    process.stdout.write(mainHelp());
    return EXIT.ok;
  }
  const { name, rest } = findCommand(words);
  const command = COMMANDS[name];
  let after;
  try {
    after = parseArgs(rest, { ...GLOBAL_OPTIONS, ...command.options });
  } catch (error) {
    if (error instanceof UsageError) error.command = name;
    throw error;
  }
  for (const option of Object.keys(after.options)) {
    if (Object.hasOwn(before.options, option)) throw new UsageError(`--${option} is given twice`);
  }
  const options = { ...before.options, ...after.options };
  if (options.help) {
    process.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run({
      positionals: after.positionals, options, json: options.json === true,
      progress: new Progress({ forced: options.progress === true }),
      open: () => openSession(options),
    });
  } catch (error) {
    if (error instanceof UsageError) error.command = name;
    throw error;
  }
}
