// faasmjs (tools/cli) as a person or a script runs it: a subprocess of the real command against a real
// faasmjs-gateway (FAASMJS_GATEWAY_BINARY) with its embedded cluster, on a free 127.0.0.1 port. The gateway
// address reaches the command through FAASMJS_GATEWAY, tokens through --token, --token-file and --key-file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Connection } from '../../sdk/js/transport/connection.js';
import { TYPE } from '../../sdk/js/transport/codec.js';
import { describe as describeSchema } from '../../sdk/js/values/index.js';
import { Sample } from '../js/runtime/values-sample.mjs';
import { freePort, repoRoot, startGateway } from '../../tools/demo/gateway.mjs';
import { WebSocket } from 'ws';

const CLI = path.join(repoRoot, 'tools', 'cli', 'faasmjs.js');
const wasmDir = process.env.FAASMJS_WASM_DIR;
const binary = process.env.FAASMJS_GATEWAY_BINARY;
if (!wasmDir || !binary) throw new Error('run through ctest: FAASMJS_WASM_DIR and FAASMJS_GATEWAY_BINARY are needed');
const FUNCTION_DIRS = ['examples/functions', 'tests/gateway/functions', 'tests/js/runtime/functions'].map((dir) => path.join(wasmDir, dir));
// A first run compiles the functions: a call may wait that long.
const CALL_MS = 300_000;

