// Host faults: what Faasm answers with a host exception (a bad pointer, a size-less state key, a chunk
// outside a value...). A fault ends the running invocation with return value 1 and the message as its
// `error`, as on Faasm; it is thrown from the import, so the guest never continues past it.
//
// Every fault message is made here, from one table, so that the same mistake reads the same whichever
// import detects it. The C++ hosts word them from include/faasmjs/detail/fault_messages.hpp, the same kinds
// and words; tests/conformance/fault_messages.test.mjs fails when the two tables differ.

const MESSAGES = Object.freeze({
  outOfBounds: ({ what, ptr, length, memoryBytes }) =>
    `${what} [${ptr}, +${length}) lies outside the guest's ${memoryBytes} bytes of memory`,
  negativeLength: ({ what, length }) => `negative ${what} ${length}`,
  unterminated: ({ what, ptr }) => `${what} at ${ptr} has no terminating NUL before the end of memory`,
  emptyKey: () => 'empty state key',
  emptyName: () => 'empty function name',
  needsSize: ({ key, size }) => `state key '${key}' needs a positive size, got ${size}`,
  noLocalValue: ({ key }) => `state key '${key}' has no value on this host`,
  outsideValue: ({ key, offset, length, size }) =>
    `chunk [${offset}, +${length}) is outside the ${size} bytes of state key '${key}'`,
  bufferTooSmall: ({ key, length, size }) =>
    `buffer of ${length} bytes is smaller than the ${size} bytes of state key '${key}' on this host`,
  sizeMismatch: ({ key, length, size }) =>
    `state key '${key}' has ${size} bytes on this host; a value of ${length} bytes cannot replace it`,
  globalTooBig: ({ key, globalSize, size }) =>
    `the global value of '${key}' has ${globalSize} bytes, more than its ${size} bytes on this host`,
  maskSize: ({ key, maskKey, maskSize, size }) =>
    `mask '${maskKey}' has ${maskSize} bytes, state key '${key}' has ${size}`,
  appendedTooBig: ({ key, count, bytes, length }) =>
    `${count} appended elements of '${key}' take ${bytes} bytes, more than the buffer's ${length}`,
  notLocked: ({ key, mode }) => `state key '${key}' is not ${mode}-locked by this host`,
  badFunctionPointer: ({ index, tableSize }) =>
    `function pointer ${index} names no function (the table has ${tableSize} entries)`,
  noTable: () => 'the module exports no function table, so it cannot chain by pointer',
  mallocFailed: ({ size }) => `the guest's malloc(${size}) returned 0`,
  noFile: ({ path }) => `cannot read '${path}' from the function's file system`,
  noDescriptor: ({ fd }) => `file descriptor ${fd} does not exist`,
  cxxException: () => 'C++ exceptions are not supported in Faasm functions (build without throw: errors are values)',
  exceptionPropagation: () =>
    'the host threw FunctionMigratedException (Migrating MPI rank), as Faasm\'s exception propagation test does',
  unknownHostInterfaceTest: ({ test }) => `unrecognised host interface test ${test}`,
  cancelled: ({ reason }) => `the call was abandoned: ${reason}`,
});

export class HostFault extends Error {
  /**
   * @param {string} call the import, without its `__faasm_` prefix
   * @param {keyof typeof MESSAGES} kind
   * @param {object} [details]
   */
  constructor(call, kind, details = {}) {
    super(`${call}: ${MESSAGES[kind](details)}`);
    this.name = 'HostFault';
    this.call = call;
    this.kind = kind;
  }
}

/** Throws the fault. */
export function fault(call, kind, details) {
  throw new HostFault(call, kind, details);
}
