// The connection's mechanics (sdk/js/transport/connection.js) against a scripted faasmjs.v1 server on
// 127.0.0.1 (support.mjs): only what a real gateway cannot be made to do on demand — a socket cut mid-request,
// a server that goes silent, a resume whose replies come from the session's store, a session the server has
// forgotten, a broken frame. The same behaviour against the real gateway is in gateway.test.mjs.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  ClientClosed, ConnectionLost, GatewayError, ProtocolError, Unsupported,
} from '../../../sdk/js/errors.js';
import { TYPE } from '../../../sdk/js/transport/codec.js';
import { Connection } from '../../../sdk/js/transport/connection.js';
import {
  ACK, ERROR, Fields, PONG, RESULT, STATE_SIZE_IS, STATE_VALUE, WELCOME, WebSocket, blob, bytes, errorBody, message, resultBody,
  startFakeGateway, u32, until, welcomeBody,
} from './support.mjs';

const cleanup = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()();
});

async function fakeGateway(options) {
  const gateway = await startFakeGateway(options);
  cleanup.push(() => gateway.close());
  return gateway;
}

async function connected(gateway, options = {}) {
  const connection = new Connection(gateway.url, { user: 'ada', webSocket: WebSocket, ...options });
  const states = [];
  connection.addEventListener('connection', ({ detail }) => states.push(detail));
  cleanup.push(() => connection.close());
  await connection.open();
  return { connection, states };
}

const invoke = (name, input = '') => ({ function: name, input: new TextEncoder().encode(input) });
const text = (b) => new TextDecoder().decode(b);
const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));
const requestsOf = (gateway, type) => gateway.received.filter((m) => m.type === type);

describe('handshake', () => {
  it('says HELLO with the user and token, and exposes WELCOME', async () => {
    const gateway = await fakeGateway();
    const { connection } = await connected(gateway, { token: 'secret' });
    const [hello] = gateway.received;
    assert.equal(hello.type, TYPE.HELLO);
    const fields = new Fields(hello.body);
    assert.deepEqual([fields.u16(), fields.str(), fields.str(), fields.u64(), fields.done], [1, 'ada', 'secret', 0n, true]);
    assert.equal(gateway.sockets[0].protocol, 'faasmjs.v1');
    assert.equal(connection.welcome.server, 'fake gateway');
    assert.equal(connection.welcome.session, 100n);
    assert.equal(connection.state, 'open');
  });

  it('rejects with the gateway\'s refusal, or with ConnectionLost when no gateway answers', async () => {
    const gateway = await fakeGateway({ onHello: (hello, reply) => reply(ERROR, errorBody(5, `user '${hello.user}' is not allowed`)) });
    await assert.rejects(new Connection(gateway.url, { user: 'eve', webSocket: WebSocket }).open(),
      (error) => error instanceof GatewayError && error.gatewayCode === 'BadUser' && /refused the connection: user 'eve' is not allowed/.test(error.message));
    const closed = await fakeGateway();
    const url = closed.url;
    await closed.close();
    await assert.rejects(new Connection(url, { user: 'ada', webSocket: WebSocket }).open(),
      (error) => error instanceof ConnectionLost && error.message.includes(url));
  });

  it('needs a WebSocket: Unsupported where there is none', () => {
    assert.throws(() => new Connection('ws://127.0.0.1:1/ws', { user: 'ada', webSocket: undefined }),
      (error) => error instanceof Unsupported && /no WebSocket; pass options.webSocket/.test(error.message));
  });
});

