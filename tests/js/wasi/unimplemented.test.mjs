// Every preview1 name is importable, and the ones a browser has nothing behind answer ENOSYS instead of
// trapping or being missing (a missing import would fail instantiation of any binary that links it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Wasi, defs } from '../../../sdk/js/wasi/index.js';
import { ERRNO, Guest } from './guest.mjs';

const UNSUPPORTED = ['fd_fdstat_set_rights', 'path_link', 'path_symlink', 'proc_raise', 'sock_accept', 'sock_recv',
                     'sock_send', 'sock_shutdown'];

// Arguments of the right wasm types: i64 parameters arrive as bigints.
const ARGS = {
  fd_fdstat_set_rights: [3, 0n, 0n],
  path_link: [3, 0, 1024, 1, 3, 1024, 1],
  path_symlink: [1024, 1, 3, 1024, 1],
  proc_raise: [9],
  sock_accept: [3, 0, 1024],
  sock_recv: [3, 1024, 1, 0, 1024, 1028],
  sock_send: [3, 1024, 1, 0, 1028],
  sock_shutdown: [3, 2],
};

describe('unimplemented preview1 functions', () => {
  it('the import object has exactly the 46 preview1 functions', () => {
    const { imports } = new Wasi();
    assert.equal(defs.PREVIEW1_FUNCTIONS.length, 46);
    assert.deepEqual(Object.keys(imports).sort(), [...defs.PREVIEW1_FUNCTIONS].sort());
    for (const name of defs.PREVIEW1_FUNCTIONS) assert.equal(typeof imports[name], 'function', name);
  });

  for (const name of UNSUPPORTED) {
    it(`${name} returns ENOSYS, with good or bad arguments`, () => {
      const g = new Guest();
      assert.equal(g.call[name](...ARGS[name]), ERRNO.NOSYS);
      assert.equal(g.call[name](-1, -1, -1, -1, -1, -1, -1), ERRNO.NOSYS);
      assert.equal(g.wasi[name](), ERRNO.NOSYS, 'also as a method');
    });
  }

  it('the list above is every name without an implementation', () => {
    const g = new Guest();
    const answeringNosys = defs.PREVIEW1_FUNCTIONS.filter((name) => {
      try {
        return g.wasi[name](...(ARGS[name] ?? [])) === ERRNO.NOSYS;
      } catch {
        return false;
      }
    });
    assert.deepEqual(answeringNosys, UNSUPPORTED);
  });
});
