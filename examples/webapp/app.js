// The faasm.js demo page: one card per example function, run in the browser or in the gateway's cluster,
// with the suspension mode, thread and destination of chained calls chosen at the top. Served by
// faasmjs-gateway, it connects to the gateway's WebSocket; served by anything else, it runs browser-locally.
// The page's state is also written to data-* attributes (body[data-client], card[data-status],
// [data-field]) so that tools/demo/check.mjs can drive it like a user.
import { connect, jspiAvailable } from '/sdk/js/index.js';

import { watchCompiles } from './compile-status.js';
import { EXAMPLES } from './examples.js';
import { callLabel, legend, timeline } from './timeline.js';

const settingsForm = document.getElementById('settings');
const clientStatus = document.getElementById('client-status');
const compileStatus = document.getElementById('compile-status');
const eventList = document.getElementById('events');
const MAX_EVENTS = 200;

// Animation frames: the dot moves on each one, and a run records the longest gap between two, which is how
// long the page's thread was busy (a suspended function costs nothing; a computation on this thread does).
const liveMeter = {
  frames: 0,
  last: performance.now(),
  runs: new Set(),
  tick(now) {
    const gap = now - this.last;
    this.last = now;
    this.frames += 1;
    for (const run of this.runs) run.longestGap = Math.max(run.longestGap, gap);
    document.getElementById('live-dot').style.transform = `translateX(${(now / 10) % 200}px)`;
    if (this.frames % 10 === 0) document.getElementById('live-text').textContent = `frames ${this.frames}`;
    requestAnimationFrame((next) => this.tick(next));
  },
};
requestAnimationFrame((now) => liveMeter.tick(now));

function settings() {
  const data = new FormData(settingsForm);
  return {
    suspension: data.get('suspension'),
    worker: data.get('worker') === 'on',
    where: data.get('where'),
    chain: data.get('chain'),
  };
}

const gatewayUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
// The gateway needs a token (its user is the demo's user): ./tools/dev.sh demo prints the page's URL with
// one in the fragment, which is never sent to a server.
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';

// A gateway that goes quiet without closing the socket counts as gone after this long, not the SDK's 45 s.
const KEEP_ALIVE = { pingAfterMs: 2_000, deadAfterMs: 6_000 };
// After the SDK gives up on a connection ('lost'), the page tries a new one, backing off up to 10 s.
const RETRY_MS = { first: 1_000, max: 10_000 };

// Once the page has had a gateway it keeps to it: a lost connection is retried, never replaced by a
// browser-local client, which would quietly stop showing the cluster.
let hadGateway = false;

// The gateway when there is one; browser-local otherwise (where and chain then have no choice to make).
async function connectClient({ suspension, worker }) {
  const options = { user: 'demo', suspension, worker, stdout: 'capture' };
  try {
    const gatewayOptions = { ...options, keepAlive: KEEP_ALIVE, ...(token ? { user: undefined, token } : {}) };
    return { client: await connect(gatewayUrl, gatewayOptions), gateway: true };
  } catch (error) {
    if (hadGateway) throw error;
    logEvent(`no gateway at ${gatewayUrl} (${error.message}): running browser-locally`);
    return { client: await connect(undefined, { ...options, functions: '/functions/' }), gateway: false };
  }
}

// The status line and body[data-connection] always say how the page stands with the gateway: 'open',
// 'reconnecting' (the SDK is trying to resume), 'lost' (the page retries on its own) or 'local' (no gateway).
function showConnection(state, text) {
  document.body.dataset.connection = state;
  clientStatus.textContent = text;
}

function logEvent(text) {
  const item = document.createElement('li');
  item.textContent = text;
  eventList.prepend(item);
  while (eventList.childElementCount > MAX_EVENTS) eventList.lastElementChild.remove();
}

// One client per setting; switching closes the old one (its calls in flight reject with ClientClosed).
let clientPromise = null;
let generation = 0;
let retryTimer = null;
let retries = 0;

// A new client after the old one's connection was lost, sooner at first, then every RETRY_MS.max.
function retryLater(mine, reason) {
  if (mine !== generation) return;
  const delay = Math.min(RETRY_MS.first * 2 ** retries, RETRY_MS.max);
  retries += 1;
  document.body.dataset.client = 'connecting';
  showConnection('lost', `disconnected from ${gatewayUrl} (${reason}): retrying in ${(delay / 1000).toFixed(0)} s`);
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => reconnect(), delay);
}

function readyText(client, worker, gateway) {
  return `ready: ${client.suspension === 'jspi' ? 'JSPI on NAME.wasm' : 'Asyncify on NAME.async.wasm'}`
    + `, ${worker ? 'in a Web Worker' : 'on the page\'s thread'}`
    + `, ${gateway ? `connected to ${gatewayUrl}` : 'no gateway (browser-local)'}`;
}

