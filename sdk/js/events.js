// Progress and trace events. Listeners run in a microtask of their own, never inside a host import: a
// listener that throws or calls back into the client cannot disturb a function that is running or unwinding.

/** Dispatches `new CustomEvent(type, { detail })` on target once the current job is over. */
export function dispatchLater(target, type, detail) {
  queueMicrotask(() => target.dispatchEvent(new CustomEvent(type, { detail })));
}

/** Milliseconds since the epoch, with performance.now()'s precision: comparable across calls and workers. */
export function timestamp() {
  return performance.timeOrigin + performance.now();
}
