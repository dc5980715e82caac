// A readers-writer lock that queues in arrival order (a waiting writer holds back later readers, so writers
// are not starved). Waiting is a Promise, never a loop.

export class RwLock {
  #readers = 0;
  #writer = false;
  #queue = []; // { exclusive, grant }

  /** True while nobody holds or waits for it. */
  get idle() { return this.#readers === 0 && !this.#writer && this.#queue.length === 0; }

  /** Resolves once the lock is held: shared (exclusive false) or exclusive. */
  acquire(exclusive) {
    if (this.#queue.length === 0 && this.#free(exclusive)) {
      this.#take(exclusive);
      return Promise.resolve();
    }
    return new Promise((grant) => this.#queue.push({ exclusive, grant }));
  }

  /** Gives back one hold of that kind; false if there was none. */
  release(exclusive) {
    if (exclusive ? !this.#writer : this.#readers === 0) return false;
    if (exclusive) this.#writer = false; else this.#readers -= 1;
    while (this.#queue.length > 0 && this.#free(this.#queue[0].exclusive)) {
      const next = this.#queue.shift();
      this.#take(next.exclusive);
      next.grant();
    }
    return true;
  }

  #free(exclusive) {
    return !this.#writer && (!exclusive || this.#readers === 0);
  }

  #take(exclusive) {
    if (exclusive) this.#writer = true; else this.#readers += 1;
  }
}
