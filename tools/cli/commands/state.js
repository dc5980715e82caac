// faasmjs state get|set|append|keys: the gateway's global state tier, in the session user's namespace (the
// keys functions use: `counts`, not `<user>_counts`; docs/protocol.md, STATE_*). Values are bytes, written
// and printed as they are, or with --type TYPE the C++ type's value as JSON (typed-json.js).
import { UsageError, takePositionals } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { inputFrom, jsonBytes, printBytes, printJson, writeStdout } from '../io.js';
import { TYPE } from '../sdk.js';
import { decodeJson, encodeJson, typeOption } from '../typed-json.js';

const TYPE_OPTION = { type: { value: 'TYPE', help: 'the value is a C++ TYPE (i64, vector<string>, struct { x: f64 }, ...), as JSON' } };

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
  const schema = typeOption(options.type, '--type');
  return [key, schema ? encodeJson(value, schema, `the value of ${key}`) : value];
}

const VALUE_OPTIONS = { 'input-file': { value: 'FILE', help: 'the value is FILE\'s bytes (- for stdin)' }, ...TYPE_OPTION };

export const stateGet = {
  usage: 'state get KEY',
  summary: 'print the value of state key KEY (exit 1 when it has none)',
  details: '--json: {"key","exists","size","value" (or "valueBase64"; with --type the value as JSON)}.',
  options: TYPE_OPTION,
  run: ({ positionals, options, open, json }) => {
    const [key] = takePositionals(positionals, ['KEY']);
    const schema = typeOption(options.type, '--type');
    return withSession(open, (session) => printValue(session, key, schema, json));
  },
};

async function printValue(session, key, schema, json) {
  const reply = await session.request(TYPE.STATE_PULL, { key }, `read of state key '${key}'`);
  const typed = reply.exists && schema ? decodeJson(reply.data, schema, `the value of ${key}`) : undefined;
  if (json) {
    const untyped = reply.exists && !schema ? jsonBytes('value', reply.data) : {};
    await printJson({ key, exists: reply.exists, size: reply.size, ...untyped }, typed === undefined ? {} : { value: typed });
  } else if (typed !== undefined) await writeStdout(`${typed}\n`);
  else if (reply.exists) await printBytes(reply.data);
  else process.stderr.write(`faasmjs: state key '${key}' of user ${session.user} has no value\n`);
  return reply.exists ? EXIT.ok : EXIT.missing;
}

export const stateSet = {
  usage: 'state set KEY [VALUE | -]',
  summary: 'replace the value of state key KEY',
  details: '--json: {"key","size"}.',
  options: VALUE_OPTIONS,
  run: ({ positionals, options, open, json }) => {
    const [key, value] = valueOf(positionals, options, 'set');
    return withSession(open, async (session) => {
      await session.request(TYPE.STATE_SET, { key, value }, `set of state key '${key}'`);
      if (json) await printJson({ key, size: value.length });
      return EXIT.ok;
    });
  },
};

export const stateAppend = {
  usage: 'state append KEY [VALUE | -]',
  summary: 'append an element to the append log of state key KEY',
  details: '--json: {"key","size"} (the element\'s).',
  options: VALUE_OPTIONS,
  run: ({ positionals, options, open, json }) => {
    const [key, element] = valueOf(positionals, options, 'append');
    return withSession(open, async (session) => {
      await session.request(TYPE.STATE_APPEND, { key, element }, `append to state key '${key}'`);
      if (json) await printJson({ key, size: element.length });
      return EXIT.ok;
    });
  },
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