describe('requests', () => {
  it('sends the requests of one turn in one frame, with distinct non-zero ids, and matches replies by id', async () => {
    const gateway = await fakeGateway({
      onMessage: (msg, reply) => reply(RESULT, resultBody({ output: `out ${msg.id}` })),
    });
    const { connection } = await connected(gateway);
    const calls = Array.from({ length: 50 }, (_, i) => connection.request(TYPE.INVOKE, invoke('f', String(i))));
    const results = await Promise.all(calls);
    const frames = gateway.frames.filter((frame) => frame.messages[0].type === TYPE.INVOKE);
    assert.equal(frames.length, 1, 'one frame for the turn');
    assert.equal(frames[0].isBinary, true);
    const ids = frames[0].messages.map((m) => m.id);
    assert.equal(new Set(ids).size, 50);
    assert.ok(ids.every((id) => id > 0));
    results.forEach((result, i) => assert.equal(text(result.output), `out ${ids[i]}`));
    await connection.request(TYPE.INVOKE, invoke('f'));
    assert.equal(gateway.frames.filter((frame) => frame.messages[0].type === TYPE.INVOKE).length, 2, 'a later turn, a later frame');
  });

  it('splits a turn\'s requests at maxFrame and chunks bodies over the chunk size', async () => {
    const gateway = await fakeGateway({
      welcome: { maxFrame: 200, chunkSize: 64 },
      onMessage: (msg, reply) => (msg.type === TYPE.STATE_SIZE ? reply(STATE_SIZE_IS, bytes(u32(0))) : reply(ACK, bytes(1))),
    });
    const { connection } = await connected(gateway);
    const big = new Uint8Array(1000).map((_, i) => i & 0xFF);
    const replies = await Promise.all([
      ...Array.from({ length: 10 }, () => connection.request(TYPE.STATE_SIZE, { key: 'k' })),
      connection.request(TYPE.STATE_SET, { key: 'big', value: big }),
    ]);
    assert.equal(replies.at(-1).value, 1);
    assert.ok(gateway.frames.every((frame) => frame.messages.reduce((n, m) => n + 12 + m.body.length, 0) <= 200));
    const set = requestsOf(gateway, TYPE.STATE_SET)[0];
    const fields = new Fields(set.body);
    assert.equal(fields.str(), 'big');
    assert.deepEqual(fields.bytes(), big, 'the chunks join to the body');
    const parts = gateway.frames.flatMap((frame) => frame.messages).filter((m) => m.id === set.id);
    assert.ok(parts.length > 1 && parts.slice(1).every((m) => m.type === 0x7F), 'CONTINUE after the first part');
    assert.ok(parts.every((m) => m.body.length <= 64));
  });

  it('sends a request made while a large body is on its way between that body\'s chunks', async () => {
    // A socket whose buffer counts as full for a moment after each frame, as a slow link's would.
    let busyUntil = 0;
    class SlowSocket extends WebSocket {
      get bufferedAmount() { return Date.now() < busyUntil ? 1 << 30 : super.bufferedAmount; }
      send(data) { busyUntil = Date.now() + 10; super.send(data); }
    }
    const gateway = await fakeGateway({
      welcome: { maxFrame: 1024 + 12, chunkSize: 1024 },
      onMessage: (msg, reply) => (msg.type === TYPE.STATE_SIZE ? reply(STATE_SIZE_IS, bytes(u32(0))) : reply(ACK, bytes(0))),
    });
    const { connection } = await connected(gateway, { webSocket: SlowSocket });
    const push = connection.request(TYPE.STATE_SET, { key: 'big', value: new Uint8Array(32 * 1024) });
    await until(() => gateway.frames.length >= 3, 'the push under way');
    await connection.request(TYPE.STATE_SIZE, { key: 'small' });
    await push;
    const order = gateway.frames.slice(1).map((frame) => frame.messages[0].type);
    const small = order.indexOf(TYPE.STATE_SIZE);
    assert.ok(small > 0 && order.slice(small + 1).includes(0x7F), `the small request went between chunks: ${order.join(',')}`);
  });

  it('rejects an ERROR with a GatewayError, a wrong reply with a ProtocolError, each for that request alone', async () => {
    const gateway = await fakeGateway({
      onMessage: (msg, reply) => {
        const name = new Fields(msg.body).str();
        if (name === 'missing') reply(ERROR, errorBody(9, 'no function named missing'));
        else if (name === 'confused') reply(ACK, bytes(1));
        else if (name === 'short') reply(RESULT, bytes(1, 2));
        else reply(RESULT, resultBody({ output: 'fine' }));
      },
    });
    const { connection } = await connected(gateway);
    const [missing, confused, short, fine] = await Promise.all(['missing', 'confused', 'short', 'fine']
      .map((name) => settle(connection.request(TYPE.INVOKE, invoke(name), { label: `call of ${name}` }))));
    assert.ok(missing.error instanceof GatewayError);
    assert.equal(missing.error.gatewayCode, 'UnknownFunction');
    assert.equal(missing.error.message, 'call of missing: no function named missing');
    assert.ok(confused.error instanceof ProtocolError);
    assert.match(confused.error.message, /call of confused: the gateway answered INVOKE with ACK/);
    assert.ok(short.error instanceof ProtocolError);
    assert.match(short.error.message, /call of short: the gateway's RESULT ends inside its returnValue/);
    assert.equal(text(fine.value.output), 'fine');
    assert.equal(connection.state, 'open');
  });

  it('ends the connection on a frame that breaks the protocol: every request fails with ProtocolError', async () => {
    const gateway = await fakeGateway({
      onMessage: (msg, reply, socket) => { if (new Fields(msg.body).str() === 'bad') socket.send(bytes(RESULT, 0, 0, 0, u32(msg.id), u32(99))); },
    });
    const { connection, states } = await connected(gateway);
    const waiting = settle(connection.request(TYPE.INVOKE, invoke('waits')));
    const bad = settle(connection.request(TYPE.INVOKE, invoke('bad')));
    for (const { error } of [await waiting, await bad]) {
      assert.ok(error instanceof ProtocolError, String(error));
      assert.match(error.message, /its outcome is unknown, because a RESULT from the gateway claims 99 bytes of body/);
    }
    assert.equal(connection.state, 'lost');
    assert.deepEqual(states.map((s) => s.state), ['lost']);
    await assert.rejects(connection.request(TYPE.STATE_SIZE, { key: 'k' }), ConnectionLost);
  });

  it('cancels an INVOKE in flight when its signal aborts', async () => {
    const gateway = await fakeGateway({ onMessage: (msg, reply) => { if (msg.type === TYPE.CANCEL) reply(ACK, bytes(1)); } });
    const { connection } = await connected(gateway);
    const stop = new AbortController();
    const call = settle(connection.request(TYPE.INVOKE, invoke('long'), { signal: stop.signal }));
    await until(() => requestsOf(gateway, TYPE.INVOKE).length === 1, 'the INVOKE');
    stop.abort(new Error('given up'));
    assert.equal((await call).error.message, 'given up');
    await until(() => requestsOf(gateway, TYPE.CANCEL).length === 1, 'the CANCEL');
    assert.equal(new Fields(requestsOf(gateway, TYPE.CANCEL)[0].body).u32(), requestsOf(gateway, TYPE.INVOKE)[0].id);
  });

  it('never sends a request given up on before it left', async () => {
    const gateway = await fakeGateway({ onMessage: (msg, reply) => reply(RESULT, resultBody()) });
    const { connection } = await connected(gateway);
    const stop = new AbortController();
    const dropped = settle(connection.request(TYPE.INVOKE, invoke('never'), { signal: stop.signal }));
    const kept = connection.request(TYPE.INVOKE, invoke('kept'));
    stop.abort(new Error('given up'));
    assert.equal((await dropped).error.message, 'given up');
    await kept;
    assert.deepEqual(requestsOf(gateway, TYPE.INVOKE).map((m) => new Fields(m.body).str()), ['kept']);
    assert.equal(requestsOf(gateway, TYPE.CANCEL).length, 0);
  });

  it('watches a signal shared by many requests with one listener, gone once none is pending', async () => {
    // A fork-join's calls share their tree's signal: 300 of them, 200 answered, then the rest given up on.
    const answer = new Set();
    const gateway = await fakeGateway({
      onMessage: (msg, reply) => {
        if (msg.type === TYPE.CANCEL) reply(ACK, bytes(1));
        else if (answer.has(new Fields(msg.body).str())) reply(RESULT, resultBody());
      },
    });
    const { connection } = await connected(gateway);
    const stop = new AbortController();
    const listeners = { added: 0, removed: 0 };
    const { signal } = stop;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args) => { listeners.added += 1; add(...args); };
    signal.removeEventListener = (...args) => { listeners.removed += 1; remove(...args); };
    for (let i = 0; i < 200; i += 1) answer.add(`answered ${i}`);
    const answered = Array.from({ length: 200 }, (_, i) => connection.request(TYPE.INVOKE, invoke(`answered ${i}`), { signal }));
    const abandoned = Array.from({ length: 100 }, (_, i) => settle(connection.request(TYPE.INVOKE, invoke(`abandoned ${i}`), { signal })));
    await Promise.all(answered);
    assert.deepEqual(listeners, { added: 1, removed: 0 });
    await until(() => requestsOf(gateway, TYPE.INVOKE).length === 300, 'every INVOKE');
    stop.abort(new Error('tree stopped'));
    for (const { error } of await Promise.all(abandoned)) assert.equal(error?.message, 'tree stopped');
    await until(() => requestsOf(gateway, TYPE.CANCEL).length === 100, 'a CANCEL for each abandoned call');

    // Once every request on a signal has its reply, the listener goes with them.
    const again = new AbortController();
    let removedAgain = 0;
    const removeAgain = again.signal.removeEventListener.bind(again.signal);
    again.signal.removeEventListener = (...args) => { removedAgain += 1; removeAgain(...args); };
    await Promise.all([1, 2, 3].map(() => connection.request(TYPE.INVOKE, invoke('answered 0'), { signal: again.signal })));
    assert.equal(removedAgain, 1);
  });
});

