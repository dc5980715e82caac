/**
 * Wraps an import object so that every call is logged as `name(arg, ...) = result`, or `name(...) threw ...`.
 * A Proxy rather than a copy, so the same wrapper serves any import object (WASI's or the host interface's),
 * and instantiation picks the wrappers up as it reads each import.
 *
 * @param {Record<string, Function>} imports
 * @param {(message: string) => void} log
 * @param {(result: unknown) => string} [formatResult]
 */
export function traceImports(imports, log, formatResult = String) {
  if (typeof log !== 'function') throw new TypeError('traceImports: log must be a function');
  const wrappers = new Map();
  return new Proxy(imports, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      if (!wrappers.has(name)) {
        wrappers.set(name, (...args) => {
          const call = `${name}(${args.join(', ')})`;
          try {
            const result = value(...args);
            log(`${call} = ${formatResult(result)}`);
            return result;
          } catch (error) {
            log(`${call} threw ${error?.name ?? 'error'}: ${error?.message ?? error}`);
            throw error;
          }
        });
      }
      return wrappers.get(name);
    },
  });
}
