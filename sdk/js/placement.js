// where: 'auto' — the per-call choice between running a function here (the browser's thread) and in the
// gateway's cluster, from what this client has measured, in the manner of MAUI (Cuervo et al., MobiSys 2010)
// and CloneCloud (Chun et al., EuroSys 2011): profile each place, model the network apart from the compute, and
// offload when the remote side's cost, transfer included, is lower.
//
// Estimates are kept per function and input size class (powers of 4 from 4 KiB: a function's run time and its
// transfer grow with its input, and one function is often called with very different inputs):
//   browser  run time here: the median of the last `window` measured run times (a median, since one garbage
//            collection or one busy moment makes a spike that an average would carry for many calls), from the
//            instance's start (the binary already loaded: a cold load is paid once) to the call's end;
//   cluster  the time the call took there: the gateway's run time of it or, when it chained calls, its wall
//            time here less what the link explains (rtt and transfer below), so that the time of the calls it
//            chained there counts (a median as above; the wall time alone would put a run shorter than the
//            link's jitter at 0); and its output's size (an exponentially weighted moving average, EWMA);
// And per connection:
//   rtt      the fixed cost of one call's round trip, from call replies: the median overhead (wall time minus
//            the gateway's queue and run times) of the last small calls in the cluster that chained nothing;
//   bandwidth  bytes per second to and from the gateway: input + output bytes of large calls against their
//            overhead beyond the rtt (decayed sums, so that a changed link is noticed);
//   lag      how busy this thread is with other work: a timer's lateness (an EWMA), sampled only when no call of this
//            client ran here while the timer was due (its own calls are counted instead: `running`); it
//            fades (half-life lagHalfLifeMs) when no sample comes, since an old lateness says little.
// Neither the rtt nor the bandwidth is probed apart from calls: re-exploration (below) refreshes them.
//
// Cost in the cluster = rtt + (input + output bytes) / bandwidth + cluster run time (+ queueing when more calls
// are in flight there than the gateway has workers). Cost here = browser run time × (1 + browser calls already
// running) + lag. The cheaper place wins.
//
// The first call of a (function, size class) in each place is its cold start (the binary fetched, compiled
// and first instantiated there; the gateway's first instance of it), which later calls do not pay: it is no
// measurement. Exploration: until both places have `samples` measurements besides it, calls go to the one
// with fewer (the browser first). Afterwards a call now and then goes to the losing place, so that a
// changed situation (a loaded cluster, a slower link, a busy page) is noticed: once the estimated cost of the
// calls placed since the last exploration reaches the loser's estimated cost / `budget`, so exploring costs
// about `budget` (5%) of the time however far apart the two places are. An estimate from fewer than `window`
// samples is less sure (the first runs of a function are often slower: its code still being optimised), so
// it is re-explored sooner, in proportion.
//
// Everything is deterministic given the measurements: the clock is injected, and so are the counts of calls
// running; tests/js/runtime/placement.test.mjs drives it with made-up numbers.

