/**
 * Wraps an import object so that every call is logged as `name(arg, ...) = result` (or `... threw ...`).
 * The result is the same object seen through a Proxy; pass it where the imports are expected.
 */
export declare function traceImports<T extends object>(
  imports: T,
  log: (message: string) => void,
  formatResult?: (result: unknown) => string,
): T;
