// The cluster's compile progress, while there is some: the gateway compiles every registered function in the
// background (docs/gateway.md), first on its quick tier, which lets calls run, then optimised. The line says
// how far it is, a <progress> shows it, and body[data-compile] says 'compiling' (a call to a function not yet
// built waits for it), 'optimising' (calls run, faster code is on its way) or 'done'. It asks the gateway
// (client.functions(), FUNCTIONS) every POLL_MS until nothing is left to compile, and then stops.
const POLL_MS = 500;

/** The text and state for a FUNCTIONS answer, e.g. { state: 'compiling', text: '…3 of 9…', built: 3, total: 9 }. */
export function compileSummary(functions) {
  const here = functions.filter((f) => f.compile !== 'elsewhere');
  const count = (state) => here.filter((f) => f.compile === state).length;
  const compiling = count('compiling');
  const optimising = count('optimising');
  const failed = count('failed');
  const total = here.length;
  const built = total - compiling;
  const failures = failed > 0 ? `, ${failed} failed to compile` : '';
  if (compiling > 0) {
    return { state: 'compiling', built, total,
      text: `cluster: compiling, ${built} of ${total} functions ready to run${failures}` };
  }
  if (optimising > 0) {
    return { state: 'optimising', built: total - optimising, total,
      text: `cluster: all ${total} functions run; optimising ${optimising} of them${failures}` };
  }
  return { state: 'done', built: total, total, text: `cluster: all ${total} functions compiled${failures}` };
}

/**
 * Shows `client`'s gateway's compile progress in `element` until it is done or `current()` turns false (the
 * page made another client). Errors (a closed client, a lost connection) end it quietly: the connection's
 * own status line says what happened.
 */
export async function watchCompiles(client, element, current) {
  const progress = document.createElement('progress');
  const text = document.createElement('span');
  element.replaceChildren(text, progress);
  element.hidden = false;
  for (;;) {
    let summary;
    try {
      summary = compileSummary(await client.functions());
    } catch {
      return;
    }
    if (!current()) return;
    document.body.dataset.compile = summary.state;
    text.textContent = summary.text;
    progress.max = Math.max(summary.total, 1);
    progress.value = summary.built;
    if (summary.state === 'done') {
      progress.remove();
      return;
    }
    await new Promise((resolve) => { setTimeout(resolve, POLL_MS); });
  }
}
