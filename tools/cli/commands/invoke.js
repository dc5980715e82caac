// faasmjs invoke NAME [INPUT]: runs a function through the SDK's client, in the gateway's cluster by default
// (--where cluster), here in this Node process with the binaries the gateway serves (--where browser), or
// where the client's placement chooses (--where auto). Prints what the function printed and its output, then
// on stderr how the call went and what it chained; exits with its return value.
import { UsageError, parseDuration, takePositionals } from '../args.js';
import { EXIT, exitForReturn } from '../exit-codes.js';
import { inputFrom, jsonBytes, printBytes, printJson, writeStdout } from '../io.js';
import { decodeOutput } from '../sdk.js';
import { decodeJson, encodeJson, typeOption } from '../typed-json.js';

const PLACES = ['cluster', 'browser', 'auto'];
const PLACE_NAMES = { cluster: 'in the cluster', browser: 'here' };

const micros = (us) => `${(us / 1000).toFixed(1)} ms`;

// One call of the trace on one line: how it ended, where, how long, on what.
function describeCall(trace, depth) {
  const ended = trace.status === 'finished' || trace.status === undefined ? `returned ${trace.returnValue}` : trace.status;
  const facts = [];
  if (trace.where === 'cluster') {
    if (trace.queuedUs !== undefined) facts.push(`queued ${micros(trace.queuedUs)}`);
    if (trace.runUs !== undefined) facts.push(`ran ${micros(trace.runUs)}`);
    if (trace.worker !== undefined) facts.push(`worker ${trace.worker}`);
    if (trace.instance !== undefined) facts.push(`instance ${trace.instance}`);
    if (trace.backend !== undefined) facts.push(`${trace.backend} host ${trace.host}`);
  } else {
    facts.push(`took ${micros(trace.durationMs * 1000)}`, trace.suspension);
    if (trace.suspensions > 0) facts.push(`${trace.suspensions} suspension${trace.suspensions === 1 ? '' : 's'}`);
  }
  if (trace.placement !== undefined) facts.push(`placed ${trace.placement.where}: ${trace.placement.reason}`);
  const id = depth === 0 ? '' : ` #${trace.id}`;
  const failed = trace.status !== 'finished' && trace.error ? `: ${trace.error}` : '';
  return `${'  '.repeat(depth)}${trace.function}${id} ${ended} ${PLACE_NAMES[trace.where]}${failed} (${facts.join(', ')})`;
}

function traceLines(trace, depth = 0) {
  const lines = [describeCall(trace, depth), ...trace.chained.flatMap((call) => traceLines(call, depth + 1))];
  if (trace.omitted !== undefined) lines.push(`${'  '.repeat(depth + 1)}… and ${trace.omitted} more the gateway did not list`);
  return lines;
}

export const invoke = {
  usage: 'invoke NAME [INPUT | -]',
  summary: 'run function NAME with INPUT (an argument, - for stdin, or --input-file) and print what it gives',
  details: 'Prints what the function wrote to stdout and its output on stdout, what it wrote to stderr and then '
    + 'the call\'s trace (how it ended, where, its timings, the calls it chained) on stderr. Exits with the return '
    + 'value (0-255; any other gives 255), or 125 when the call did not run to its end. --json: {"function",'
    + '"where","status","returnValue","error","output" (or "outputBase64"; with --output-type the value as JSON),'
    + '"stdout","stderr","trace"}.',
  options: {
    'input-file': { value: 'FILE', help: 'the input is FILE\'s bytes (- for stdin)' },
    where: { value: 'PLACE', help: 'cluster (default): in the gateway\'s cluster; browser: here, in this Node process; auto: the SDK chooses' },
    cmdline: { value: 'TEXT', help: 'the function\'s command line (argv after the function\'s name), as Faasm\'s cmdline' },
    timeout: { value: 'DURATION', help: 'stop the call after this long (500ms, 30s, 2m; a bare number is ms)' },
    'input-type': { value: 'TYPE', help: 'INPUT is JSON of the C++ TYPE the function takes (i64, vector<string>, struct { x: f64 }, ...)' },
    'output-type': { value: 'TYPE', help: 'print the output, of the C++ TYPE the function returns, as JSON' },
    quiet: { short: 'q', help: 'leave out the trace on stderr' },
  },
  async run({ positionals, options, open, progress, json }) {
    const [name, argument] = takePositionals(positionals, ['NAME', 'INPUT'], { optional: 1 });
    const inputType = typeOption(options['input-type'], '--input-type');
    const outputType = typeOption(options['output-type'], '--output-type');
    const given = inputFrom(argument, options['input-file'], 'the input');
    if (inputType && given === undefined) throw new UsageError('--input-type: give the input as JSON, an argument, - (stdin) or --input-file FILE');
    const input = inputType ? encodeJson(given, inputType, 'the input') : given;
    const where = options.where ?? 'cluster';
    if (!PLACES.includes(where)) throw new UsageError(`--where must be cluster, browser or auto, got '${where}'`);
    const timeoutMs = options.timeout === undefined ? undefined : parseDuration(options.timeout, '--timeout');
    const session = await open();
    let result;
    try {
      progress.phase(`running ${name}${where === 'auto' ? '' : ` ${PLACE_NAMES[where]}`}`);
      try {
        result = await session.client().invoke(name, input, { where, cmdline: options.cmdline ?? '', timeoutMs });
      } finally {
        progress.done();
      }
    } finally {
      await session.close();
    }
    const { trace } = result;
    const code = trace.status === 'finished' ? exitForReturn(result.returnValue) : EXIT.callFailed;
    // A failed call has no value to decode: its output, if any, is whatever it wrote before it failed.
    const typed = outputType && code === EXIT.ok ? decodeJson(result.output, outputType, `the output of ${name}`, decodeOutput) : undefined;
    if (json) {
      const untyped = typed === undefined ? jsonBytes('output', result.output) : {};
      await printJson({
        function: name, where: trace.where, status: trace.status, returnValue: result.returnValue, error: result.error,
        ...untyped, stdout: result.stdout, stderr: result.stderr, trace,
      }, typed === undefined ? {} : { output: typed });
      return code;
    }
    await writeStdout(result.stdout);
    if (typed === undefined) await printBytes(result.output);
    else await writeStdout(`${typed}\n`);
    process.stderr.write(result.stderr);
    if (!options.quiet) process.stderr.write(traceLines(trace).map((line) => `faasmjs: ${line}\n`).join(''));
    return code;
  },
};
