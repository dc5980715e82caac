// The client codec of faasmjs.v1 (sdk/js/transport/codec.js) against bytes written out by hand from
// docs/protocol.md: every client message encoded, every server message decoded, frames of several messages,
// chunking and interleaving, reassembly, and every way a server frame can break the protocol.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { ProtocolError } from '../../../sdk/js/errors.js';
import {
  FrameReader, OutgoingQueue, TYPE, decode, encode, packFrames,
} from '../../../sdk/js/transport/codec.js';
import { blob, bytes, message, splitFrame, str, u16, u32, u64 } from './support.mjs';

const hex = (text) => new Uint8Array(text.replace(/"([^"]*)"/g, (_, s) => Buffer.from(s).toString('hex'))
  .replace(/\s+/g, '').match(/../g).map((pair) => parseInt(pair, 16)));

const LIMITS = { maxFrame: 4 << 20, chunkSize: 1 << 20 };
const violation = (pattern) => (error) => {
  assert.ok(error instanceof ProtocolError, `${error?.name}: ${error?.message}`);
  assert.equal(error.code, 'ProtocolError');
  assert.match(error.message, pattern);
  return true;
};

describe('encoding client messages', () => {
  it('packs the fork-join example of docs/protocol.md into exactly its bytes', () => {
    const invoke = (id, input) => ({ type: TYPE.INVOKE, id, body: encode(TYPE.INVOKE, { function: 'child', input: new TextEncoder().encode(input) }) });
    const frames = packFrames([invoke(7, 'in-1'), invoke(8, 'in-2')], LIMITS);
    assert.equal(frames.length, 1);
    assert.deepEqual(frames[0], hex(`
      02 00 0000 07000000 1F000000  0500 "child" 00000000 0000 00000000 04000000 "in-1" 00000000 0000
      02 00 0000 08000000 1F000000  0500 "child" 00000000 0000 00000000 04000000 "in-2" 00000000 0000`));
  });

  it('encodes every client message field by field', () => {
    const data = bytes(1, 2, 3);
    const cases = [
      [TYPE.HELLO, { user: 'ada', token: 't', session: 0x0102030405060708n }, [u16(1), str('ada'), str('t'), u64(0x0102030405060708n)]],
      [TYPE.HELLO, { user: 'ada' }, [u16(1), str('ada'), str(''), u64(0n)]],
      [TYPE.INVOKE, { function: 'chain', funcPtr: 3, cmdline: 'a b', timeoutMs: 1500, input: data },
        [str('chain'), u32(3), str('a b'), u32(1500), blob(data), u32(0), str('')]],
      [TYPE.INVOKE, { function: 'f', files: [{ path: '/tmp/a', data }], sha256: 'a3b64f2197c2' },
        [str('f'), u32(0), str(''), u32(0), blob(new Uint8Array(0)), u32(1), str('/tmp/a'), blob(data), str('a3b64f2197c2')]],
      [TYPE.AWAIT, { callId: 9 }, [u32(9)]],
      [TYPE.CANCEL, { callId: 0xFFFFFFFF }, [u32(0xFFFFFFFF)]],
      [TYPE.STATE_SIZE, { key: 'k' }, [str('k')]],
      [TYPE.STATE_PULL, { key: 'k' }, [str('k'), u32(0), u32(0xFFFFFFFF)]],
      [TYPE.STATE_PULL, { key: 'k', offset: 4, length: 8 }, [str('k'), u32(4), u32(8)]],
      [TYPE.STATE_PUSH, { key: 'k', size: 10, partial: false, ranges: [{ offset: 0, bytes: data }, { offset: 8, bytes: bytes(9) }] },
        [str('k'), u32(10), 0, u32(2), u32(0), blob(data), u32(8), blob(bytes(9))]],
      [TYPE.STATE_PUSH, { key: 'k', size: 3, partial: true, ranges: [] }, [str('k'), u32(3), 1, u32(0)]],
      [TYPE.STATE_SET, { key: 'k', value: data }, [str('k'), blob(data)]],
      [TYPE.STATE_APPEND, { key: 'k', element: data }, [str('k'), blob(data)]],
      [TYPE.STATE_READ_APPENDED, { key: 'k', count: 2 }, [str('k'), u32(2)]],
      [TYPE.STATE_CLEAR_APPENDED, { key: 'k' }, [str('k')]],
      [TYPE.STATE_LOCK, { key: 'k', exclusive: true }, [str('k'), 1]],
      [TYPE.STATE_UNLOCK, { key: 'k', exclusive: false }, [str('k'), 0]],
      [TYPE.STATE_KEYS, { prefix: 'p' }, [str('p')]],
      [TYPE.UPLOAD, { function: 'f', wasm: data }, [str('f'), blob(data)]],
      [TYPE.FILE_UPLOAD, { path: 'd/x', data }, [str('d/x'), blob(data)]],
      [TYPE.FILE_GET, { path: 'd/x' }, [str('d/x')]],
      [TYPE.FUNCTIONS, {}, []],
      [TYPE.PING, { payload: data }, [blob(data)]],
      [TYPE.PING, {}, [blob(new Uint8Array(0))]],
    ];
    for (const [type, fields, expected] of cases) {
      assert.deepEqual(encode(type, fields), bytes(expected), `${type.toString(16)} ${JSON.stringify(fields, (k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
    }
    assert.deepEqual(encode(TYPE.STATE_KEYS, { prefix: 'é' }), bytes(u16(2), 0xC3, 0xA9), 'strings are UTF-8, length in bytes');
  });

  it('keeps every byte in order across long strings and byte fields short, long and in between', () => {
    const pattern = (length, seed) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xFF);
    const ranges = [0, 1, 1023, 1024, 1025, 5000, 1 << 20].map((length, i) => ({ offset: i, bytes: pattern(length, i) }));
    const key = `ké€😀${'k'.repeat(300)}`;
    const expected = [str(key), u32(1 << 21), 1, u32(ranges.length)];
    for (const { offset, bytes: b } of ranges) expected.push(u32(offset), blob(b));
    assert.deepEqual(encode(TYPE.STATE_PUSH, { key, size: 1 << 21, partial: true, ranges }), bytes(expected));
    const longest = '€'.repeat(21845);
    assert.deepEqual(encode(TYPE.STATE_SIZE, { key: longest }).length, 2 + 65535, '65535 bytes of UTF-8 fit');
    assert.throws(() => encode(TYPE.STATE_SIZE, { key: `${longest}a` }), /key is 65536 bytes of UTF-8; the protocol allows 65535/);
  });

  it('refuses fields the protocol cannot carry, naming them', () => {
    assert.throws(() => encode(TYPE.INVOKE, { function: 'f', funcPtr: -1 }), /funcPtr must be an integer from 0 to 4294967295/);
    assert.throws(() => encode(TYPE.INVOKE, { function: 'f', timeoutMs: 2 ** 32 }), /timeoutMs/);
    assert.throws(() => encode(TYPE.STATE_SIZE, { key: 'x'.repeat(65536) }), /key is 65536 bytes of UTF-8; the protocol allows 65535/);
    assert.throws(() => encode(TYPE.STATE_SET, { key: 'k', value: 'text' }), /value must be a Uint8Array/);
    assert.throws(() => encode(TYPE.HELLO, { user: 'u', session: 1 }), /session must be a u64 BigInt/);
    assert.throws(() => encode(TYPE.RESULT, {}), /RESULT is not a client message/);
    assert.throws(() => encode(TYPE.CONTINUE, {}), /CONTINUE is not a client message/);
  });
});

describe('frames', () => {
  const body = (length, fill) => new Uint8Array(length).fill(fill);

  it('puts many messages in one frame and splits at maxFrame', () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({ type: TYPE.AWAIT, id: i + 1, body: body(4, i) }));
    assert.equal(packFrames(messages, LIMITS).length, 1);
    // Each message is 16 bytes: three fit a 50-byte frame.
    const frames = packFrames(messages, { maxFrame: 50, chunkSize: 1024 });
    assert.deepEqual(frames.map((frame) => frame.length), [48, 48, 48, 16]);
    assert.deepEqual(frames.flatMap((frame) => splitFrame(frame)).map((m) => m.id), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('chunks a body over the chunk size, MORE on all parts but the last, CONTINUE after the first', () => {
    const frames = packFrames([{ type: TYPE.STATE_SET, id: 5, body: body(10, 7) }], { maxFrame: 100, chunkSize: 4 });
    assert.equal(frames.length, 1);
    assert.deepEqual(frames[0], bytes(
      message(TYPE.STATE_SET, 5, body(4, 7), 1), message(TYPE.CONTINUE, 5, body(4, 7), 1), message(TYPE.CONTINUE, 5, body(2, 7))));
  });

  it('never makes a part larger than a frame, whatever the chunk size', () => {
    const frames = packFrames([{ type: TYPE.STATE_SET, id: 1, body: body(100, 1) }], { maxFrame: 40, chunkSize: 1 << 20 });
    assert.ok(frames.every((frame) => frame.length <= 40));
    const parts = frames.flatMap((frame) => splitFrame(frame));
    // 28 bytes of body fit a 40-byte frame: 28 + 28 + 28 + 16.
    assert.deepEqual(parts.map((m) => [m.type, m.flags, m.body.length]),
      [[TYPE.STATE_SET, 1, 28], [TYPE.CONTINUE, 1, 28], [TYPE.CONTINUE, 1, 28], [TYPE.CONTINUE, 0, 16]]);
    assert.deepEqual(bytes(parts.map((m) => m.body)), body(100, 1));
  });

  it('interleaves the chunks of a large body with messages queued behind it', () => {
    const queue = new OutgoingQueue({ maxFrame: 12 + 8, chunkSize: 8 });
    queue.push({ type: TYPE.STATE_SET, id: 1, body: body(24, 1) });
    const first = queue.nextFrame();
    queue.push({ type: TYPE.INVOKE, id: 2, body: body(8, 2) });
    const rest = [];
    for (let frame = queue.nextFrame(); frame !== null; frame = queue.nextFrame()) rest.push(frame);
    const order = [first, ...rest].map((frame) => [frame[0], frame[4]]);
    assert.deepEqual(order, [[TYPE.STATE_SET, 1], [TYPE.INVOKE, 2], [TYPE.CONTINUE, 1], [TYPE.CONTINUE, 1]]);
    assert.equal(queue.empty, true);
  });

  it('takes back a message that has not started, and only such', () => {
    const queue = new OutgoingQueue({ maxFrame: 12 + 8, chunkSize: 8 });
    queue.push({ type: TYPE.STATE_SET, id: 1, body: body(16, 1) });
    queue.push({ type: TYPE.INVOKE, id: 2, body: body(4, 2) });
    queue.push({ type: TYPE.INVOKE, id: 3, body: body(4, 3) });
    queue.nextFrame();
    assert.equal(queue.drop(1), false, 'its first chunk left');
    assert.equal(queue.drop(2), true);
    assert.equal(queue.drop(2), false);
    const rest = [];
    for (let frame = queue.nextFrame(); frame !== null; frame = queue.nextFrame()) rest.push(...splitFrame(frame).map((m) => m.id));
    assert.deepEqual(rest, [3, 1]);
  });

  it('reports when a message\'s last part leaves, and not before', () => {
    const queue = new OutgoingQueue({ maxFrame: 12 + 8, chunkSize: 8 });
    const done = [];
    queue.push({ type: TYPE.STATE_SET, id: 1, body: body(16, 1) }, () => done.push(1));
    queue.nextFrame();
    assert.deepEqual(done, []);
    queue.nextFrame();
    assert.deepEqual(done, [1]);
  });
});

describe('decoding server messages', () => {
  const read = (frame) => new FrameReader().read(frame);
  const one = (type, body) => {
    const [m] = read(message(type, 3, bytes(body)));
    assert.equal(m.id, 3);
    return decode(m.type, m.body);
  };

  it('decodes every server message', () => {
    assert.deepEqual(one(TYPE.WELCOME, [u16(1), u64(0xABCDEF0123456789n), 1, u32(4 << 20), u32(1 << 20), u32(256 << 20), u32(2), str('faasmjs-gateway 0.1.0')]),
      { type: TYPE.WELCOME, version: 1, session: 0xABCDEF0123456789n, resumed: true, maxFrame: 4 << 20, chunkSize: 1 << 20,
        maxBody: 256 << 20, workers: 2, server: 'faasmjs-gateway 0.1.0' });
    assert.deepEqual(one(TYPE.RESULT, [u32(0xFFFFFFFF), 1, str('t trapped'), u32(5), u32(6), str('{}'), blob('o'), blob('e'), blob('out')]),
      { type: TYPE.RESULT, returnValue: -1, status: 'trapped', error: 't trapped', queuedUs: 5, runUs: 6, trace: '{}',
        stdout: bytes('o'), stderr: bytes('e'), output: bytes('out') });
    assert.deepEqual(one(TYPE.ACK, [1]), { type: TYPE.ACK, value: 1 });
    assert.deepEqual(one(TYPE.STATE_SIZE_IS, [u32(77)]), { type: TYPE.STATE_SIZE_IS, size: 77 });
    assert.deepEqual(one(TYPE.STATE_VALUE, [1, u32(10), u32(2), blob(bytes(1, 2))]),
      { type: TYPE.STATE_VALUE, exists: true, size: 10, offset: 2, data: bytes(1, 2) });
    assert.deepEqual(one(TYPE.STATE_APPENDED, [u32(2), blob('a'), blob('bc')]), { type: TYPE.STATE_APPENDED, elements: [bytes('a'), bytes('bc')] });
    assert.deepEqual(one(TYPE.STATE_KEY_LIST, [u32(2), str('a'), str('b')]), { type: TYPE.STATE_KEY_LIST, keys: ['a', 'b'] });
    assert.deepEqual(one(TYPE.UPLOADED, [str('f'), str('ab12'), u32(900)]), { type: TYPE.UPLOADED, function: 'f', sha256: 'ab12', compileMs: 900 });
    assert.deepEqual(one(TYPE.FILE_DATA, [1, blob(bytes(7))]), { type: TYPE.FILE_DATA, exists: true, data: bytes(7) });
    assert.deepEqual(one(TYPE.FUNCTION_LIST, [u32(3), str('a'), str('11'), [0], str('b'), str('22'), [2], str('c'), str('33'), [9]]),
      { type: TYPE.FUNCTION_LIST, functions: [{ name: 'a', sha256: '11', compile: 'compiling' },
        { name: 'b', sha256: '22', compile: 'ready' }, { name: 'c', sha256: '33', compile: 'unknown' }] });
    assert.deepEqual(one(TYPE.PONG, [blob(bytes(7, 7))]), { type: TYPE.PONG, payload: bytes(7, 7) });
    assert.deepEqual(one(TYPE.ERROR, [u16(9), str('no function f')]), { type: TYPE.ERROR, code: 'UnknownFunction', number: 9, message: 'no function f' });
    assert.deepEqual(one(TYPE.ERROR, [u16(99), str('new')]), { type: TYPE.ERROR, code: 'Error99', number: 99, message: 'new' });
  });

  it('maps every RESULT status', () => {
    const statuses = [0, 1, 2, 3, 4, 5, 6].map((s) => one(TYPE.RESULT, [u32(1), s, str(''), u32(0), u32(0), str(''), blob(''), blob(''), blob('')]).status);
    assert.deepEqual(statuses, ['finished', 'trapped', 'timedOut', 'memoryExceeded', 'cancelled', 'crashed', 'failed']);
  });

  it('splits a frame of several replies and joins chunked bodies interleaved with others', () => {
    const reader = new FrameReader();
    const first = reader.read(bytes(
      message(TYPE.STATE_VALUE, 4, bytes(1, u32(6), u32(0)), 1),
      message(TYPE.ACK, 5, bytes(1)),
      message(TYPE.CONTINUE, 4, bytes(u32(2)), 1)));
    assert.deepEqual(first.map((m) => [m.type, m.id]), [[TYPE.ACK, 5]]);
    const second = reader.read(bytes(message(TYPE.PONG, 0, bytes(blob(''))), message(TYPE.CONTINUE, 4, bytes(9, 8))));
    assert.deepEqual(second.map((m) => [m.type, m.id]), [[TYPE.PONG, 0], [TYPE.STATE_VALUE, 4]]);
    assert.deepEqual(decode(second[1].type, second[1].body), { type: TYPE.STATE_VALUE, exists: true, size: 6, offset: 0, data: bytes(9, 8) });
  });

  it('turns every malformed frame into a ProtocolError naming the problem', () => {
    const header = (type, flags, reserved, id, length) => bytes(type, flags, u16(reserved), u32(id), u32(length));
    const cases = [
      [new Uint8Array(0), /empty frame/],
      [bytes(TYPE.ACK, 0, 0, 0, 1), /ends inside a message header \(5 of 12 bytes\)/],
      [bytes(message(TYPE.ACK, 1, bytes(1)), 0x83, 0), /ends inside a message header/],
      [header(TYPE.ACK, 2, 0, 1, 1), /reserved bits/],
      [header(TYPE.ACK, 0, 1, 1, 1), /reserved bits/],
      [bytes(header(TYPE.ACK, 0, 0, 1, 5), 1), /ACK from the gateway claims 5 bytes of body; its frame has 1 left/],
      [message(TYPE.INVOKE, 1, bytes()), /INVOKE, which is not a server message/],
      [message(0x55, 1, bytes()), /type 0x55, which is not a server message/],
      [message(TYPE.CONTINUE, 9, bytes(1)), /CONTINUE for id 9, which has no body in progress/],
      [bytes(message(TYPE.RESULT, 2, bytes(1), 1), message(TYPE.ACK, 2, bytes(1))), /started a ACK for id 2 before finishing its RESULT/],
    ];
    for (const [frame, pattern] of cases) assert.throws(() => new FrameReader().read(frame), violation(pattern), String(pattern));
    const limited = new FrameReader({ maxBody: 4 });
    limited.read(message(TYPE.STATE_VALUE, 1, bytes(1, 2, 3), 1));
    assert.throws(() => limited.read(message(TYPE.CONTINUE, 1, bytes(4, 5))), violation(/STATE_VALUE for id 1 grows past maxBody \(4 bytes\)/));
  });

  it('turns every malformed body into a ProtocolError naming the field', () => {
    const cases = [
      [TYPE.ACK, [], /ACK ends inside its value/],
      [TYPE.ACK, [1, 2], /ACK has 1 bytes after its last field/],
      [TYPE.STATE_SIZE_IS, [1, 2], /STATE_SIZE_IS ends inside its size/],
      [TYPE.RESULT, [u32(0), 7], /RESULT has status 7/],
      [TYPE.RESULT, [u32(0), 0, u16(4), 'ab'], /RESULT ends inside its error/],
      [TYPE.RESULT, [u32(0), 0, str(''), u32(0), u32(0), str(''), blob(''), blob(''), u32(5), 'abc'], /RESULT ends inside its output/],
      [TYPE.ERROR, [u16(1), u16(2), 0xC3, 0x28], /ERROR has a message that is not valid UTF-8/],
      [TYPE.STATE_VALUE, [2, u32(0), u32(0), blob('')], /STATE_VALUE has exists 2; it must be 0 or 1/],
      [TYPE.STATE_APPENDED, [u32(3), blob('a')], /STATE_APPENDED ends inside its element 1's length/],
      [TYPE.STATE_KEY_LIST, [u32(0xFFFFFFFF)], /STATE_KEY_LIST ends inside its key 0's length/],
      [TYPE.FUNCTION_LIST, [u32(1), str('a')], /FUNCTION_LIST ends inside its function 0's sha256's length/],
      [TYPE.WELCOME, [u16(1), u64(0n), 0, u32(100), u32(10), u32(10), u32(1), str('g')], /session 0/],
      [TYPE.WELCOME, [u16(1), u64(5n), 0, u32(12), u32(10), u32(10), u32(1), str('g')], /maxFrame 12 and chunkSize 10: no message body would fit/],
      [TYPE.WELCOME, [u16(1), u64(5n), 0, u32(100), u32(0), u32(10), u32(1), str('g')], /chunkSize 0/],
      [TYPE.PONG, [u32(1)], /PONG ends inside its payload/],
    ];
    for (const [type, body, pattern] of cases) assert.throws(() => decode(type, bytes(body)), violation(pattern), String(pattern));
    assert.throws(() => decode(TYPE.HELLO, bytes()), violation(/type 0x01, which is not a server message/));
  });
});