let gateway;
let scratch;
before(async () => {
  gateway = await startGateway({ binary, functionDirs: FUNCTION_DIRS, args: ['--call-timeout', '60000'] });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-cli-'));
});
after(async () => {
  await gateway?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/**
 * Runs faasmjs; resolves with its exit status and what it printed.
 * @param {string[]} args
 * @param {{ input?: string | Uint8Array, env?: object, token?: boolean }} [options] token: add a minted
 *   --token (role upload) unless false
 */
function faasmjs(args, { input, env = {}, token = true } = {}) {
  const child = spawn(process.execPath, [CLI, ...(token ? ['--token', gateway.token('cli')] : []), ...args], {
    env: { PATH: process.env.PATH, FAASMJS_GATEWAY: gateway.wsUrl, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out = [];
  const err = [];
  child.stdout.on('data', (chunk) => out.push(chunk));
  child.stderr.on('data', (chunk) => err.push(chunk));
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), CALL_MS);
  return new Promise((resolve) => {
    child.on('close', (status) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      resolve({ status, stdoutBytes: stdout, stdout: stdout.toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** A failure must be exactly one line on stderr, `faasmjs: …`, and exit status 2. */
function oneLineError(result, pattern, what) {
  assert.equal(result.status, 2, `${what}: ${result.stderr}`);
  assert.equal(result.stdout, '', what);
  assert.match(result.stderr, /^faasmjs: [^\n]+\n$/, what);
  assert.match(result.stderr, pattern, what);
}


describe('faasmjs', { timeout: 900_000 }, () => {
  it('says how to use it: --help, COMMAND --help and --version exit 0', async () => {
    const help = await faasmjs(['--help'], { token: false });
    assert.equal(help.status, 0);
    for (const word of ['upload', 'invoke', 'state get', 'state set', 'state append', 'state keys', 'functions', 'files put',
      'files get', '--gateway', '--token', '--json', '--progress', 'FAASMJS_GATEWAY', '125']) {
      assert.ok(help.stdout.includes(word), `--help mentions ${word}`);
    }
    const invokeHelp = await faasmjs(['invoke', '--help'], { token: false });
    assert.equal(invokeHelp.status, 0);
    for (const word of ['--where', '--cmdline', '--timeout', '--input-file']) assert.ok(invokeHelp.stdout.includes(word), word);
    assert.match((await faasmjs(['--version'], { token: false })).stdout, /^faasmjs \d+\.\d+\.\d+\n$/);
  });

  it('lists the registered functions with their sha256, as text and as JSON', async () => {
    const text = await faasmjs(['functions']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^hello +[0-9a-f]{64} {2}(compiling|optimising|ready)$/m);
    const { functions } = JSON.parse((await faasmjs(['functions', '--json'])).stdout);
    assert.ok(functions.some((f) => f.name === 'probe'));
    assert.ok(functions.every((f) => ['compiling', 'optimising', 'ready'].includes(f.compile)), JSON.stringify(functions));
    assert.deepEqual(functions.map((f) => f.name), [...functions.map((f) => f.name)].sort());
  });

  it('uploads a binary with progress, then lists and invokes it', async () => {
    const wasm = path.join(wasmDir, 'examples', 'functions', 'echo.wasm');
    const uploaded = await faasmjs(['upload', 'echo_cli', wasm, '--progress']);
    assert.equal(uploaded.status, 0, uploaded.stderr);
    assert.match(uploaded.stdout, /^echo_cli: uploaded [\d.]+ kB in \d+ ms, compiled in \d+ ms; sha256 [0-9a-f]{64}\n$/);
    assert.match(uploaded.stderr, /^faasmjs: sending echo\.wasm \([\d.]+ kB\) to ws:\/\/127\.0\.0\.1:\d+\/ws$/m);
    const json = JSON.parse((await faasmjs(['upload', 'echo_cli', wasm, '--json'])).stdout);
    assert.equal(json.function, 'echo_cli');
    assert.equal(json.bytes, fs.statSync(wasm).size);
    const { functions } = JSON.parse((await faasmjs(['functions', '--json'])).stdout);
    assert.equal(functions.find((f) => f.name === 'echo_cli').sha256, json.sha256);
    // An upload answers once its first module is built: the call below does not wait for a compiler.
    assert.match(functions.find((f) => f.name === 'echo_cli').compile, /^(optimising|ready)$/);
    const called = await faasmjs(['invoke', 'echo_cli', 'uploaded and called']);
    assert.equal(called.status, 0, called.stderr);
    assert.equal(called.stdout, 'uploaded and called');
    assert.match(called.stderr, /^faasmjs: echo_cli returned 0 in the cluster \(queued [\d.]+ ms, ran [\d.]+ ms, worker \d+/m);
  });

  it('takes the input from an argument, stdin or a file, bytes as they are', async () => {
    assert.equal((await faasmjs(['invoke', 'echo', 'from an argument'])).stdout, 'from an argument');
    assert.equal((await faasmjs(['invoke', 'echo', '-'], { input: 'from stdin' })).stdout, 'from stdin');
    const binaryInput = new Uint8Array([0, 1, 2, 0xFF, 0xFE, 10]);
    const file = path.join(scratch, 'input.bin');
    fs.writeFileSync(file, binaryInput);
    const fromFile = await faasmjs(['invoke', 'echo', '--input-file', file, '-q']);
    assert.deepEqual(new Uint8Array(fromFile.stdoutBytes), binaryInput);
    assert.equal(fromFile.stderr, '', '--quiet leaves the trace out');
    const json = JSON.parse((await faasmjs(['invoke', 'echo', '--input-file', '-', '--json'], { input: binaryInput })).stdout);
    assert.equal(json.output, null);
    assert.deepEqual(new Uint8Array(Buffer.from(json.outputBase64, 'base64')), binaryInput);
    oneLineError(await faasmjs(['invoke', 'echo', 'x', '--input-file', file]), /not both/, 'two inputs');
  });

  it('exits with the return value, 125 for a call that did not finish, and says so in --json', async () => {
    const exited = await faasmjs(['invoke', 'probe', 'exit']);
    assert.equal(exited.status, 7, exited.stderr);
    assert.match(exited.stderr, /probe returned 7 in the cluster/);
    assert.equal((await faasmjs(['invoke', 'probe', 'return'])).status, 3);
    const trapped = await faasmjs(['invoke', 'probe', 'trap', '--json']);
    assert.equal(trapped.status, 125);
    const result = JSON.parse(trapped.stdout);
    assert.deepEqual({ status: result.status, returnValue: result.returnValue, where: result.where },
      { status: 'trapped', returnValue: 1, where: 'cluster' });
    assert.match(result.error, /probe/);
    assert.equal(result.trace.status, 'trapped');
    const looped = await faasmjs(['invoke', 'runaway', 'loop', '--timeout', '1s']);
    assert.equal(looped.status, 125, looped.stderr);
    assert.match(looped.stderr, /runaway timedOut in the cluster/);
  });

  it('runs a call here with --where browser, and passes --cmdline on', async () => {
    const here = await faasmjs(['invoke', 'hello', 'Ada', '--where', 'browser', '--json']);
    assert.equal(here.status, 0, here.stderr);
    const result = JSON.parse(here.stdout);
    assert.equal(result.output, 'Hello Ada!');
    assert.equal(result.where, 'browser');
    assert.equal(result.status, 'finished');
    assert.equal((await faasmjs(['invoke', 'probe', 'trap', '--where', 'browser'])).status, 125);
    const chained = await faasmjs(['invoke', 'chain']);
    assert.equal(chained.status, 0, chained.stderr);
    assert.match(chained.stderr, /^faasmjs: {3}chain_worker #\d+ returned 0 in the cluster/m, 'the chained calls are in the trace');
    for (const where of ['cluster', 'browser']) {
      const argv = JSON.parse((await faasmjs(['invoke', 'probe', 'argv', '--cmdline', 'one two', '--where', where, '--json'])).stdout);
      assert.match(argv.output, /one.*two/, `${where}: ${JSON.stringify(argv)}`);
    }
  });

  it('sets, gets, appends to and lists state in the user\'s namespace', async () => {
    const user = { token: false };
    const as = (name) => ['--key-file', gateway.keyFile, '--user', name];
    const set = await faasmjs([...as('cli-state'), 'state', 'set', 'greeting', 'hello'], user);
    assert.deepEqual([set.status, set.stdout, set.stderr], [0, '', '']);
    assert.equal((await faasmjs([...as('cli-state'), 'state', 'get', 'greeting'], user)).stdout, 'hello');
    await faasmjs([...as('cli-state'), 'state', 'set', 'counts', '-'], { ...user, input: new Uint8Array([1, 0, 0, 0]) });
    assert.deepEqual(JSON.parse((await faasmjs([...as('cli-state'), 'state', 'keys', '--json'], user)).stdout).keys, ['counts', 'greeting']);
    assert.equal((await faasmjs([...as('cli-state'), 'state', 'keys', 'gr'], user)).stdout, 'greeting\n');
    const value = JSON.parse((await faasmjs([...as('cli-state'), 'state', 'get', 'counts', '--json'], user)).stdout);
    assert.deepEqual(value, { key: 'counts', exists: true, size: 4, value: '\u0001\u0000\u0000\u0000' });
    const missing = await faasmjs([...as('cli-state'), 'state', 'get', 'nothing'], user);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^faasmjs: state key 'nothing' of user cli-state has no value\n$/);
    assert.equal((await faasmjs([...as('cli-other'), 'state', 'get', 'greeting'], user)).status, 1, 'another user\'s namespace');
    for (const element of ['one', 'two']) {
      assert.equal((await faasmjs([...as('cli-state'), 'state', 'append', 'log', element], user)).status, 0);
    }
    // The append log, read back with the SDK's own connection as a function would read it.
    const connection = new Connection(gateway.wsUrl, { user: 'cli-state', token: gateway.token('cli-state'), webSocket: WebSocket });
    await connection.open();
    const { elements } = await connection.request(TYPE.STATE_READ_APPENDED, { key: 'log', count: 2 });
    connection.close();
    assert.deepEqual(elements.map((element) => Buffer.from(element).toString()), ['one', 'two']);
  });

  it('writes and reads typed values as JSON with --type, in the bytes the C++ SDK reads and writes', async () => {
    // values-sample.mjs's FIXED (values.hpp's fixed_sample()) as JSON, by hand: 64-bit integers exact, bytes
    // base64, a map with string keys an object and one with integer keys [key, value] pairs.
    const fixed = '{"i8":-128,"u8":255,"i16":-32768,"u16":65535,"i32":-2147483648,"u32":4294967295,'
      + '"i64":-9223372036854775808,"u64":18446744073709551615,"f32":1.5,"f64":-0.1,"flag":true,"name":"héllo ✓",'
      + '"tags":["a","","c"],"scores":{"a":1,"b":-2},"extra":2.5,"missing":null,'
      + '"inners":[{"id":1,"label":"one"},{"id":-2,"label":"two"}],"position":[0.5,-1,3.25],"pair":[7,"seven"],'
      + '"blob":"AP+A","bits":[true,false,true],"series":[[3,[-1,1099511627776]]]}';
    const type = describeSchema(Sample);
    const set = await faasmjs(['state', 'set', 'values_from_js', fixed, '--type', type]);
    assert.deepEqual([set.status, set.stderr], [0, '']);
    // values_fixed checks its input and that state value field by field against fixed_sample(), then stores and
    // outputs fixed_sample() itself.
    const called = await faasmjs(['invoke', 'values_fixed', fixed, '--input-type', type, '--output-type', type, '-q']);
    assert.deepEqual([called.status, called.stderr, called.stdout], [0, '', `${fixed}\n`]);
    const got = await faasmjs(['state', 'get', 'values_from_cpp', '--type', type]);
    assert.deepEqual([got.status, got.stdout], [0, `${fixed}\n`]);
    const json = JSON.parse((await faasmjs(['state', 'get', 'values_from_cpp', '--type', type, '--json'])).stdout);
    assert.deepEqual(Object.keys(json), ['key', 'exists', 'size', 'value']);
    assert.equal(json.value.name, 'héllo ✓');
    const invokedJson = JSON.parse((await faasmjs(['invoke', 'values_fixed', fixed, '--input-type', type, '--output-type', type, '--json'])).stdout);
    assert.equal(invokedJson.output.blob, 'AP+A');

    const scalar = await faasmjs(['state', 'set', 'typed_total', '30', '--type', 'i64']);
    assert.equal(scalar.status, 0, scalar.stderr);
    assert.equal((await faasmjs(['state', 'get', 'typed_total'])).stdoutBytes.toString('hex'), '011e00000000000000');
    assert.equal((await faasmjs(['state', 'get', 'typed_total', '--type', 'i64'])).stdout, '30\n');

    oneLineError(await faasmjs(['state', 'set', 'k', '{"x":1.5}', '--type', 'struct { x: i32 }']),
      /^faasmjs: the value of k\.x: expected an integer \(i32\), got 1\.5\n$/, 'a value of the wrong type');
    oneLineError(await faasmjs(['state', 'set', 'k', '[1,', '--type', 'vector<i32>']), /the value of k is not JSON/, 'not JSON');
    oneLineError(await faasmjs(['state', 'get', 'typed_total', '--type', 'vector<i32>']), /typed_total/, 'bytes of another type');
    oneLineError(await faasmjs(['state', 'get', 'typed_total', '--type', 'vec<i32>']),
      /^faasmjs: --type: type 'vec<i32>': unknown type 'vec' .*at character 1; see faasmjs state get --help\n$/, 'an unknown type');
    oneLineError(await faasmjs(['invoke', 'values_fixed', '--input-type', 'i32']), /--input-type: give the input/, 'no input');
  });

  it('stores and reads back shared files, faasm://PATH or PATH', async () => {
    const file = path.join(scratch, 'shared.txt');
    fs.writeFileSync(file, 'shared contents');
    const put = await faasmjs(['files', 'put', 'faasm://cli/shared.txt', file, '--json']);
    assert.deepEqual(JSON.parse(put.stdout), { path: 'cli/shared.txt', size: 15 });
    assert.equal((await faasmjs(['files', 'get', 'cli/shared.txt'])).stdout, 'shared contents');
    assert.equal((await faasmjs(['files', 'put', 'cli/stdin.bin', '-'], { input: 'piped' })).status, 0);
    assert.equal((await faasmjs(['files', 'get', 'faasm://cli/stdin.bin'])).stdout, 'piped');
    const missing = await faasmjs(['files', 'get', 'cli/none', '--json']);
    assert.equal(missing.status, 1);
    assert.deepEqual(JSON.parse(missing.stdout), { path: 'cli/none', exists: false, size: 0 });
    oneLineError(await faasmjs(['files', 'get', '../escape']), /BadState|\.\./, 'a path out of the store');
  });

  it('fails in one line with status 2: bad arguments, unknown function, no gateway, no token, a role too small', async () => {
    oneLineError(await faasmjs(['invoke']), /missing NAME; see faasmjs invoke --help/, 'no function');
    oneLineError(await faasmjs(['frobnicate']), /unknown command 'frobnicate'/, 'unknown command');
    oneLineError(await faasmjs(['invoke', 'hello', '--colour']), /unknown option --colour/, 'unknown option');
    oneLineError(await faasmjs(['invoke', 'hello', '--timeout', 'soon']), /--timeout must be a positive duration/, 'bad timeout');
    oneLineError(await faasmjs(['invoke', 'hello', '--where', 'moon']), /--where must be cluster, browser or auto/, 'bad place');
    oneLineError(await faasmjs(['state']), /state needs a subcommand: get, set, append, keys/, 'no subcommand');
    oneLineError(await faasmjs(['state', 'set', 'k']), /give the value/, 'no value');
    oneLineError(await faasmjs(['invoke', 'no_such_function']), /no function named 'no_such_function'/, 'unknown function');
    const down = `127.0.0.1:${await freePort()}`;
    oneLineError(await faasmjs(['functions', '--gateway', down]), /cannot connect to the gateway at ws:\/\/127\.0\.0\.1:\d+\/ws/, 'gateway down');
    oneLineError(await faasmjs(['functions'], { env: { FAASMJS_GATEWAY: down } }), /cannot connect/, 'gateway down, from the environment');
    oneLineError(await faasmjs(['functions', '--gateway', 'ftp://x']), /not a gateway address/, 'bad address');
    oneLineError(await faasmjs(['functions'], { token: false }), /needs a token.*--token/, 'no token');
    const tokenFile = path.join(scratch, 'invoke.token');
    fs.writeFileSync(tokenFile, `${gateway.token('cli', 'invoke')}\n`);
    const invoker = ['--token-file', tokenFile];
    assert.equal((await faasmjs([...invoker, 'invoke', 'hello'], { token: false })).status, 0, 'role invoke may call');
    oneLineError(await faasmjs([...invoker, 'upload', 'x', path.join(wasmDir, 'examples', 'functions', 'echo.wasm')], { token: false }),
      /needs a token with role upload or admin/, 'role invoke may not upload');
    oneLineError(await faasmjs(['upload', 'broken', gateway.keyFile]), /upload of broken: /, 'not a wasm binary');
  });
});
