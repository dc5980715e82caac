// Progress and trace events. Listeners run in a microtask, never inside a host import: a listener that throws
// (dispatchEvent reports it and goes on) or calls back into the client cannot disturb a function that is
// running or unwinding.

/**
 * An EventTarget that knows which event types may have a listener, so that an event no one listens to costs
 * nothing (a fork-join of thousands of calls makes progress events for each). It may think a type listened to
 * when it no longer is (a `once` listener that ran, one removed by its `signal`), never the reverse.
 */
export class ListenedEventTarget extends EventTarget {
  #listeners = new Map();  // type → Set of "capture" keys per listener: Map<listener, Set<boolean>>

  addEventListener(type, listener, options) {
    super.addEventListener(type, listener, options);
    if (listener === null || listener === undefined) return;
    const byListener = this.#listeners.get(type) ?? new Map();
    this.#listeners.set(type, byListener);
    const captures = byListener.get(listener) ?? new Set();
    byListener.set(listener, captures);
    captures.add(capture(options));
  }

  removeEventListener(type, listener, options) {
    super.removeEventListener(type, listener, options);
    const byListener = this.#listeners.get(type);
    const captures = byListener?.get(listener);
    if (captures === undefined) return;
    captures.delete(capture(options));
    if (captures.size === 0) byListener.delete(listener);
    if (byListener.size === 0) this.#listeners.delete(type);
  }

  /** False only when no listener of `type` has been added since the last was removed. */
  listens(type) { return this.#listeners.has(type); }
}

function capture(options) {
  return typeof options === 'boolean' ? options : Boolean(options?.capture);
}

// Events of one job, dispatched together in one microtask: whoever listens by then gets them, in order.
const queued = [];

function dispatchQueued() {
  for (const [target, type, detail] of queued.splice(0)) {
    if (target.listens(type)) target.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** Dispatches `new CustomEvent(type, { detail })` on target once the current job is over, if anyone listens. */
export function dispatchLater(target, type, detail) {
  if (queued.push([target, type, detail]) === 1) queueMicrotask(dispatchQueued);
}

// Fixed for this page or worker: read once, as reading it costs as much as performance.now() itself.
const timeOrigin = performance.timeOrigin;

/** Milliseconds since the epoch, with performance.now()'s precision: comparable across calls and workers. */
export function timestamp() {
  return timeOrigin + performance.now();
}
