// The gateway's Origin check and TLS as a browser meets them: a page served by another server (another
// origin) cannot open the gateway's WebSocket unless --allow-origin names it, while the gateway's own pages
// can; and a gateway with --tls-cert serves its pages over https:// and the SDK over wss:// to Chromium (a
// page-relative connect('/ws') too), which trusts the test's generated certificate by its public key
// (--ignore-certificate-errors-spki-list).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { launchChromium, newPage } from '../../tools/demo/chromium.mjs';
import { startGateway } from '../../tools/demo/gateway.mjs';
import { selfSignedCertificate, spkiHash } from '../support/certificate.mjs';
import { examplesDir } from './support.mjs';

const BLANK = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>faasm.js test</title>';

// A second web server: another origin (another port) that serves one blank page.
async function startForeignServer() {
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(BLANK);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

// Whether a page's raw WebSocket to the gateway opens (and what a refused one saw).
function tryWebSocket(page, url) {
  return page.evaluate((url) => new Promise((resolve) => {
    const socket = new WebSocket(url, 'faasmjs.v1');
    const timer = setTimeout(() => resolve('no answer'), 10_000);
    socket.onopen = () => { clearTimeout(timer); socket.close(); resolve('open'); };
    socket.onclose = ({ code }) => { clearTimeout(timer); resolve(`closed ${code}`); };
  }), url);
}

function webRootWithBlankPage(scratch) {
  const webRoot = path.join(scratch, 'web');
  fs.mkdirSync(webRoot, { recursive: true });
  fs.writeFileSync(path.join(webRoot, 'blank.html'), BLANK);
  return webRoot;
}

describe('origins in the browser', { timeout: 240_000 }, () => {
  let scratch;
  let allowed;
  let foreign;
  let gateway;
  let browser;
  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-origins-'));
    allowed = await startForeignServer();
    foreign = await startForeignServer();
    gateway = await startGateway({ functionDirs: [examplesDir], webRoot: webRootWithBlankPage(scratch),
      args: ['--allow-origin', allowed.url] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await gateway?.close();
    await allowed?.close();
    await foreign?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('refuses a page of another origin before HELLO, and lets the gateway\'s own pages and --allow-origin in', async () => {
    const page = await newPage(browser.context);
    await page.goto(`${foreign.url}/`);
    assert.equal(await tryWebSocket(page, gateway.wsUrl), 'closed 1006');
    await page.goto(`${allowed.url}/`);
    assert.equal(await tryWebSocket(page, gateway.wsUrl), 'open');
    await page.goto(`${gateway.url}blank.html`);
    assert.equal(await tryWebSocket(page, gateway.wsUrl), 'open');
    await page.close();
  });
});

describe('TLS in the browser', { timeout: 240_000 }, () => {
  let scratch;
  let gateway;
  let browser;
  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-tls-'));
    const { cert, key } = selfSignedCertificate(scratch);
    const spki = spkiHash(cert);
    gateway = await startGateway({ functionDirs: [examplesDir], webRoot: webRootWithBlankPage(scratch),
      args: ['--tls-cert', cert, '--tls-key', key] });
    browser = await launchChromium({ flags: [`--ignore-certificate-errors-spki-list=${spki}`] });
  });
  after(async () => {
    await browser?.close();
    await gateway?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('loads the page over https:// and calls a function through the SDK over wss://', async () => {
    assert.match(gateway.url, /^https:/);
    const page = await newPage(browser.context);
    await page.goto(`${gateway.url}blank.html`);
    const outcome = await page.evaluate(async ({ url, token }) => {
      const { connect } = await import('/sdk/js/index.js');
      const client = await connect(url, { token, suspension: 'asyncify' });
      try {
        const result = await client.invoke('hello', 'TLS', { where: 'cluster' });
        return { user: client.user, output: result.outputText, secure: window.isSecureContext };
      } finally {
        await client.close();
      }
    }, { url: gateway.wsUrl, token: gateway.token('tls-browser', 'invoke') });
    assert.deepEqual(outcome, { user: 'tls-browser', output: 'Hello TLS!', secure: true });
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  it('connects an https:// page\'s connect(\'/ws\') over wss://', async () => {
    const page = await newPage(browser.context);
    await page.goto(`${gateway.url}blank.html`);
    const outcome = await page.evaluate(async (token) => {
      const opened = [];
      const PageWebSocket = window.WebSocket;
      window.WebSocket = class extends PageWebSocket {
        constructor(url, protocols) {
          super(url, protocols);
          opened.push(String(url));
        }
      };
      const { connect } = await import('/sdk/js/index.js');
      const client = await connect('/ws', { token });
      try {
        const result = await client.invoke('hello', 'TLS', { where: 'cluster' });
        return { opened, output: result.outputText };
      } finally {
        await client.close();
      }
    }, gateway.token('tls-browser', 'invoke'));
    assert.deepEqual(outcome, { opened: [gateway.wsUrl], output: 'Hello TLS!' });
    assert.deepEqual(page.problems, []);
    await page.close();
  });
});