describe('dropped connections', () => {
  it('resumes the session after a cut and re-sends what is pending verbatim, with the same ids', async () => {
    let cutOnce = true;
    const gateway = await fakeGateway({
      onMessage: (msg, reply) => {
        if (cutOnce) { cutOnce = false; gateway.cut(); return; }
        reply(RESULT, resultBody({ output: `ran ${msg.id}` }));
      },
    });
    const { connection, states } = await connected(gateway, { reconnect: { delayMs: 20 } });
    const result = await connection.request(TYPE.INVOKE, invoke('f', 'payload'));
    const [first, again] = requestsOf(gateway, TYPE.INVOKE);
    assert.equal(again.id, first.id);
    assert.deepEqual(again.body, first.body);
    assert.equal(text(result.output), `ran ${first.id}`);
    const hellos = requestsOf(gateway, TYPE.HELLO).map((m) => { const f = new Fields(m.body); f.u16(); f.str(); f.str(); return f.u64(); });
    assert.deepEqual(hellos, [0n, 100n], 'the second HELLO names the session');
    assert.deepEqual(states.map((s) => s.state), ['reconnecting', 'resumed']);
  });

  it('takes a kept reply the gateway sends with WELCOME and does not ask again', async () => {
    let sockets = 0;
    let invokeId = 0;
    const gateway = await fakeGateway({
      onHello: (hello, reply, socket) => {
        sockets += 1;
        if (sockets === 1) { reply(WELCOME, welcomeBody({ session: 7n })); return; }
        socket.send(bytes(message(WELCOME, 1, welcomeBody({ session: 7n, resumed: true })), message(RESULT, invokeId, resultBody({ output: 'kept' }))));
      },
      onMessage: (msg) => { invokeId = msg.id; gateway.cut(); },
    });
    const { connection } = await connected(gateway, { reconnect: { delayMs: 20 } });
    const result = await connection.request(TYPE.INVOKE, invoke('f'));
    assert.equal(text(result.output), 'kept');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(requestsOf(gateway, TYPE.INVOKE).length, 1, 'the INVOKE was not re-sent');
  });

  it('on a new session fails what may have run and is unsafe to repeat, and re-sends the rest', async () => {
    let phase = 'first';
    const gateway = await fakeGateway({
      onMessage: (msg, reply) => {
        if (phase === 'first') {
          // Everything arrives, nothing is answered, and the gateway restarts.
          if (gateway.received.filter((m) => m.type !== TYPE.HELLO).length === 3) { phase = 'after'; gateway.forgetSessions(); gateway.cut(); }
          return;
        }
        if (msg.type === TYPE.STATE_PULL) reply(STATE_VALUE, bytes(1, u32(2), u32(0), blob(bytes(4, 2))));
        else reply(ACK, bytes(0));
      },
    });
    const { connection, states } = await connected(gateway, { reconnect: { delayMs: 20 } });
    const call = settle(connection.request(TYPE.INVOKE, invoke('sleeper'), { label: 'call 3 (sleeper)' }));
    const append = settle(connection.request(TYPE.STATE_APPEND, { key: 'log', element: bytes(1) }, { label: 'append to log' }));
    const pull = settle(connection.request(TYPE.STATE_PULL, { key: 'k' }));
    for (const [outcome, label] of [[await call, 'call 3 (sleeper)'], [await append, 'append to log']]) {
      assert.ok(outcome.error instanceof ConnectionLost, String(outcome.error));
      assert.equal(outcome.error.message, `${label}: the connection to the gateway was lost and the gateway no longer has its session `
        + '(it restarted, or the session expired); its outcome is unknown, and it is not repeated');
    }
    assert.deepEqual((await pull).value.data, bytes(4, 2));
    assert.equal(requestsOf(gateway, TYPE.INVOKE).length, 1, 'the call was not run again');
    assert.equal(requestsOf(gateway, TYPE.STATE_APPEND).length, 1, 'the append was not made again');
    assert.equal(requestsOf(gateway, TYPE.STATE_PULL).length, 2);
    assert.deepEqual(states.map((s) => s.state), ['reconnecting', 'open']);
    assert.deepEqual(states[1], { state: 'open', sessionLost: true, failed: ['call 3 (sleeper)', 'append to log'] });
  });

  it('sends requests made while reconnecting once the socket is back, even to a new session', async () => {
    const gateway = await fakeGateway({ onMessage: (msg, reply) => reply(RESULT, resultBody({ output: 'ok' })) });
    const { connection, states } = await connected(gateway, { reconnect: { delayMs: 50 } });
    let later;
    connection.addEventListener('connection', ({ detail }) => {
      if (detail.state === 'reconnecting') later = connection.request(TYPE.INVOKE, invoke('later'));
    });
    gateway.forgetSessions();
    gateway.cut();
    await until(() => later !== undefined, 'reconnecting');
    const result = await later;
    assert.equal(text(result.output), 'ok');
    assert.deepEqual(states.map((s) => s.state), ['reconnecting', 'open']);
    assert.deepEqual(states[1].failed, []);
  });

  it('pings a quiet gateway, and reconnects when a gateway goes silent', async () => {
    let silent = false;
    const gateway = await fakeGateway({
      onMessage: (msg, reply) => { if (msg.type === TYPE.PING && !silent) reply(PONG, msg.body); },
    });
    const { connection, states } = await connected(gateway, { keepAlive: { pingAfterMs: 60, deadAfterMs: 300 }, reconnect: { delayMs: 20 } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const pings = requestsOf(gateway, TYPE.PING);
    assert.ok(pings.length >= 3, `pings: ${pings.length}`);
    assert.ok(pings.every((ping) => ping.id === 0 && ping.socket === 0));
    assert.deepEqual(states, [], 'answered pings keep the socket');
    silent = true;
    await until(() => states.some((s) => s.state === 'resumed'), 'the resume', 3000);
    assert.deepEqual(states[0], { state: 'reconnecting', reason: 'no word from the gateway for 300 ms' });
    assert.equal(gateway.sockets.length, 2);
    assert.equal(connection.state, 'open');
  });

  it('gives up after the configured attempts: every request fails with ConnectionLost', async () => {
    const gateway = await fakeGateway();
    const { connection, states } = await connected(gateway, { reconnect: { attempts: 3, delayMs: 20, maxDelayMs: 40 } });
    const call = settle(connection.request(TYPE.INVOKE, invoke('f'), { label: 'call 1 (f)' }));
    await until(() => requestsOf(gateway, TYPE.INVOKE).length === 1, 'the INVOKE');
    const started = Date.now();
    await gateway.close();
    const { error } = await call;
    assert.ok(error instanceof ConnectionLost);
    assert.match(error.message, /^call 1 \(f\): the connection to the gateway at ws:\/\/127\.0\.0\.1:\d+\/ws was lost and 3 attempts to reconnect failed \(.*\); whether the request took effect is unknown$/);
    assert.ok(Date.now() - started < 2000, 'bounded');
    assert.deepEqual(states.map((s) => s.state), ['reconnecting', 'lost']);
    await assert.rejects(connection.request(TYPE.STATE_SIZE, { key: 'k' }), ConnectionLost);
  });
});

describe('close', () => {
  it('rejects requests in flight and later ones with ClientClosed and closes the socket with 1000', async () => {
    const gateway = await fakeGateway();
    const { connection, states } = await connected(gateway);
    const closeCode = new Promise((resolve) => gateway.sockets[0].once('close', resolve));
    const call = settle(connection.request(TYPE.INVOKE, invoke('f'), { label: 'call 1 (f)' }));
    await until(() => requestsOf(gateway, TYPE.INVOKE).length === 1, 'the INVOKE');
    connection.close();
    const { error } = await call;
    assert.ok(error instanceof ClientClosed);
    assert.equal(error.message, 'call 1 (f): the client was closed');
    assert.equal(await closeCode, 1000);
    await assert.rejects(connection.request(TYPE.STATE_SIZE, { key: 'k' }), ClientClosed);
    assert.deepEqual(states.map((s) => s.state), ['closed']);
  });
});
