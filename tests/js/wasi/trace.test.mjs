// Opt-in tracing: every WASI call logged with its arguments and errno, through a Proxy over the imports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Wasi, traceImports } from '../../../sdk/js/wasi/index.js';
import { Guest } from './guest.mjs';

describe('tracing', () => {
  it('is off by default: the imports are a plain object', () => {
    const { imports } = new Wasi();
    assert.equal(Object.getPrototypeOf(imports), Object.prototype);
  });

  it('logs each call with its arguments and the errno by name', () => {
    const lines = [];
    const g = new Guest({ trace: (line) => lines.push(line) });
    g.write(1, 'hi');
    g.call.fd_close(42);
    g.call.clock_time_get(9, 0n, 0);
    assert.match(lines[0], /^fd_write\(1, \d+, 1, \d+\) = 0 \(SUCCESS\)$/);
    assert.equal(lines[1], 'fd_close(42) = 8 (BADF)');
    assert.equal(lines[2], 'clock_time_get(9, 0, 0) = 28 (INVAL)');
  });

  it('logs a throwing call and rethrows it', () => {
    const lines = [];
    const g = new Guest({ trace: (line) => lines.push(line) });
    assert.throws(() => g.call.proc_exit(3), { name: 'ProcExit' });
    assert.deepEqual(lines, ['proc_exit(3) threw ProcExit: exit code 3']);
  });

  it('trace: true logs to console.debug', (t) => {
    const debug = t.mock.method(console, 'debug', () => {});
    new Guest({ trace: true }).call.sched_yield();
    assert.deepEqual(debug.mock.calls.map((call) => call.arguments), [['sched_yield() = 0 (SUCCESS)']]);
  });

  it('gives instantiation one stable wrapper per import and passes other properties through', () => {
    const imports = traceImports({ f: (x) => x * 2, constant: 5 }, () => {});
    assert.equal(imports.f, imports.f);
    assert.equal(imports.f(4), 8);
    assert.equal(imports.constant, 5);
    assert.throws(() => traceImports({}, 'console'), { name: 'TypeError', message: /log/ });
  });
});
