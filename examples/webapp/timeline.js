// A call's tree as a Gantt chart in SVG: one row per call, depth first (each chained call right under its
// caller, its label indented by its depth), a bar from its start to its end on one time axis, coloured by
// where it ran. A fork-join shows as bars stacked over the same stretch of time.
//
// The times are the trace's (sdk/js: startedAt and durationMs; for calls the cluster chained, what the gateway
// measured, docs/protocol.md startUs/endUs). Bars are placed in percent of the chart's width, so the chart
// fits any screen without being redrawn, and each bar carries its call as data-* attributes for the tests.
const SVG = 'http://www.w3.org/2000/svg';
const ROW_PX = 28;
const AXIS_PX = 16;
const BAR_PX = 10;
// A bar this thin (in percent) would vanish: a call of a few µs in a tree of 100 ms.
const MIN_BAR_PERCENT = 0.4;

/** Where a call ran, as the timeline and its legend name it. */
export const PLACES = Object.freeze({
  page: 'on the page',
  worker: 'in a Web Worker',
  cluster: 'in the cluster',
});

export function placeOf(call, worker) {
  if (call.where === 'cluster') return 'cluster';
  return worker ? 'worker' : 'page';
}

/** What the call runs: a call by pointer runs an entry of its binary's table, not the binary's main. */
export function callLabel(call) {
  return call.funcPtr === undefined ? call.function : `${call.function} › entry ${call.funcPtr}`;
}

// The tree depth first: [{ call, depth }].
function rows(call, depth = 0, into = []) {
  into.push({ call, depth });
  for (const child of call.chained) rows(child, depth + 1, into);
  return into;
}

function element(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

const ms = (value) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

/**
 * The chart of `trace` (a result's trace), for a client running functions on the page or, with worker,
 * in a Web Worker.
 * @returns {SVGSVGElement}
 */
export function timeline(trace, { worker = false } = {}) {
  const all = rows(trace);
  const origin = trace.startedAt;
  const end = Math.max(...all.map(({ call }) => call.startedAt + call.durationMs));
  const span = Math.max(end - origin, 1e-3);
  const percent = (t) => ((t - origin) / span) * 100;
  const height = all.length * ROW_PX + AXIS_PX;
  const svg = element('svg', {
    class: 'timeline', width: '100%', height, role: 'img',
    'aria-label': `timeline of ${all.length} call${all.length === 1 ? '' : 's'} over ${ms(span)}`,
  });
  all.forEach(({ call, depth }, row) => {
    const place = placeOf(call, worker);
    const start = percent(call.startedAt);
    const width = Math.max(percent(call.startedAt + call.durationMs) - start, MIN_BAR_PERCENT);
    const top = row * ROW_PX;
    const group = element('g', { class: 'call' });
    // The label sits above its bar, at its start, or ending at its end when the bar starts past the middle.
    const late = start > 50;
    group.append(element('text', {
      x: `${late ? Math.min(start + width, 100) : start}%`, dx: late ? 0 : depth * 8, y: top + 11,
      'text-anchor': late ? 'end' : 'start',
    }, `${depth > 0 ? '↳ ' : ''}${callLabel(call)} ${ms(call.durationMs)}`));
    const bar = element('rect', {
      class: `bar ${place}`, x: `${Math.min(start, 100 - width)}%`, y: top + 14, width: `${width}%`, height: BAR_PX, rx: 2,
    });
    Object.assign(bar.dataset, {
      function: call.function, label: callLabel(call), place, depth: String(depth), id: String(call.id),
      startMs: String(call.startedAt - origin), endMs: String(call.startedAt - origin + call.durationMs),
    });
    bar.append(element('title', {}, `${callLabel(call)} (call ${call.id}) ${PLACES[place]}: `
      + `${ms(call.durationMs)}, from ${ms(call.startedAt - origin)}`));
    group.append(bar);
    svg.append(group);
  });
  const axis = all.length * ROW_PX + AXIS_PX - 4;
  svg.append(element('text', { class: 'axis', x: 0, y: axis }, '0'));
  svg.append(element('text', { class: 'axis', x: '100%', y: axis, 'text-anchor': 'end' }, ms(span)));
  return svg;
}

/** The legend: one swatch per place. */
export function legend() {
  const list = document.createElement('ul');
  list.className = 'legend';
  for (const [place, text] of Object.entries(PLACES)) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch ${place}`;
    item.append(swatch, text);
    list.append(item);
  }
  return list;
}
