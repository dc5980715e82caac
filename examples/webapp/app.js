// The faasm.js demo page: one card per example function, run browser-locally with the suspension mode and
// thread chosen at the top. The page's state is also written to data-* attributes (body[data-client],
// card[data-status], [data-field]) so that tools/demo/check.mjs can drive it like a user.
import { connect, jspiAvailable } from '/sdk/js/index.js';

import { EXAMPLES } from './examples.js';

const settingsForm = document.getElementById('settings');
const clientStatus = document.getElementById('client-status');
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
  return { suspension: data.get('suspension'), worker: data.get('worker') === 'on' };
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

async function reconnect() {
  const mine = ++generation;
  const { suspension, worker } = settings();
  const previous = clientPromise;
  document.body.dataset.client = 'connecting';
  clientStatus.textContent = 'connecting…';
  clientPromise = (async () => {
    const old = await previous?.catch(() => null);
    await old?.client.close();
    const client = await connect(undefined, { user: 'demo', functions: '/wasm/', suspension, worker, stdout: 'capture' });
    return { client, worker };
  })();
  try {
    const { client } = await clientPromise;
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
    document.body.dataset.client = 'ready';
    document.body.dataset.suspension = client.suspension;
    document.body.dataset.worker = String(worker);
    clientStatus.textContent = `ready: ${client.suspension === 'jspi' ? 'JSPI on NAME.wasm' : 'Asyncify on NAME.async.wasm'}`
      + `, ${worker ? 'in a Web Worker' : 'on the page\'s thread'}`;
  } catch (error) {
    if (mine !== generation) return;
    document.body.dataset.client = 'error';
    clientStatus.textContent = `cannot connect: ${error.message}`;
  }
}

const field = (card, name) => card.querySelector(`[data-field="${name}"]`);

function countChained(trace) {
  return trace.chained.reduce((total, child) => total + 1 + countChained(child), 0);
}

function clearCard(card) {
  for (const element of card.querySelectorAll('[data-field]')) element.textContent = '';
}

async function run(card) {
  const name = card.dataset.function;
  const text = card.querySelector('input[name="input"]').value;
  clearCard(card);
  card.dataset.status = 'running';
  field(card, 'phase').textContent = 'starting';
  const frames = { longestGap: 0 };
  try {
    const { client, worker } = await clientPromise;
    liveMeter.runs.add(frames);
    const started = performance.now();
    // An empty box means no input at all, which is what the examples' defaults expect.
    const result = await client.invoke(name, text === '' ? undefined : text);
    const now = performance.now();
    const wall = now - started;
    // A thread busy until now has not drawn a frame since liveMeter.last.
    frames.longestGap = Math.max(frames.longestGap, now - liveMeter.last);
    const { trace } = result;
    field(card, 'output').textContent = result.outputText;
    field(card, 'returnValue').textContent = String(result.returnValue);
    field(card, 'stdout').textContent = result.stdout + result.stderr;
    field(card, 'error').textContent = result.error ?? '';
    field(card, 'where').textContent = `${trace.where}, ${worker ? 'Web Worker' : 'page thread'}`;
    field(card, 'suspension').textContent = trace.suspension;
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
  if (!jspiAvailable()) {
    const jspi = settingsForm.querySelector('input[value="jspi"]');
    jspi.disabled = true;
    jspi.parentElement.title = 'This browser has no JavaScript Promise Integration';
    if (settingsForm.suspension.value === 'jspi') settingsForm.suspension.value = 'auto';
  }
}

settingsForm.addEventListener('change', () => {
  const { suspension, worker } = settings();
  const query = new URLSearchParams({ suspension, ...(worker ? { worker: '1' } : {}) });
  history.replaceState(null, '', `?${query}`);
  reconnect();
});

document.getElementById('run-all').addEventListener('click', async () => {
  for (const card of document.querySelectorAll('.card')) await run(card);
});

addCards();
loadSettings();
reconnect();
