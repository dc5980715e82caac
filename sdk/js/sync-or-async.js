// Host calls answer synchronously when they can and with a Promise only when they must wait, because a
// Promise is what makes a function suspend (and a suspension costs an unwind and a rewind).

export function isThenable(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function')
    && typeof value.then === 'function';
}

/** fn(value): now if value is not a Promise, else once it resolves. */
export function then(value, fn) {
  return isThenable(value) ? value.then(fn) : fn(value);
}