export const PLACEMENT_DEFAULTS = Object.freeze({
  samples: 2, budget: 0.05, window: 5, alpha: 0.3, largeBytes: 64 * 1024, lagIntervalMs: 100, lagHalfLifeMs: 2_000,
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

// The median of the last `size` samples.
class Recent {
  #samples = [];
  #size;
  constructor(size) { this.#size = size; }
  add(sample) {
    this.#samples.push(sample);
    if (this.#samples.length > this.#size) this.#samples.shift();
  }
  get value() {
    if (this.#samples.length === 0) return null;
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}

const round = (ms) => (ms === null ? null : Math.round(ms * 1000) / 1000);

export class Placement {
  #options;
  #now;
  #keys = new Map();
  #rtt;
  #lag;
  #lagAt = 0;
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
    this.#rtt = new Recent(this.#options.window);
    this.#lag = new Ewma(this.#options.alpha);
  }

  #key(name, inputBytes) {
    const id = `${name}\0${sizeClass(inputBytes)}`;
    let key = this.#keys.get(id);
    if (key === undefined) {
      const { alpha, window } = this.#options;
      key = {
        browser: { calls: 0, samples: 0, pending: 0, runMs: new Recent(window) },
        cluster: { calls: 0, samples: 0, pending: 0, runMs: new Recent(window), outputBytes: new Ewma(alpha) },
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

  /** The thread's lag estimate in ms, faded by the time since its last sample. */
  get lagMs() {
    if (this.#lag.value === null) return 0;
    return this.#lag.value * 0.5 ** ((this.#now() - this.#lagAt) / this.#options.lagHalfLifeMs);
  }

  /** A timer `ms` late while no call of this client ran here. */
  recordLag(ms) {
    this.#lag.value = this.#lag.value === null ? null : this.lagMs;
    this.#lag.add(Math.max(0, ms));
    this.#lagAt = this.#now();
  }

  /** Marks a call placed by choose() as started, so that concurrent explorations spread over both places. */
  started(name, inputBytes, where) { this.#key(name, inputBytes)[where].pending += 1; }

  /** A call that ran here: `runMs` from its instance's start to its end; `placed`: it came from choose(). */
  recordBrowser(name, inputBytes, { runMs, placed = false }) {
    const place = this.#key(name, inputBytes).browser;
    if (placed) place.pending -= 1;
    if (++place.calls === 1) return;
    place.samples += 1;
    place.runMs.add(runMs);
  }

  /**
   * A call that ran in the cluster: its wall time seen here, the gateway's queue and run times of the call
   * itself, its output's size, and whether it chained calls (their time is in the wall time, not in runMs).
   */
  recordCluster(name, inputBytes, { wallMs, queuedMs, runMs, outputBytes, chained = false, placed = false }) {
    const place = this.#key(name, inputBytes).cluster;
    if (placed) place.pending -= 1;
    if (++place.calls === 1) return;
    place.samples += 1;
    place.outputBytes.add(outputBytes);
    const bytes = inputBytes + outputBytes;
    if (!chained) {
      const overheadMs = Math.max(0, wallMs - queuedMs - runMs);
      if (bytes < this.#options.largeBytes) {
        this.#rtt.add(overheadMs);
      } else if (overheadMs > (this.#rtt.value ?? 0)) {
        const keep = 1 - this.#options.alpha;
        this.#bytes = this.#bytes * keep + bytes;
        this.#transferMs = this.#transferMs * keep + overheadMs - (this.#rtt.value ?? 0);
      }
    }
    place.runMs.add(chained ? Math.max(0, wallMs - (this.#rtt.value ?? 0) - this.#transferOf(bytes)) : runMs);
  }

  #transferOf(bytes) {
    const bandwidth = this.bytesPerSecond;
    return bandwidth === null ? 0 : (bytes / bandwidth) * 1000;
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
    const seen = (where) => key[where].calls + key[where].pending;
    if (seen('browser') <= samples || seen('cluster') <= samples) {
      const where = seen('cluster') < seen('browser') ? 'cluster' : 'browser';
      return {
        where, reason: 'explore', estimates,
        detail: `measuring both places first: ${key.browser.calls} call(s) here and ${key.cluster.calls} in the cluster `
          + `of ${samples + 1} each (the first a cold start)`,
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
    const sure = Math.min(1, key[loser].samples / this.#options.window);
    if (key.spent * budget >= loseMs * sure) {
      key.spent = 0;
      return { where: loser, reason: 'reexplore', estimates, detail: `re-measuring the ${loser === 'browser' ? 'browser' : 'cluster'}, which looked slower: ${compare}` };
    }
    key.spent += winMs;
    return { where: winner, reason: 'cheaper', estimates, detail: compare };
  }

  #estimates(key, inputBytes, { browserRunning, clusterRunning, workers }) {
    const browserRunMs = key.browser.runMs.value;
    const clusterRunMs = key.cluster.runMs.value;
    const lagMs = this.lagMs;
    const rttMs = this.#rtt.value;
    const bandwidth = this.bytesPerSecond;
    const transferMs = this.#transferOf(inputBytes + (key.cluster.outputBytes.value ?? 0));
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
 * `onSample` unless `busy(due)` says a call of the client ran here since the timer was due (in
 * performance.now() time): that lateness is the client's own.
 */
export class ThreadLag {
  #onSample;
  #busy;
  #intervalMs;
  #timer = null;

  constructor(onSample, { busy = (_due) => false, intervalMs = PLACEMENT_DEFAULTS.lagIntervalMs } = {}) {
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
        if (!this.#busy(expected)) this.#onSample(now - expected);
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
