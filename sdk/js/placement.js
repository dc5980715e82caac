// where: 'auto' — the per-call choice between running a function here (the browser's thread) and in the
// gateway's cluster, from what this client has measured, in the manner of MAUI (Cuervo et al., MobiSys 2010)
// and CloneCloud (Chun et al., EuroSys 2011): profile each place, model the network apart from the compute, and
// offload when the remote side's cost, transfer included, is lower.
//
// Estimates are kept per function and input size class (powers of 4 from 4 KiB: a function's run time and its
// transfer grow with its input, and one function is often called with very different inputs):
//   browser  run time here: an exponentially weighted moving average (EWMA) of measured run times, from the
//            instance's start (the binary already loaded: a cold load is paid once) to the call's end;
//   cluster  the gateway's queueing + run time (RESULT's queuedUs + runUs) and the output's size, EWMAs.
// And per connection:
//   rtt      the fixed cost of one call's round trip: the overhead (wall time minus the gateway's queue and
//            run) of small calls in the cluster, and PING/PONG round trips when no call measured it lately;
//   bandwidth  bytes per second to and from the gateway: input + output bytes of large calls against their
//            overhead beyond the rtt (decayed sums, so that a changed link is noticed);
//   lag      how busy this thread is with other work: a timer's lateness, sampled only while no call of this
//            client runs here (its own calls are counted instead: `running`).
//
// Cost in the cluster = rtt + (input + output bytes) / bandwidth + cluster run time (+ queueing when more calls
// are in flight there than the gateway has workers). Cost here = browser run time × (1 + browser calls already
// running) + lag. The cheaper place wins.
//
// Exploration: until both places have `samples` measurements for a (function, size class), calls go to the
// one with fewer (the browser first). Afterwards a call now and then goes to the losing place, so that a
// changed situation (a loaded cluster, a slower link, a busy page) is noticed: once the estimated cost of the
// calls placed since the last exploration reaches the loser's estimated cost / `budget`, so exploring costs
// about `budget` (5%) of the time however far apart the two places are.
//
// Everything is deterministic given the measurements: the clock is injected, and so are the counts of calls
// running; tests/js/runtime/placement.test.mjs drives it with made-up numbers.

export const PLACEMENT_DEFAULTS = Object.freeze({
  samples: 2, budget: 0.05, alpha: 0.3, rttRefreshMs: 5_000, largeBytes: 64 * 1024, lagIntervalMs: 100,
});

const SIZE_CLASS_BASE = 4096;

/** The size class of an input of `bytes`: 0 below 4 KiB, then one per power of 4. */
export function sizeClass(bytes) {
  return bytes < SIZE_CLASS_BASE ? 0 : 1 + Math.floor(Math.log2(bytes / SIZE_CLASS_BASE) / 2);
}