async function reconnect() {
  const mine = ++generation;
  clearTimeout(retryTimer);
  const { suspension, worker } = settings();
  const previous = clientPromise;
  document.body.dataset.client = 'connecting';
  if (retries === 0) showConnection('connecting', 'connecting…');
  clientPromise = (async () => {
    const old = await previous?.catch(() => null);
    await old?.client.close();
    const { client, gateway } = await connectClient({ suspension, worker });
    return { client, worker, gateway };
  })();
  try {
    const { client, gateway } = await clientPromise;
    client.addEventListener('connection', ({ detail }) => {
      logEvent(`connection ${detail.state}${detail.reason ? `: ${detail.reason}` : ''}`);
      if (mine !== generation) return;
      if (detail.state === 'reconnecting') {
        showConnection('reconnecting', `disconnected from ${gatewayUrl} (${detail.reason}): reconnecting…`);
      } else if (detail.state === 'resumed' || detail.state === 'open') {
        showConnection('open', readyText(client, worker, gateway));
      } else if (detail.state === 'lost') {
        retryLater(mine, detail.reason);
      }
    });
    client.addEventListener('progress', ({ detail }) => {
      logEvent(`#${detail.id} ${detail.function}: ${detail.phase}`);
      const card = document.querySelector(`.card[data-function="${detail.function}"][data-status="running"]`);
      if (card) field(card, 'phase').textContent = detail.phase;
    });
    client.addEventListener('trace', ({ detail }) => {
      logEvent(`#${detail.id} ${detail.function} finished: return value ${detail.returnValue}, `
               + `${detail.durationMs.toFixed(1)} ms`);
    });
    if (mine !== generation) return;
    retries = 0;
    hadGateway ||= gateway;
    document.body.dataset.client = 'ready';
    document.body.dataset.suspension = client.suspension;
    document.body.dataset.worker = String(worker);
    document.body.dataset.gateway = String(gateway);
    for (const input of settingsForm.querySelectorAll('input[name="where"], input[name="chain"]')) input.disabled = !gateway;
    showConnection(gateway ? 'open' : 'local', readyText(client, worker, gateway));
    if (gateway) watchCompiles(client, compileStatus, () => mine === generation);
  } catch (error) {
    if (mine !== generation) return;
    if (hadGateway) {
      retryLater(mine, error.message);
      return;
    }
    document.body.dataset.client = 'error';
    showConnection('error', `cannot connect: ${error.message}`);
  }
}

const field = (card, name) => card.querySelector(`[data-field="${name}"]`);

function countChained(trace) {
  return trace.chained.reduce((total, child) => total + 1 + countChained(child), 0);
}

// Where calls ran, for a person: the browser, the gateway's embedded cluster, or Faasm with the hosts that
// executed them (the trace's backend and host).
function placeOf(calls) {
  const [first] = calls;
  if (first.where !== 'cluster' || first.backend !== 'faasm') return `in the ${first.where}`;
  const hosts = [...new Set(calls.map((call) => call.host))];
  return `on Faasm (host${hosts.length > 1 ? 's' : ''} ${hosts.join(', ')})`;
}

// One line per group of calls: where they ran and how long they took, the root first, then what it
// chained (grouped by function and place, so a fork-join of 100 is one line), depth first.
function describeCalls(trace, depth = 0, lines = []) {
  const ms = (value) => `${value.toFixed(1)} ms`;
  const timing = trace.where === 'cluster' && trace.queuedUs !== undefined
    ? `${ms(trace.durationMs)} (queued ${ms(trace.queuedUs / 1000)}, ran ${ms(trace.runUs / 1000)})`
    : ms(trace.durationMs);
  if (depth === 0) lines.push({ depth, calls: [trace], text: `${callLabel(trace)} ${placeOf([trace])}: ${timing}` });
  const groups = new Map();
  for (const child of trace.chained) {
    const key = `${callLabel(child)}@${child.where}`;
    groups.set(key, [...(groups.get(key) ?? []), child]);
  }
  for (const calls of groups.values()) {
    const [first] = calls;
    const total = calls.reduce((sum, call) => sum + call.durationMs, 0);
    lines.push({
      depth: depth + 1,
      calls,
      text: `${calls.length}× ${callLabel(first)} ${placeOf(calls)}: ${ms(total / calls.length)} each on average`,
    });
    for (const call of calls) describeCalls(call, depth + 1, []).forEach((line) => lines.push(line));
  }
  return lines;
}

// Each line also carries where its calls ran as data-* attributes, which tools/demo/check.mjs reads.
function showCalls(list, trace) {
  list.replaceChildren(...describeCalls(trace).map(({ depth, calls, text }) => {
    const item = document.createElement('li');
    item.textContent = text;
    item.style.marginLeft = `${depth}rem`;
    item.dataset.function = calls[0].function;
    item.dataset.where = calls[0].where;
    item.dataset.count = String(calls.length);
    item.dataset.backend = calls[0].backend ?? '';
    item.dataset.hosts = [...new Set(calls.map((call) => call.host ?? ''))].join(',');
    return item;
  }));
}

