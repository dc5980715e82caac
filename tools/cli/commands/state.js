// faasmjs state get|set|append|keys: the gateway's global state tier, in the session user's namespace (the
// keys functions use: `counts`, not `<user>_counts`; docs/protocol.md, STATE_*). Values are bytes, written
// and printed as they are.
import { UsageError, takePositionals } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { inputFrom, jsonBytes, printBytes, printJson, writeStdout } from '../io.js';
import { TYPE } from '../sdk.js';

async function withSession(open, body) {
  const session = await open();
  try {
    return await body(session);
  } finally {
    await session.close();
  }
}

function valueOf(positionals, options, command) {
  const [key, argument] = takePositionals(positionals, ['KEY', 'VALUE'], { optional: 1 });
  const value = inputFrom(argument, options['input-file'], 'the value');
  if (value === undefined) throw new UsageError(`state ${command} ${key}: give the value as an argument, - (stdin) or --input-file FILE`);
  return [key, value];
}

const VALUE_OPTIONS = { 'input-file': { value: 'FILE', help: 'the value is FILE\'s bytes (- for stdin)' } };

export const stateGet = {
  usage: 'state get KEY',
  summary: 'print the value of state key KEY (exit 1 when it has none)',
  details: '--json: {"key","exists","size","value" (or "valueBase64")}.',
  options: {},
  run: ({ positionals, open, json }) => withSession(open, async (session) => {
    const [key] = takePositionals(positionals, ['KEY']);
    const reply = await session.request(TYPE.STATE_PULL, { key }, `read of state key '${key}'`);
    if (json) await printJson({ key, exists: reply.exists, size: reply.size, ...(reply.exists ? jsonBytes('value', reply.data) : {}) });
    else if (reply.exists) await printBytes(reply.data);
    else process.stderr.write(`faasmjs: state key '${key}' of user ${session.user} has no value\n`);
    return reply.exists ? EXIT.ok : EXIT.missing;
  }),
};

export const stateSet = {
  usage: 'state set KEY [VALUE | -]',
  summary: 'replace the value of state key KEY',
  details: '--json: {"key","size"}.',
  options: VALUE_OPTIONS,
  run: ({ positionals, options, open, json }) => withSession(open, async (session) => {
    const [key, value] = valueOf(positionals, options, 'set');
    await session.request(TYPE.STATE_SET, { key, value }, `set of state key '${key}'`);
    if (json) await printJson({ key, size: value.length });
    return EXIT.ok;
  }),
};

export const stateAppend = {
  usage: 'state append KEY [VALUE | -]',
  summary: 'append an element to the append log of state key KEY',
  details: '--json: {"key","size"} (the element\'s).',
  options: VALUE_OPTIONS,
  run: ({ positionals, options, open, json }) => withSession(open, async (session) => {
    const [key, element] = valueOf(positionals, options, 'append');
    await session.request(TYPE.STATE_APPEND, { key, element }, `append to state key '${key}'`);
    if (json) await printJson({ key, size: element.length });
    return EXIT.ok;
  }),
};

export const stateKeys = {
  usage: 'state keys [PREFIX]',
  summary: 'list the state keys (that start with PREFIX), one a line',
  details: '--json: {"keys":[...]}. Not on a gateway in front of Faasm without Redis (its upload server lists none).',
  options: {},
  run: ({ positionals, open, json }) => withSession(open, async (session) => {
    const [prefix = ''] = takePositionals(positionals, ['PREFIX'], { optional: 1 });
    const { keys } = await session.request(TYPE.STATE_KEYS, { prefix }, 'list of state keys');
    if (json) await printJson({ keys });
    else await writeStdout(keys.map((key) => `${key}\n`).join(''));
    return EXIT.ok;
  }),
};
