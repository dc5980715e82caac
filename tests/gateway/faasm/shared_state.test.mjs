// One value shared by a function on Faasm and the same binary running here in Node (the browser's runtime,
// Asyncify), through a real faasmjs-gateway --faasm in front of the fixture's cluster (FAASMJS_FAASM_ENV). The
// function is wamr_state (tests/gateway/faasm/functions), which uses only the state imports Faasm's WAMR links.
// The cluster's env file says its STATE_MODE, and the suite checks what that mode promises:
// - redis (gateway.faasm.shared_state; the gateway gets redis=): a value the client sets is what Faasm's function
//   reads, the browser run reads what Faasm wrote and Faasm what the browser wrote, the bytes and the append log
//   are in Faasm's Redis in faabric's layout, and a state lock held through one gateway holds off another's.
// - inmemory (gateway.faasm.shared_state_inmemory; no redis=): whole values pass both ways through the upload
//   server and never reach Redis; appends, offset writes and locks are refused naming the mode, and the gateway
//   goes on serving.
// Faasm hosts fix a key's size when they first see it and cache values, so every run uses fresh key names and a
// rewritten key keeps its size.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { connect } from '../../../sdk/js/index.js';
import { RemoteGlobalTier } from '../../../sdk/js/state/remote-tier.js';
import { Connection } from '../../../sdk/js/transport/connection.js';
import { startGateway } from '../../../tools/demo/gateway.mjs';
import { WebSocket } from '../../js/transport/support.mjs';