function clearCard(card) {
  for (const element of card.querySelectorAll('[data-field]')) element.replaceChildren();
}

async function run(card) {
  const name = card.dataset.function;
  const text = card.querySelector('input[name="input"]').value;
  clearCard(card);
  card.dataset.status = 'running';
  field(card, 'phase').textContent = 'starting';
  const frames = { longestGap: 0 };
  try {
    const { client, worker, gateway } = await clientPromise;
    const { where, chain } = settings();
    liveMeter.runs.add(frames);
    const started = performance.now();
    // An empty box means no input at all, which is what the examples' defaults expect.
    const result = await client.invoke(name, text === '' ? undefined : text, gateway ? { where, chain } : {});
    const now = performance.now();
    const wall = now - started;
    // A thread busy until now has not drawn a frame since liveMeter.last.
    frames.longestGap = Math.max(frames.longestGap, now - liveMeter.last);
    const { trace } = result;
    field(card, 'output').textContent = result.outputText;
    field(card, 'returnValue').textContent = String(result.returnValue);
    field(card, 'stdout').textContent = result.stdout + result.stderr;
    field(card, 'error').textContent = result.error ?? '';
    field(card, 'where').textContent = trace.where === 'cluster'
      ? `cluster${trace.backend === 'faasm' ? `, Faasm host ${trace.host}` : ''}`
      : `browser, ${worker ? 'Web Worker' : 'page thread'}`;
    showCalls(field(card, 'calls'), trace);
    field(card, 'timeline').replaceChildren(timeline(trace, { worker }), legend());
    field(card, 'suspension').textContent = trace.suspension ?? '';
    field(card, 'timings').textContent = `${trace.durationMs.toFixed(1)} ms in the call (${wall.toFixed(1)} ms `
      + `for the page), ${trace.suspensions} suspensions, ${countChained(trace)} chained calls`;
    field(card, 'stall').textContent = `${frames.longestGap.toFixed(0)} ms`;
    card.dataset.status = result.returnValue === 0 ? 'ok' : 'failed';
  } catch (error) {
    field(card, 'error').textContent = `${error.code ?? error.name}: ${error.message}`;
    card.dataset.status = 'error';
  } finally {
    liveMeter.runs.delete(frames);
    field(card, 'phase').textContent = '';
  }
}

function addCards() {
  const template = document.getElementById('card');
  const cards = document.getElementById('cards');
  for (const example of EXAMPLES) {
    const card = template.content.firstElementChild.cloneNode(true);
    card.dataset.function = example.name;
    card.querySelector('.name').textContent = example.name;
    card.querySelector('.summary').textContent = example.summary;
    const input = card.querySelector('input[name="input"]');
    input.placeholder = example.placeholder;
    input.value = example.value ?? '';
    card.querySelector('form.run').addEventListener('submit', (event) => {
      event.preventDefault();
      run(card);
    });
    cards.append(card);
  }
}

// The page remembers its settings in the query string, so a reload (or a link) keeps them.
function loadSettings() {
  const query = new URLSearchParams(location.search);
  const suspension = query.get('suspension');
  if (['auto', 'jspi', 'asyncify'].includes(suspension)) settingsForm.suspension.value = suspension;
  settingsForm.worker.checked = query.get('worker') === '1';
  if (['browser', 'cluster'].includes(query.get('where'))) settingsForm.where.value = query.get('where');
  if (['browser', 'cluster'].includes(query.get('chain'))) settingsForm.chain.value = query.get('chain');
  if (!jspiAvailable()) {
    const jspi = settingsForm.querySelector('input[value="jspi"]');
    jspi.disabled = true;
    jspi.parentElement.title = 'This browser has no JavaScript Promise Integration';
    if (settingsForm.suspension.value === 'jspi') settingsForm.suspension.value = 'auto';
  }
}

// Where calls run is chosen per call: only the suspension mode and the thread need a new client.
let connectedWith = null;
settingsForm.addEventListener('change', () => {
  const { suspension, worker, where, chain } = settings();
  const query = new URLSearchParams({ suspension, where, chain, ...(worker ? { worker: '1' } : {}) });
  history.replaceState(null, '', `?${query}`);
  if (connectedWith !== `${suspension}/${worker}`) {
    connectedWith = `${suspension}/${worker}`;
    reconnect();
  }
});

document.getElementById('run-all').addEventListener('click', async () => {
  for (const card of document.querySelectorAll('.card')) await run(card);
});

addCards();
loadSettings();
connectedWith = `${settings().suspension}/${settings().worker}`;
reconnect();
