// Who may connect and as whom (docs/protocol.md, "Tokens"; docs/gateway.md, "Origins and hosts"): signed
// tokens and their roles, the user namespace, function owners, session ids bound to their user, the Origin
// and Host checks with refusals as HTTP statuses, and TLS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import WebSocket from 'ws';

import { connect } from '../../../sdk/js/index.js';
import { mintToken, readTokenKey } from '../../../sdk/js/auth/mint-token.js';
import { selfSignedCertificate } from '../../support/certificate.mjs';
import { Client, GATEWAY, Gateway, TYPE, bytes, functionsDir, scratchDir, text } from './harness.mjs';

const CALL_MS = 240_000;

// fetch() does not let a test set Host.
function get(url, headers) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, body }));
    }).on('error', reject);
  });
}

const hello = (client, fields) => client.request(TYPE.HELLO, { user: '', token: '', ...fields });

describe('gateway authentication', { timeout: 600_000 }, () => {
  let scratch;
  let functions;
  let gateway;
  let anonymous;
  before(async () => {
    scratch = scratchDir();
    functions = functionsDir(scratch);
    gateway = await Gateway.start({ data: join(scratch, 'data'), functions, args: ['--allow-origin', 'https://app.example', '--allow-host', 'app.example'] });
    anonymous = await Gateway.start({ data: join(scratch, 'anonymous'), args: ['--allow-anonymous'] });
  });
  after(async () => {
    await gateway?.stop();
    await anonymous?.stop();
  });

  test('without --token-key-file or --allow-anonymous the gateway does not start, and says what to pass', () => {
    const result = spawnSync(GATEWAY, ['--port', '0', '--data', join(scratch, 'never')], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^faasmjs-gateway: .*--token-key-file FILE.*--allow-anonymous.*\n$/);
  });

  test('a valid token gets WELCOME; HELLO may leave the user to the token, never name another', async () => {
    const client = await Client.open(gateway.wsUrl);
    assert.equal((await hello(client, { user: 'bob', token: gateway.token('alice') })).code, 'BadUser');
    const welcome = await hello(client, { token: gateway.token('alice') });
    assert.equal(welcome.type, TYPE.WELCOME);
    // The namespace is the token's user: what it writes, alice reads.
    assert.equal((await client.request(TYPE.STATE_SET, { key: 'from-token', value: bytes('mine') })).type, TYPE.ACK);
    const alice = await Client.connect(gateway.wsUrl, { user: 'alice' });
    assert.equal(text((await alice.request(TYPE.STATE_PULL, { key: 'from-token' })).data), 'mine');
    await client.close();
    await alice.close();
  });

  test('no token, a forged, tampered, expired or ill-formed one is BadToken', async () => {
    const client = await Client.open(gateway.wsUrl);
    const good = gateway.token('alice', { role: 'invoke' });
    const otherKey = mintToken({ key: 'k'.repeat(32), user: 'alice', role: 'admin' });
    const tampered = good.replace('.invoke.', '.admin.');
    const expired = mintToken({ key: gateway.key, user: 'alice', ttlSeconds: 1, now: Date.now() - 10_000 });
    for (const [what, token, message] of [['none', '', /needs a token/], ['another key', otherKey, /signature/],
      ['a tampered role', tampered, /signature/], ['expired', expired, /expired/], ['not a token', 'hunter2', /not a faasm\.js token/],
      ['a signature cut short', good.slice(0, -1), /signature/]]) {
      const refused = await hello(client, { user: 'alice', token });
      assert.equal(refused.code, 'BadToken', what);
      assert.match(refused.message, message, what);
    }
    // Signed with the right key but for a user name that is not one: still refused.
    const payload = 'fjs1.alice_x.admin.99999999999';
    const forged = `${payload}.${createHmac('sha256', gateway.key).update(payload).digest('base64url')}`;
    assert.equal((await hello(client, { token: forged })).code, 'BadToken');
    assert.equal((await hello(client, { token: good })).type, TYPE.WELCOME);
    await client.close();
  });

  test('faasmjs-gateway token mints what the gateway accepts, as mint-token.js does', async () => {
    const keyFile = join(scratch, 'data.token-key');
    const printed = execFileSync(GATEWAY, ['token', '--user', 'cli-user', '--role', 'upload', '--ttl', '15m', '--key-file', keyFile],
      { encoding: 'utf8' }).trim();
    const [prefix, user, role, expiry] = printed.split('.');
    assert.deepEqual([prefix, user, role], ['fjs1', 'cli-user', 'upload']);
    const ttl = Number(expiry) - Date.now() / 1000;
    assert.ok(ttl > 800 && ttl <= 900, String(ttl));
    // Same key, same payload: the same signature from Node's backend function.
    const expiresMs = Number(expiry) * 1000;
    assert.equal(mintToken({ key: readTokenKey(keyFile), user, role, ttlSeconds: 900, now: expiresMs - 900_000 }), printed);
    const client = await Client.open(gateway.wsUrl);
    assert.equal((await hello(client, { token: printed })).type, TYPE.WELCOME);
    await client.close();
    for (const args of [['--user', 'a_b', '--key-file', keyFile], ['--user', 'x', '--role', 'root', '--key-file', keyFile],
      ['--user', 'x', '--ttl', 'forever', '--key-file', keyFile], ['--user', 'x'], ['--user', 'x', '--key-file', join(scratch, 'none')]]) {
      const refused = spawnSync(GATEWAY, ['token', ...args], { encoding: 'utf8' });
      assert.equal(refused.status, 2, args.join(' '));
      assert.equal(refused.stderr.trim().split('\n').length, 1, args.join(' '));
    }
  });

  test('the SDK connects with a token and takes its user from it', async () => {
    const client = await connect(gateway.wsUrl, { token: gateway.token('sdk-user', { role: 'invoke' }), webSocket: WebSocket });
    try {
      assert.equal(client.user, 'sdk-user');
      const result = await client.invoke('echo', 'via token', { where: 'cluster' });
      assert.equal(result.outputText, 'via token');
    } finally {
      await client.close();
    }
  });

  test('role invoke may call and use state but not UPLOAD; upload and admin may', async () => {
    const wasm = readFileSync(join(functions, 'echo.wasm'));
    const invoker = await Client.connect(gateway.wsUrl, { user: 'invoker', role: 'invoke' });
    const refused = await invoker.request(TYPE.UPLOAD, { function: 'by-invoker', wasm });
    assert.equal(refused.code, 'Forbidden');
    assert.match(refused.message, /role invoke/);
    assert.equal((await invoker.request(TYPE.INVOKE, { function: 'by-invoker', input: bytes('') }, { ms: CALL_MS })).code, 'UnknownFunction');
    assert.equal(text((await invoker.request(TYPE.INVOKE, { function: 'echo', input: bytes('may') }, { ms: CALL_MS })).output), 'may');
    assert.equal((await invoker.request(TYPE.STATE_SET, { key: 'k', value: bytes('v') })).type, TYPE.ACK);
    await invoker.close();
  });

  test('an uploaded function is its uploader\'s: another uploader may not replace it, an admin may, after a restart too', async () => {
    const echo = readFileSync(join(functions, 'echo.wasm'));
    const hello = readFileSync(join(functions, 'hello.wasm'));
    const alice = await Client.connect(gateway.wsUrl, { user: 'alice' });
    assert.equal((await alice.request(TYPE.UPLOAD, { function: 'alices', wasm: echo }, { ms: CALL_MS })).type, TYPE.UPLOADED);
    const mallory = await Client.connect(gateway.wsUrl, { user: 'mallory' });
    const taken = await mallory.request(TYPE.UPLOAD, { function: 'alices', wasm: hello }, { ms: CALL_MS });
    assert.equal(taken.code, 'Forbidden');
    assert.match(taken.message, /belongs to user 'alice'/);
    // --functions are the operator's: no uploader replaces them.
    assert.equal((await mallory.request(TYPE.UPLOAD, { function: 'echo', wasm: hello }, { ms: CALL_MS })).code, 'Forbidden');
    assert.equal(text((await mallory.request(TYPE.INVOKE, { function: 'alices', input: bytes('still alice\'s') }, { ms: CALL_MS })).output),
      'still alice\'s');
    assert.equal((await alice.request(TYPE.UPLOAD, { function: 'alices', wasm: echo }, { ms: CALL_MS })).type, TYPE.UPLOADED);
    await alice.close();
    await mallory.close();

    gateway = await gateway.restart();
    const again = await Client.connect(gateway.wsUrl, { user: 'mallory' });
    assert.equal((await again.request(TYPE.UPLOAD, { function: 'alices', wasm: hello }, { ms: CALL_MS })).code, 'Forbidden');
    await again.close();
    const admin = await Client.connect(gateway.wsUrl, { user: 'root', role: 'admin' });
    assert.equal((await admin.request(TYPE.UPLOAD, { function: 'alices', wasm: hello }, { ms: CALL_MS })).type, TYPE.UPLOADED);
    await admin.close();
  });

  test('a user name cannot contain _, so no user reaches another\'s keys through `<user>_<key>`', async () => {
    const alice = await Client.connect(anonymous.wsUrl, { user: 'alice' });
    assert.equal((await alice.request(TYPE.STATE_SET, { key: 'x_secret', value: bytes('alice only') })).type, TYPE.ACK);
    const client = await Client.open(anonymous.wsUrl);
    // Before: user alice_x with key "secret" was alice's "x_secret".
    const refused = await hello(client, { user: 'alice_x' });
    assert.equal(refused.code, 'BadUser');
    await client.close();
    await alice.close();
    assert.throws(() => mintToken({ key: gateway.key, user: 'alice_x' }), /A-Z, a-z, 0-9 and -/);
  });

  test('a session id resumes only for its own user: another token gets a session of its own', async () => {
    const alice = await Client.connect(gateway.wsUrl, { user: 'alice' });
    const session = alice.welcome.session;
    assert.equal((await alice.request(TYPE.STATE_SET, { key: 'resumable', value: bytes('a') })).type, TYPE.ACK);
    alice.drop();
    const thief = await Client.open(gateway.wsUrl);
    // Naming alice with bob's token is refused; bob's own user does not get alice's session.
    assert.equal((await hello(thief, { user: 'alice', token: gateway.token('bob'), session })).code, 'BadUser');
    const bob = await hello(thief, { token: gateway.token('bob'), session });
    assert.equal(bob.type, TYPE.WELCOME);
    assert.equal(bob.resumed, false);
    assert.notEqual(bob.session, session);
    await thief.close();
    const back = await Client.connect(gateway.wsUrl, { user: 'alice', session });
    assert.equal(back.welcome.resumed, true);
    await back.close();
  });

  test('a WebSocket from another origin or by another host name is refused with 403 and a reason', async () => {
    const { port } = gateway;
    const refusals = [
      [{ Origin: 'http://evil.example' }, /403: Origin 'http:\/\/evil\.example' may not use this gateway/],
      [{ Origin: `http://127.0.0.2:${port}` }, /403: Origin/],
      [{ Origin: 'null' }, /403: Origin 'null'/],
      [{ Host: `evil.example:${port}` }, /403: Host 'evil\.example:\d+' is not a name of this gateway/],
      [{ Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` }, /403: Host/],
    ];
    for (const [headers, reason] of refusals) {
      await assert.rejects(Client.open(gateway.wsUrl, { headers }), reason, JSON.stringify(headers));
    }
    const allowed = [{}, { Origin: `http://127.0.0.1:${port}` }, { Host: `localhost:${port}`, Origin: `http://localhost:${port}` },
      { Origin: 'https://app.example' }, { Host: 'app.example', Origin: 'http://app.example' }, { Host: `[::1]:${port}` }];
    for (const headers of allowed) {
      const client = await Client.connect(gateway.wsUrl, { headers });
      assert.equal(client.welcome.type, TYPE.WELCOME, JSON.stringify(headers));
      await client.close();
    }
    await assert.rejects(Client.open(`ws://127.0.0.1:${port}/other`), /404: the WebSocket endpoint is \/ws/);
    await assert.rejects(Client.open(gateway.wsUrl, { protocol: 'faasmjs.v2' }), /400: the WebSocket subprotocol must be faasmjs\.v1/);
    // DNS rebinding reads HTTP responses too.
    const rebound = await get(`${gateway.url}/`, { Host: `evil.example:${port}` });
    assert.equal(rebound.status, 403);
    assert.match(rebound.body, /^Host 'evil\.example:\d+' is not a name of this gateway .*\n$/);
    assert.equal((await get(`${gateway.url}/`, { Host: `app.example:${port}` })).status, 200);
  });
});

// A JWT as a login provider would issue it: header and claims as JSON, signed with `key` (null: unsigned).
function jwt(header, claims, key, digest) {
  const part = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
  const signed = `${part(header)}.${part(claims)}`;
  return `${signed}.${key ? sign(digest, Buffer.from(signed), key).toString('base64url') : ''}`;
}

describe('gateway JWTs (--jwt-public-key)', { timeout: 300_000 }, () => {
  const ed = generateKeyPairSync('ed25519');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const later = () => Math.floor(Date.now() / 1000) + 600;
  let eddsa;
  let rs256;
  before(async () => {
    const scratch = scratchDir();
    writeFileSync(join(scratch, 'ed.pem'), ed.publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(scratch, 'rsa.pem'), rsa.publicKey.export({ type: 'spki', format: 'pem' }));
    eddsa = await Gateway.start({ data: join(scratch, 'ed'), args: ['--jwt-public-key', join(scratch, 'ed.pem')] });
    rs256 = await Gateway.start({ data: join(scratch, 'rsa'), args: ['--jwt-public-key', join(scratch, 'rsa.pem')] });
  });
  after(async () => {
    await eddsa?.stop();
    await rs256?.stop();
  });

  test('a JWT of the configured key names the user and role; the fjs1 tokens still work beside it', async () => {
    const client = await Client.open(eddsa.wsUrl);
    const token = jwt({ alg: 'EdDSA', typ: 'JWT' }, { sub: 'jwt-user', exp: later(), role: 'invoke', aud: ['app'], iat: 1 }, ed.privateKey, null);
    assert.equal((await hello(client, { user: 'other', token })).code, 'BadUser');
    assert.equal((await hello(client, { token })).type, TYPE.WELCOME);
    assert.equal((await client.request(TYPE.UPLOAD, { function: 'f', wasm: bytes('x') })).code, 'Forbidden');
    assert.equal((await client.request(TYPE.STATE_SET, { key: 'k', value: bytes('from a JWT') })).type, TYPE.ACK);
    const same = await Client.connect(eddsa.wsUrl, { user: 'jwt-user' });
    assert.equal(text((await same.request(TYPE.STATE_PULL, { key: 'k' })).data), 'from a JWT');
    await same.close();
    await client.close();
    const rsaClient = await Client.open(rs256.wsUrl);
    const rsToken = jwt({ alg: 'RS256' }, { sub: 'rsa-user', exp: later() }, rsa.privateKey, 'sha256');
    assert.equal((await hello(rsaClient, { token: rsToken })).type, TYPE.WELCOME);
    await rsaClient.close();
  });

  test('unsigned, another alg or key, tampered, expired, not yet valid or without a user name: BadToken', async () => {
    const claims = { sub: 'jwt-user', exp: later() };
    const good = jwt({ alg: 'EdDSA' }, claims, ed.privateKey, null);
    const [head, , signature] = good.split('.');
    const publicPem = ed.publicKey.export({ type: 'spki', format: 'pem' });
    const hs256 = (() => {
      const part = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
      const signed = `${part({ alg: 'HS256' })}.${part(claims)}`;
      return `${signed}.${createHmac('sha256', publicPem).update(signed).digest('base64url')}`;
    })();
    const cases = [
      ['alg none', jwt({ alg: 'none' }, claims, null), /signed with EdDSA/],
      ['HS256 with the public key as secret', hs256, /signed with EdDSA/],
      ['RS256 on an Ed25519 gateway', jwt({ alg: 'RS256' }, claims, rsa.privateKey, 'sha256'), /signed with EdDSA/],
      ['another Ed25519 key', jwt({ alg: 'EdDSA' }, claims, generateKeyPairSync('ed25519').privateKey, null), /does not verify/],
      ['a tampered payload', `${head}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${signature}`, /does not verify/],
      ['expired', jwt({ alg: 'EdDSA' }, { sub: 'jwt-user', exp: 1000 }, ed.privateKey, null), /expired/],
      ['not yet valid', jwt({ alg: 'EdDSA' }, { ...claims, nbf: later() }, ed.privateKey, null), /nbf/],
      ['no exp', jwt({ alg: 'EdDSA' }, { sub: 'jwt-user' }, ed.privateKey, null), /exp/],
      ['a sub that is no user name', jwt({ alg: 'EdDSA' }, { ...claims, sub: 'auth0|alice_x' }, ed.privateKey, null), /sub/],
      ['an unknown role', jwt({ alg: 'EdDSA' }, { ...claims, role: 'root' }, ed.privateKey, null), /role/],
      ['a duplicate claim', (() => {
        const signed = `${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from(`{"sub":"jwt-user","sub":"admin","exp":${later()}}`).toString('base64url')}`;
        return `${signed}.${sign(null, Buffer.from(signed), ed.privateKey).toString('base64url')}`;
      })(), /not a JSON object/],
      ['not base64url', 'a.b*.c', /base64url/],
    ];
    const client = await Client.open(eddsa.wsUrl);
    for (const [what, token, reason] of cases) {
      const refused = await hello(client, { token });
      assert.equal(refused.code, 'BadToken', what);
      assert.match(refused.message, reason, what);
    }
    await client.close();
  });
});

describe('gateway TLS', { timeout: 300_000 }, () => {
  let scratch;
  let gateway;
  let ca;
  before(async () => {
    scratch = scratchDir();
    const { cert, key } = selfSignedCertificate(scratch);
    ca = readFileSync(cert);
    mkdirSync(join(scratch, 'web'));
    writeFileSync(join(scratch, 'web', 'index.html'), 'served over TLS');
    gateway = await Gateway.start({ data: join(scratch, 'data'), functions: functionsDir(scratch), args: ['--tls-cert', cert,
      '--tls-key', key, '--web-root', join(scratch, 'web')] });
  });
  after(async () => { await gateway?.stop(); });

  test('https:// and wss:// on one port, trusted with the generated certificate as CA', async () => {
    assert.match(gateway.log, /listening on https:\/\/127\.0\.0\.1:\d+\/ \(WebSocket wss:\/\//);
    const page = await new Promise((resolve, reject) => {
      https.get(`${gateway.url}/index.html`, { ca }, (response) => {
        let body = '';
        response.on('data', (chunk) => { body += chunk; });
        response.on('end', () => resolve({ status: response.statusCode, body }));
      }).on('error', reject);
    });
    assert.deepEqual(page, { status: 200, body: 'served over TLS' });
    const client = await Client.connect(gateway.wsUrl, { user: 'tls-user', ca });
    assert.equal(client.welcome.type, TYPE.WELCOME);
    await client.close();
    // Without the CA the certificate is not trusted.
    await assert.rejects(Client.open(gateway.wsUrl), /self-signed|certificate/);
  });

  test('the SDK connects to wss:// with a ws WebSocket given the CA', async () => {
    class TrustingWebSocket extends WebSocket {
      constructor(url, protocols) { super(url, protocols, { ca }); }
    }
    const client = await connect(gateway.wsUrl, { token: gateway.token('sdk-tls', { role: 'invoke' }), webSocket: TrustingWebSocket });
    try {
      assert.equal((await client.invoke('echo', 'over wss', { where: 'cluster' })).outputText, 'over wss');
    } finally {
      await client.close();
    }
  });

  test('a link in the web root that leads outside it is not served', async () => {
    writeFileSync(join(scratch, 'outside.txt'), 'secret');
    symlinkSync(join(scratch, 'outside.txt'), join(scratch, 'web', 'leak.txt'));
    const status = await new Promise((resolve, reject) => {
      https.get(`${gateway.url}/leak.txt`, { ca }, (response) => { response.resume(); resolve(response.statusCode); }).on('error', reject);
    });
    assert.equal(status, 404);
  });
});
