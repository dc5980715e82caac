// docs/getting-started.md as a newcomer follows it, from its own files and commands:
//   node tests/install/getting_started.mjs <build dir>
// Installs the build as section 1 says (into $HOME/.local/faasmjs, with HOME a scratch folder), writes every
// file the guide names ("`hello.cpp`:" above a code block) into a project folder, runs section 3's and 4's
// commands there, starts the gateway with section 6's commands (on a free port instead of 8080: the one
// change), opens section 5's page through it in headless Chromium, and runs section 6's faasmjs commands,
// each of which must print what its comment says ("# prints ...").
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launchChromium, newPage } from '../../tools/demo/chromium.mjs';
import { freePort, repoRoot } from '../../tools/demo/gateway.mjs';

const buildDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'build'));
const GUIDE = path.join(repoRoot, 'docs', 'getting-started.md');
const START_MS = 60_000;
const COMMAND_MS = 600_000;

/** The guide's sections: for each, its named files and its shell blocks, in order. */
function readGuide() {
  const sections = [];
  const lines = fs.readFileSync(GUIDE, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const heading = /^## (\d+)\./.exec(lines[i]);
    if (heading) sections[Number(heading[1])] = { files: {}, shell: [] };
    const fence = /^```(\w*)$/.exec(lines[i]);
    if (!fence || !fence[1] || sections.length === 0) continue;
    const start = i + 1;
    do i += 1; while (i < lines.length && lines[i] !== '```');
    const body = `${lines.slice(start, i).join('\n')}\n`;
    const section = sections[sections.length - 1];
    // The file a block is: the paragraph just above it ends with "`NAME`:", or starts with `NAME` and ends
    // with a colon.
    const last = start - 3;
    let top = last;
    while (top > 0 && lines[top - 1].trim() !== '') top -= 1;
    const paragraph = lines.slice(top, last + 1).join(' ');
    const named = /`([\w./-]+\.\w+)`:$/.exec(paragraph) ?? (paragraph.endsWith(':') ? /^`([\w./-]+\.\w+)`/.exec(paragraph) : null);
    if (named && fence[1] !== 'sh') section.files[named[1]] = body;
    else if (fence[1] === 'sh') section.shell.push(body);
  }
  return sections;
}

// mkdtemp's folder is 0700, as a home folder is: the gateway's compiler, which runs as another user when the
// gateway runs as root, must still run the programs installed under it.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-getting-started-'));
const home = path.join(scratch, 'home');
const project = path.join(home, 'my_functions');
fs.mkdirSync(project, { recursive: true });
const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' };
const children = [];
let browser;

function bash(script, cwd, what) {
  try {
    return execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8', timeout: COMMAND_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`${what} failed:\n${script}\n${error.stdout ?? ''}${error.stderr ?? ''}`, { cause: error });
  }
}


try {
  const guide = readGuide();

  // Section 1's install, from the checkout whose build this is (the guide runs it in the clone, where the
  // build is ./build).
  const install = guide[1].shell.find((block) => block.includes('cmake --install'));
  assert.ok(install, 'section 1 installs faasm.js with cmake --install');
  const checkout = path.join(scratch, 'checkout');
  fs.mkdirSync(checkout);
  fs.symlinkSync(buildDir, path.join(checkout, 'build'));
  bash(install, checkout, 'section 1 (install)');
  env.PATH = `${home}/.local/faasmjs/bin:${env.PATH}`;

  const files = Object.assign({}, ...guide.map((section) => section?.files ?? {}));
  for (const name of ['hello.cpp', 'squares.cpp', 'CMakeLists.txt', 'hello_test.cpp', 'public/index.html']) {
    assert.ok(files[name], `the guide has a whole ${name}`);
  }
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(project, name)), { recursive: true });
    fs.writeFileSync(path.join(project, name), text);
  }

  for (const number of [3, 4]) {
    for (const block of guide[number].shell) bash(block, project, `section ${number}`);
  }
  for (const output of ['hello.wasm', 'hello.async.wasm', 'hello.manifest.json', 'squares.wasm']) {
    assert.ok(fs.existsSync(path.join(project, 'build', output)), `section 3 built build/${output}`);
    if (output.endsWith('.wasm')) assert.ok(fs.existsSync(path.join(project, 'public', 'wasm', output)), `WEB_DIR has ${output}`);
  }
  console.log('sections 3 and 4: built hello and squares for wasm, and hello_test natively; ctest passed');

  // Section 6: the gateway in the foreground of its own terminal, here a child process.
  const [serve, clientBlock] = guide[6].shell;
  const serveLines = serve.split('\n').filter((line) => line.trim());
  const gatewayLine = serveLines.find((line) => line.startsWith('faasmjs-gateway '));
  bash(serveLines.filter((line) => line !== gatewayLine).join('\n'), project, 'section 6 (the key)');
  const port = await freePort();
  const gateway = spawn('bash', ['-c', `exec ${gatewayLine.replace(/\s+#.*$/, '')} --port ${port}`], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(gateway);
  let log = '';
  gateway.stdout.on('data', (chunk) => { log += chunk; });
  gateway.stderr.on('data', (chunk) => { log += chunk; });
  const deadline = Date.now() + START_MS;
  while (!log.includes('listening on ')) {
    if (gateway.exitCode !== null || Date.now() > deadline) throw new Error(`the gateway did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // Section 5's page, served by the gateway (which serves the SDK at /sdk/).
  browser = await launchChromium();
  const page = await newPage(browser.context);
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => document.getElementById('result')?.textContent !== 'running…', null, { timeout: COMMAND_MS });
  const shown = await page.textContent('#result');
  assert.equal(shown, 'Hello Ada! pushed (jspi)', `the page shows ${shown}; ${page.problems.join('; ')}`);
  console.log(`section 5: the page showed "${shown}"`);

  // Section 6's commands, each checked against its comment.
  const clientLines = clientBlock.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`).split('\n').filter((line) => line.trim());
  const setup = clientLines.filter((line) => line.startsWith('export '));
  for (const line of clientLines.filter((l) => l.startsWith('faasmjs '))) {
    const [command, comment = ''] = line.split(/\s+#\s*/, 2);
    const printed = bash([...setup, command].join('\n'), project, `section 6: ${command}`);
    const expected = /^prints (?:"([^"]*)"|([^\s,;]+))/.exec(comment);
    if (expected) assert.equal(printed.trim(), expected[1] ?? expected[2], `${command} prints what the guide says`);
    console.log(`section 6: ${command} → ${printed.trim().split('\n').pop()}`);
  }
} finally {
  await browser?.close();
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.on('exit', () => { clearTimeout(timer); resolve(); });
      });
    }
  }
  fs.rmSync(scratch, { recursive: true, force: true });
}
