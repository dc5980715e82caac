// The hosts the suite runs on, each behind one interface, so that run.mjs drives them all alike:
//
//   const host = await openHost(name, settings);
//   const calls = await host.newCase();        // a fresh host state: no values, logs, locks or local copies
//   await calls.invoke(functionName, inputBytes, { globalRefuses, ...invokeOptions })
//     → { returnValue, output, stdout, stderr, fault, error }
//   await calls.share({ path: contents })      // shared files, as the client uploads them (client.files)
//
// `globalRefuses` names a global-tier operation that fails during the call; a host that cannot arrange that is
// asked only by cases that mark it unsupported, and throws if asked.
//   await calls.close(); await host.close();
//
// `fault` is the "call: message" of the host fault that ended the call (null if none), read from the host's
// own error text, which each host words differently around it.
//
//   node                 sdk/js in this process, Asyncify, no gateway (its browser-local global tier)
//   chromium-jspi/-asyncify  sdk/js in headless Chromium (browser.mjs)
//   native               the in-process host of native_host.hpp (runners/native_main.cpp)
//   worker               the embedded cluster's faasmjs-worker, through a real faasmjs-gateway
//   faasm                real Faasm (../shared/faasm), through a real faasmjs-gateway --faasm
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { connect, splitBacktrace } from '../../../sdk/js/index.js';
import { Client } from '../../../sdk/js/client.js';
import { BrowserGlobalTier } from '../../../sdk/js/state/global-tier.js';
import { startGateway } from '../../../tools/demo/gateway.mjs';
import { WebSocket } from '../../js/transport/support.mjs';
import { RefusingTier } from './refusing-tier.js';

const decoder = new TextDecoder();

// "NAME: host fault in CALL: MESSAGE", then the backtrace (sdk/js/invocation.js; the worker words its faults
// the same way).
const JS_FAULT = /^\w+: host fault in (\w+): (.*)$/s;

function answerOf(result) {
  const fault = JS_FAULT.exec(splitBacktrace(result.error ?? '').message);
  return {
    returnValue: result.returnValue,
    output: result.output,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    fault: fault ? `${fault[1]}: ${fault[2]}` : null,
    error: result.error,
  };
}

async function shareFiles(client, files) {
  for (const [file, contents] of Object.entries(files)) await client.files.upload(file, contents);
}

let caseNumber = 0;
// A fresh user per case: the gateway's and Faasm's state tiers outlive a case, and keys are per user.
const freshUser = () => `conf${process.pid}x${(caseNumber += 1)}`;

function nodeHost({ functionDirs }) {
  const functions = {};
  for (const dir of functionDirs) {
    for (const file of fs.readdirSync(dir)) {
      const match = /^(\w+)\.wasm$/.exec(file);
      if (!match) continue;
      functions[match[1]] = {
        wasm: fs.readFileSync(path.join(dir, file)),
        asyncWasm: fs.readFileSync(path.join(dir, `${match[1]}.async.wasm`)),
      };
    }
  }
  return {
    async newCase() {
      const globalTier = new RefusingTier(new BrowserGlobalTier());
      const client = new Client({ functions, suspension: 'asyncify', user: freshUser() }, { globalTier });
      return {
        async invoke(name, input, { globalRefuses = null, ...options } = {}) {
          globalTier.refusing = globalRefuses;
          try {
            return answerOf(await client.invoke(name, input, options));
          } finally {
            globalTier.refusing = null;
          }
        },
        share: (files) => shareFiles(client, files),
        close: () => client.close(),
      };
    },
    close: async () => {},
  };
}