class Ewma {
  value = null;
  #alpha;
  constructor(alpha) { this.#alpha = alpha; }
  add(sample) { this.value = this.value === null ? sample : this.value + this.#alpha * (sample - this.value); }
}

const round = (ms) => (ms === null ? null : Math.round(ms * 1000) / 1000);

export class Placement {
  #options;
  #now;
  #keys = new Map();
  #rtt;
  #rttAt = -Infinity;
  #lag;
  #bytes = 0;
  #transferMs = 0;

  /**
   * @param {object} [options] PLACEMENT_DEFAULTS's fields, and `now`: the clock in ms (performance.now)
   */
  constructor({ now = () => performance.now(), ...options } = {}) {
    for (const key of Object.keys(options)) {
      if (!(key in PLACEMENT_DEFAULTS)) throw new TypeError(`Placement: unknown option ${key}`);
    }
    this.#options = { ...PLACEMENT_DEFAULTS, ...options };
    this.#now = now;
    this.#rtt = new Ewma(this.#options.alpha);
    this.#lag = new Ewma(this.#options.alpha);
  }

  #key(name, inputBytes) {
    const id = `${name}\0${sizeClass(inputBytes)}`;
    let key = this.#keys.get(id);
    if (key === undefined) {
      const { alpha } = this.#options;
      key = {
        browser: { samples: 0, pending: 0, runMs: new Ewma(alpha) },
        cluster: { samples: 0, pending: 0, runMs: new Ewma(alpha), outputBytes: new Ewma(alpha) },
        spent: 0,
      };
      this.#keys.set(id, key);
    }
    return key;
  }

  /** Bytes per second to and from the gateway, or null before a large transfer measured it. */
  get bytesPerSecond() { return this.#transferMs > 0 ? (this.#bytes / this.#transferMs) * 1000 : null; }

  /** The round trip's estimate in ms, or null. */
  get rttMs() { return this.#rtt.value; }

  /** Whether the rtt is unknown or older than rttRefreshMs: then the client sends a PING. */
  needsRtt() { return this.#now() - this.#rttAt >= this.#options.rttRefreshMs; }

  /** A round trip of `ms` (a PING's PONG). */
  recordRtt(ms) {
    this.#rtt.add(ms);
    this.#rttAt = this.#now();
  }

  /** A timer `ms` late while no call of this client ran here. */
  recordLag(ms) { this.#lag.add(Math.max(0, ms)); }

  /** Marks a call placed by choose() as started, so that concurrent explorations spread over both places. */
  started(name, inputBytes, where) { this.#key(name, inputBytes)[where].pending += 1; }

  /** A call that ran here: `runMs` from its instance's start to its end; `placed`: it came from choose(). */
  recordBrowser(name, inputBytes, { runMs, placed = false }) {
    const place = this.#key(name, inputBytes).browser;
    if (placed) place.pending -= 1;
    place.samples += 1;
    place.runMs.add(runMs);
  }

  /**
   * A call that ran in the cluster: its wall time seen here, the gateway's queue and run times, its output's size.
   */
  recordCluster(name, inputBytes, { wallMs, queuedMs, runMs, outputBytes, placed = false }) {
    const place = this.#key(name, inputBytes).cluster;
    if (placed) place.pending -= 1;
    place.samples += 1;
    place.runMs.add(queuedMs + runMs);
    place.outputBytes.add(outputBytes);
    const overheadMs = Math.max(0, wallMs - queuedMs - runMs);
    const bytes = inputBytes + outputBytes;
    if (bytes < this.#options.largeBytes) {
      this.recordRtt(overheadMs);
      return;
    }
    const transferMs = overheadMs - (this.#rtt.value ?? 0);
    if (transferMs <= 0) return;
    const keep = 1 - this.#options.alpha;
    this.#bytes = this.#bytes * keep + bytes;
    this.#transferMs = this.#transferMs * keep + transferMs;
  }

  /** A call that ended without a measurement (it could not run): only its pending mark goes. */
  abandoned(name, inputBytes, where) { this.#key(name, inputBytes)[where].pending -= 1; }

  /**
   * Where a call of `name` with `inputBytes` of input should run.
   * @param {{ browserRunning?: number, clusterRunning?: number, workers?: number }} [load] calls of this client
   *   running here and in flight to the cluster, and the gateway's worker count
   * @returns {{ where: 'browser' | 'cluster', reason: 'explore' | 'cheaper' | 'reexplore', detail: string,
   *   estimates: object }}
   */
  choose(name, inputBytes, { browserRunning = 0, clusterRunning = 0, workers = 1 } = {}) {
    const key = this.#key(name, inputBytes);
    const { samples, budget } = this.#options;
    const estimates = this.#estimates(key, inputBytes, { browserRunning, clusterRunning, workers });
    const seen = (where) => key[where].samples + key[where].pending;
    if (seen('browser') < samples || seen('cluster') < samples) {
      const where = seen('cluster') < seen('browser') ? 'cluster' : 'browser';
      return {
        where, reason: 'explore', estimates,
        detail: `measuring both places first: ${key.browser.samples} run(s) here and ${key.cluster.samples} in the cluster of ${samples} each`,
      };
    }
    const { browserMs, clusterMs } = estimates;
    // Both places have samples but their estimates may still be in flight (pending explorations): then the
    // place measured so far wins.
    if (browserMs === null || clusterMs === null) {
      const where = browserMs === null ? 'cluster' : 'browser';
      return { where, reason: 'explore', estimates, detail: 'waiting for the other place\'s first measurements' };
    }
    const winner = clusterMs < browserMs ? 'cluster' : 'browser';
    const loser = winner === 'cluster' ? 'browser' : 'cluster';
    const [winMs, loseMs] = winner === 'cluster' ? [clusterMs, browserMs] : [browserMs, clusterMs];
    const compare = `cluster ${fmt(clusterMs)} ms (rtt ${fmt(estimates.rttMs ?? 0)} + transfer ${fmt(estimates.transferMs)} `
      + `+ run ${fmt(estimates.clusterRunMs)} + queue ${fmt(estimates.queueMs)}) vs here ${fmt(browserMs)} ms `
      + `(run ${fmt(estimates.browserRunMs)} × ${1 + browserRunning} + lag ${fmt(estimates.lagMs)})`;
    if (key.spent * budget >= loseMs) {
      key.spent = 0;
      return { where: loser, reason: 'reexplore', estimates, detail: `re-measuring the ${loser === 'browser' ? 'browser' : 'cluster'}, which looked slower: ${compare}` };
    }
    key.spent += winMs;
    return { where: winner, reason: 'cheaper', estimates, detail: compare };
  }

  #estimates(key, inputBytes, { browserRunning, clusterRunning, workers }) {
    const browserRunMs = key.browser.runMs.value;
    const clusterRunMs = key.cluster.runMs.value;
    const lagMs = this.#lag.value ?? 0;
    const rttMs = this.#rtt.value;
    const bandwidth = this.bytesPerSecond;
    const outputBytes = key.cluster.outputBytes.value ?? 0;
    const transferMs = bandwidth === null ? 0 : ((inputBytes + outputBytes) / bandwidth) * 1000;
    // Calls beyond the gateway's workers wait for one: a share of a run per call ahead.
    const queueMs = clusterRunMs === null ? 0 : clusterRunMs * (Math.max(0, clusterRunning + 1 - workers) / Math.max(1, workers));
    const browserMs = browserRunMs === null ? null : browserRunMs * (1 + browserRunning) + lagMs;
    const clusterMs = clusterRunMs === null ? null : (rttMs ?? 0) + transferMs + clusterRunMs + queueMs;
    return {
      browserMs: round(browserMs), clusterMs: round(clusterMs), browserRunMs: round(browserRunMs),
      clusterRunMs: round(clusterRunMs), rttMs: round(rttMs), transferMs: round(transferMs), queueMs: round(queueMs),
      bytesPerSecond: bandwidth === null ? null : Math.round(bandwidth), lagMs: round(lagMs), browserRunning,
      clusterRunning, samples: { browser: key.browser.samples, cluster: key.cluster.samples },
    };
  }
}

function fmt(ms) { return ms === null ? '?' : ms.toFixed(ms < 10 ? 2 : 1); }

/**
 * Samples how late a timer fires on this thread, every intervalMs while started, and reports the lateness to
 * `onSample` unless `busy()` says a call of the client ran meanwhile (that lateness is the client's own).
 */
export class ThreadLag {
  #onSample;
  #busy;
  #intervalMs;
  #timer = null;

  constructor(onSample, { busy = () => false, intervalMs = PLACEMENT_DEFAULTS.lagIntervalMs } = {}) {
    this.#onSample = onSample;
    this.#busy = busy;
    this.#intervalMs = intervalMs;
  }

  get running() { return this.#timer !== null; }

  start() {
    if (this.#timer !== null) return;
    const tick = (expected) => {
      this.#timer = setTimeout(() => {
        const now = performance.now();
        if (!this.#busy()) this.#onSample(now - expected);
        tick(now + this.#intervalMs);
      }, this.#intervalMs);
      this.#timer.unref?.();  // Node: sampling does not keep the process alive
    };
    tick(performance.now() + this.#intervalMs);
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = null;
  }
}
