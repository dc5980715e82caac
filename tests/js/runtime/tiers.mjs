// Instrumented global tiers for the tests.
import { BrowserGlobalTier } from '../../../sdk/js/state/global-tier.js';

const RECORDED = ['size', 'pull', 'push', 'pushPartial', 'append', 'readAppended', 'clearAppended', 'lock', 'unlock'];

/** Records every request the local tier makes (set() and keys() are the tests' own, not recorded). */
export class RecordingTier extends BrowserGlobalTier {
  log = [];

  constructor() {
    super();
    for (const method of RECORDED) {
      const original = this[method].bind(this);
      this[method] = (...args) => {
        this.log.push([method, ...args]);
        return original(...args);
      };
    }
  }

  requests(method) { return this.log.filter(([m]) => m === method).map(([, ...args]) => args); }
  count(method) { return this.requests(method).length; }
}

/**
 * Holds every pull of `key` until `expected` pulls are waiting, then answers them all: a call tree can only
 * finish if that many calls are suspended in it at the same time.
 */
export class GateTier extends BrowserGlobalTier {
  #waiting = [];
  maxWaiting = 0;

  constructor(key, expected) {
    super();
    this.key = key;
    this.expected = expected;
  }

  async pull(key, ...rest) {
    if (key !== this.key) return super.pull(key, ...rest);
    await new Promise((release) => {
      this.#waiting.push(release);
      this.maxWaiting = Math.max(this.maxWaiting, this.#waiting.length);
      if (this.#waiting.length === this.expected) this.#waiting.splice(0).forEach((waiting) => waiting());
    });
    return super.pull(key, ...rest);
  }
}