async function gatewayHost({ functionDirs, args = [] }, where) {
  const gateway = await startGateway({ functionDirs, args: [...args, '--call-timeout', '120000'] });
  return {
    gateway,
    async newCase() {
      const user = freshUser();
      const client = await connect(gateway.wsUrl, { token: gateway.token(user), suspension: 'asyncify', webSocket: WebSocket, where });
      return {
        async invoke(name, input, { globalRefuses = null, ...options } = {}) {
          if (globalRefuses !== null) throw new Error(`the ${where} host cannot make its global tier refuse ${globalRefuses}`);
          return answerOf(await client.invoke(name, input, options));
        },
        share: (files) => shareFiles(client, files),
        close: () => client.close(),
      };
    },
    close: () => gateway.close(),
  };
}

function nativeHost({ nativeDriver }) {
  const child = spawn(nativeDriver, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const ask = (line) => new Promise((resolve, reject) => {
    waiting.push(resolve);
    child.stdin.write(`${line}\n`);
    exited.then((code) => reject(new Error(`${nativeDriver} exited (${code})`)));
  });
  const unhex = (text) => (text === '-' ? new Uint8Array(0) : new Uint8Array(Buffer.from(text, 'hex')));
  return {
    async newCase() {
      child.stdin.write('\n');
      return {
        async invoke(name, input, { globalRefuses = null } = {}) {
          if (globalRefuses !== null) throw new Error(`the native host cannot make its global tier refuse ${globalRefuses}`);
          if (name !== 'conformance_driver') throw new Error(`the native host runs only the driver, not ${name}`);
          const [returnValue, output, fault] = (await ask(Buffer.from(input).toString('hex'))).split(' ');
          const faultText = fault === '-' ? null : decoder.decode(unhex(fault));
          return { returnValue: Number(returnValue), output: unhex(output), stdout: '', stderr: '', fault: faultText, error: faultText };
        },
        share: async () => { throw new Error('the native host has no file system: it runs only the driver'); },
        close: async () => {},
      };
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

/** The cluster of ../shared/faasm the ctest fixture started (its env file: FAASM_PLANNER_URL=..., ...). */
function faasmArgs(envFile) {
  const cluster = Object.fromEntries(fs.readFileSync(envFile, 'utf8').trim().split('\n')
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  return ['--faasm', `planner=${cluster.FAASM_PLANNER_URL},upload=${cluster.FAASM_UPLOAD_URL}`];
}

/**
 * A folder of links to some of a build's functions (NAME.wasm and its NAME.* companions), served under the
 * names given: `{ servedName: builtName }`. A part of the suite gives a host only what it calls, because on
 * Faasm every function a gateway serves is uploaded (and AOT-compiled) for every new user.
 */
export function functionFolder(builtDir, functions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faasmjs-conformance-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [served, built] of Object.entries(functions)) {
    const companions = fs.readdirSync(builtDir).filter((file) => file.startsWith(`${built}.`));
    if (!companions.includes(`${built}.wasm`)) throw new Error(`${built}.wasm is not in ${builtDir}`);
    for (const file of companions) {
      fs.symlinkSync(path.join(builtDir, file), path.join(dir, served + file.slice(built.length)));
    }
  }
  return dir;
}

/**
 * @param {string} name one of cases.mjs HOSTS
 * @param {{ functionDirs: string[], nativeDriver?: string, faasmEnv?: string, tiers?: string }} settings
 */
export async function openHost(name, settings) {
  switch (name) {
    case 'node': return nodeHost(settings);
    case 'native': return nativeHost(settings);
    case 'worker': return gatewayHost({ ...settings, args: ['--tiers', settings.tiers ?? 'optimised'] }, 'cluster');
    case 'faasm': return gatewayHost({ ...settings, args: faasmArgs(settings.faasmEnv) }, 'cluster');
    case 'chromium-jspi': case 'chromium-asyncify': {
      const { chromiumHost } = await import('./browser.mjs');
      const host = await chromiumHost(settings, name.slice('chromium-'.length));
      return { ...host, async newCase() {
        const calls = await host.newCase();
        return { ...calls, invoke: async (...args) => answerOf(await calls.invoke(...args)) };
      } };
    }
    default: throw new Error(`unknown host '${name}'`);
  }
}
