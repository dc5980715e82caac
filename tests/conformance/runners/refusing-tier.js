// A global tier (sdk/js/state/global-tier.d.ts) in front of another that refuses, while `refusing` names an
// operation, every call of that operation: what a gateway whose store failed answers. Cases use it through
// their calls' "globalRefuses" (../README.md). Plain ES module without Node imports: the Chromium runner's page
// loads it too.
export class RefusingTier {
  refusing = null;
  #inner;

  constructor(inner) {
    this.#inner = inner;
    for (const operation of ['size', 'pull', 'push', 'pushPartial', 'set', 'append', 'readAppended', 'clearAppended',
      'lock', 'unlock', 'keys']) {
      this[operation] = async (...args) => {
        if (this.refusing === operation) throw new Error(`${operation} refused by the test (globalRefuses)`);
        return this.#inner[operation](...args);
      };
    }
  }
}