for (const name of ['FAASMJS_FAASM_ENV', 'FAASMJS_GATEWAY', 'FAASMJS_WASM_DIR']) {
  if (!process.env[name]) throw new Error(`set ${name}: run this suite through ctest (tests/gateway/faasm/CMakeLists.txt)`);
}
const cluster = Object.fromEntries(fs.readFileSync(process.env.FAASMJS_FAASM_ENV, 'utf8').trim().split('\n')
  .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
const workers = cluster.FAASM_WORKERS.split(',');
const mode = cluster.FAASM_STATE_MODE;
if (mode !== 'redis' && mode !== 'inmemory') throw new Error(`${process.env.FAASMJS_FAASM_ENV}: unknown FAASM_STATE_MODE '${mode}'`);

const USER = 'faasmjs-shared';
const run = randomBytes(4).toString('hex');
const key = (name) => `ss${run}_${name}`;
const text = (bytes) => (bytes === null ? null : Buffer.from(bytes).toString('latin1'));

// Faasm's Redis as Faasm's hosts see it: faabric keeps (user, key) as USER_KEY.
function redis(...args) {
  const [host, port] = cluster.FAASM_REDIS.split(':');
  return execFileSync('redis-cli', ['-h', host, '-p', port, '--no-raw', ...args], { encoding: 'latin1' }).trimEnd();
}

function startFaasmGateway() {
  const redisArg = mode === 'redis' ? `,redis=${cluster.FAASM_REDIS}` : '';
  return startGateway({
    functionDirs: [path.join(process.env.FAASMJS_WASM_DIR, 'tests', 'gateway', 'faasm', 'functions')],
    args: ['--faasm', `planner=${cluster.FAASM_PLANNER_URL},upload=${cluster.FAASM_UPLOAD_URL}${redisArg}`,
      '--call-timeout', '120000'],
  });
}

const gateways = [];
let client;
before(async () => {
  gateways.push(await startFaasmGateway());
  client = await connect(gateways[0].wsUrl, { token: gateways[0].token(USER), suspension: 'asyncify', webSocket: WebSocket });
});
after(async () => {
  await client?.close();
  for (const gateway of gateways) await gateway.close();
});

// The gateway's global tier itself, over its own connection: what client.state does not offer (append logs,
// partial pushes, locks).
async function tierOn(gateway) {
  const connection = new Connection(gateway.wsUrl, { user: USER, token: gateway.token(USER), webSocket: WebSocket });
  await connection.open();
  return { tier: new RemoteGlobalTier(connection, USER), close: () => connection.close() };
}

// wamr_state IN OUT LOG TAG COUNT, where:'cluster' (on Faasm) or 'browser' (here); its trace says which.
async function wamrState(where, input) {
  const result = await client.invoke('wamr_state', input, { where });
  assert.equal(result.returnValue, 0, `wamr_state ${input} where:${where}: ${result.error ?? result.outputText}`);
  assert.equal(result.trace.where, where);
  if (where === 'cluster') {
    assert.equal(result.trace.backend, 'faasm');
    assert.ok(workers.includes(result.trace.host), `wamr_state ran on ${result.trace.host}, not one of ${workers}`);
  }
  return result.outputText;
}

// A bound on waiting for something that must happen soon.
function within(ms, promise, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function redisMode() {
  const log = key('log');

  it('a value the client sets is what wamr_state on Faasm reads, and the client reads what it wrote', async () => {
    await client.state.set(key('v0'), 'alpha-01');
    assert.equal(redis('GET', `${USER}_${key('v0')}`), '"alpha-01"', 'the value is in Faasm\'s layout in its Redis');
    assert.equal(await wamrState('cluster', `${key('v0')} ${key('v1')} ${log} faasm-01 1`), 'seen:alpha-01 log:faasm-01');
    assert.equal(text(await client.state.get(key('v1'))), 'seen:alpha-01');
    assert.equal(redis('GET', `${USER}_${key('v1')}`), '"seen:alpha-01"');
    assert.equal(redis('LRANGE', `${USER}_${log}`, '0', '-1'), '1) "faasm-01"');
  });

  it('the same binary in Node reads what Faasm wrote, and Faasm reads what it wrote', async () => {
    assert.equal(await wamrState('browser', `${key('v1')} ${key('v2')} ${log} browsr02 2`),
      'seen:seen:alpha-01 log:faasm-01browsr02');
    assert.equal(redis('GET', `${USER}_${key('v2')}`), '"seen:seen:alpha-01"', 'the browser run pushed to Faasm\'s Redis');
    assert.equal(await wamrState('cluster', `${key('v2')} ${key('v3')} ${log} faasm-03 3`),
      'seen:seen:seen:alpha-01 log:faasm-01browsr02faasm-03');
    assert.equal(text(await client.state.get(key('v3'))), 'seen:seen:seen:alpha-01');
    const { tier, close } = await tierOn(gateways[0]);
    try {
      assert.deepEqual((await tier.readAppended(`${USER}_${log}`, 10)).map(text), ['faasm-01', 'browsr02', 'faasm-03']);
      await tier.append(`${USER}_${log}`, Buffer.from('client04'));
    } finally {
      await close();
    }
    assert.equal(await wamrState('cluster', `${key('v3')} ${key('v4')} ${log} faasm-05 5`),
      'seen:seen:seen:seen:alpha-01 log:faasm-01browsr02faasm-03client04faasm-05', 'Faasm reads the client\'s append');
  });

  it('a value rewritten at its size is read afresh on Faasm, whichever host cached it', async () => {
    // More runs than hosts: some run where the key was read before, and only their pull makes them see the new value
    // (without it they read the old one).
    const hosts = new Set();
    let reread = 0;
    for (let i = 2; i <= 5; i += 1) {
      const value = `alpha-0${i}`;
      await client.state.set(key('v0'), value);
      const result = await client.invoke('wamr_state', `${key('v0')} ${key(`r${i}`)} ${key('rlog')} rewrite${i} 1`, { where: 'cluster' });
      assert.equal(result.returnValue, 0, result.error);
      assert.equal(result.outputText, `seen:${value} log:rewrite2`);
      assert.equal(text(await client.state.get(key(`r${i}`))), `seen:${value}`);
      if (hosts.has(result.trace.host)) reread += 1;
      hosts.add(result.trace.host);
    }
    assert.ok(reread > 0, `every run was on a host new to the key (${[...hosts]}): the cached copy is untested`);
  });

  it('a lock held through one gateway holds off the other gateway\'s until it is released', async () => {
    gateways.push(await startFaasmGateway());
    const [a, b] = [await tierOn(gateways[0]), await tierOn(gateways[1])];
    const locked = `${USER}_${key('locked')}`;
    try {
      await a.tier.lock(locked, true);
      const first = redis('GET', `${locked}_lock`);
      assert.match(first, /^"\d+"$/, 'Faasm\'s global lock is in Redis');
      let granted = false;
      const waiting = b.tier.lock(locked, true).then(() => { granted = true; });
      // Several of the other gateway's 100 ms polls of Redis.
      await Promise.race([waiting, pause(800)]);
      assert.equal(granted, false, 'the second gateway granted a lock the first holds');
      assert.equal(await a.tier.unlock(locked, true), true);
      await within(3000, waiting, 'the second gateway\'s lock after the release');
      const second = redis('GET', `${locked}_lock`);
      assert.match(second, /^"\d+"$/);
      assert.notEqual(second, first, 'the second gateway holds Faasm\'s lock now, under its own id');
      assert.equal(await b.tier.unlock(locked, true), true);
      assert.equal(redis('EXISTS', `${locked}_lock`), '(integer) 0', 'released in Redis');
    } finally {
      await a.close();
      await b.close();
    }
  });
}

function inmemoryMode() {
  const refusal = /needs Faasm's Redis state mode \(this cluster runs STATE_MODE=inmemory/;

  it('whole values pass between the client and Faasm through the upload server, never Redis', async () => {
    await client.state.set(key('v0'), 'alpha-01');
    assert.equal(await wamrState('cluster', `${key('v0')} ${key('v1')} ${key('log')} faasm-01 1`), 'seen:alpha-01 log:faasm-01');
    assert.equal(text(await client.state.get(key('v1'))), 'seen:alpha-01');
    for (const name of ['v0', 'v1']) {
      assert.equal(redis('EXISTS', `${USER}_${key(name)}`), '(integer) 0', `${name} is not in Redis`);
      assert.match(redis('GET', `main_${USER}_${key(name)}`), /^"127\./, `${name} has a main host in Redis`);
    }
    await client.state.set(key('v0'), 'alpha-02');
    assert.equal(await wamrState('cluster', `${key('v0')} ${key('v2')} ${key('log2')} faasm-02 1`), 'seen:alpha-02 log:faasm-02');
    assert.equal(text(await client.state.get(key('v0'))), 'alpha-02');
  });

  it('refuses appends, offset writes and locks naming the mode, and goes on serving', async () => {
    const { tier, close } = await tierOn(gateways[0]);
    const value = `${USER}_${key('v1')}`;
    try {
      await assert.rejects(tier.append(`${USER}_${key('log')}`, Buffer.from('client01')), refusal);
      await assert.rejects(tier.readAppended(`${USER}_${key('log')}`, 1), refusal);
      await assert.rejects(tier.pushPartial(value, 13, [{ offset: 0, bytes: Buffer.from('SEEN') }]), refusal);
      await assert.rejects(tier.push(value, 13, [{ offset: 0, bytes: Buffer.from('SEEN') }]), refusal);
      await assert.rejects(tier.lock(value, true), refusal);
      await assert.rejects(tier.lock(value, false), refusal);
      assert.equal(text((await tier.pull(value)).bytes), 'seen:alpha-01', 'nothing refused was written');
    } finally {
      await close();
    }
    // The browser run's append is refused in the same words; its whole-value push went through first.
    const browser = await client.invoke('wamr_state', `${key('v1')} ${key('b1')} ${key('blog')} browsr01 1`, { where: 'browser' });
    assert.notEqual(browser.returnValue, 0);
    assert.match(browser.error, refusal);
    assert.equal(await wamrState('cluster', `${key('b1')} ${key('b2')} ${key('log3')} faasm-03 1`), 'seen:seen:seen:alpha-01 log:faasm-03');
    assert.equal(text(await client.state.get(key('b2'))), 'seen:seen:seen:alpha-01');
  });
}

// One of the two, by the cluster's mode: each ctest suite runs on the cluster of its mode.
const suites = { redis: redisMode, inmemory: inmemoryMode };
describe(`state shared with a Faasm cluster in STATE_MODE=${mode}`, () => suites[mode]());
