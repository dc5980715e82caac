// The errno matrix: every implemented preview1 call, first with valid arguments, then with each descriptor
// argument bad (EBADF) and each guest pointer out of bounds (EFAULT), one at a time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_RIGHTS, ERRNO, Guest, PAGE, ROOT, WHENCE } from './guest.mjs';

const BAD_FDS = [99, -1];
// A range that straddles the end of memory, one just past it, and one far past it (0xffffffff as the guest
// passes it). Every valid region below is at least 2 bytes long so that the first one really straddles.
const BAD_POINTERS = [PAGE - 1, PAGE, -1];

// Each row builds its arguments from `fd(key, valid)`, `ptr(key, size)`, `str(key, text)` (a pointer and a
// length) and `iov(key, parts)` (an iovec array and its count; `key.buf` names the first buffer inside it).
const rows = {
  args_get: ({ ptr }) => [ptr('argv', 64), ptr('buf', 256)],
  args_sizes_get: ({ ptr }) => [ptr('count', 4), ptr('size', 4)],
  environ_get: ({ ptr }) => [ptr('environ', 64), ptr('buf', 512)],
  environ_sizes_get: ({ ptr }) => [ptr('count', 4), ptr('size', 4)],
  clock_res_get: ({ ptr }) => [0, ptr('out', 8)],
  clock_time_get: ({ ptr }) => [1, 0n, ptr('out', 8)],
  fd_advise: ({ fd, file }) => [fd('fd', file), 0n, 0n, 0],
  fd_allocate: ({ fd, file }) => [fd('fd', file), 0n, 1n],
  fd_close: ({ fd, file }) => [fd('fd', file)],
  fd_datasync: ({ fd, file }) => [fd('fd', file)],
  fd_fdstat_get: ({ fd, ptr, file }) => [fd('fd', file), ptr('out', 24)],
  fd_fdstat_set_flags: ({ fd, file }) => [fd('fd', file), 0],
  fd_filestat_get: ({ fd, ptr, file }) => [fd('fd', file), ptr('out', 64)],
  fd_filestat_set_size: ({ fd, file }) => [fd('fd', file), 1n],
  fd_filestat_set_times: ({ fd, file }) => [fd('fd', file), 0n, 0n, 0],
  fd_pread: ({ fd, ptr, iov, file }) => [fd('fd', file), ...iov('iovs', [4]), 0n, ptr('count', 4)],
  fd_prestat_get: ({ fd, ptr }) => [fd('fd', ROOT), ptr('out', 8)],
  fd_prestat_dir_name: ({ fd, ptr }) => [fd('fd', ROOT), ptr('out', 2), 2],
  fd_pwrite: ({ fd, ptr, iov, file }) => [fd('fd', file), ...iov('iovs', ['xy']), 0n, ptr('count', 4)],
  fd_read: ({ fd, ptr, iov, file }) => [fd('fd', file), ...iov('iovs', [4]), ptr('count', 4)],
  fd_readdir: ({ fd, ptr }) => [fd('fd', ROOT), ptr('buf', 128), 128, 0n, ptr('used', 4)],
  fd_renumber: ({ fd, file }) => [fd('from', file), fd('to', 1)],
  fd_seek: ({ fd, ptr, file }) => [fd('fd', file), 1n, WHENCE.SET, ptr('out', 8)],
  fd_sync: ({ fd, file }) => [fd('fd', file)],
  fd_tell: ({ fd, ptr, file }) => [fd('fd', file), ptr('out', 8)],
  fd_write: ({ fd, ptr, iov, file }) => [fd('fd', file), ...iov('iovs', ['xy']), ptr('count', 4)],
  path_create_directory: ({ fd, str }) => [fd('dir', ROOT), ...str('path', 'new')],
  path_filestat_get: ({ fd, ptr, str }) => [fd('dir', ROOT), 0, ...str('path', 'file'), ptr('out', 64)],
  path_filestat_set_times: ({ fd, str }) => [fd('dir', ROOT), 0, ...str('path', 'file'), 0n, 0n, 0],
  path_open: ({ fd, ptr, str }) => [fd('dir', ROOT), 0, ...str('path', 'file'), 0, ALL_RIGHTS, ALL_RIGHTS, 0,
                                    ptr('fd', 4)],
  path_readlink: ({ fd, ptr, str }) => [fd('dir', ROOT), ...str('path', 'file'), ptr('buf', 16), 16, ptr('used', 4)],
  path_remove_directory: ({ fd, str }) => [fd('dir', ROOT), ...str('path', 'empty')],
  path_rename: ({ fd, str }) => [fd('from', ROOT), ...str('old', 'file'), fd('to', ROOT), ...str('new', 'moved')],
  path_unlink_file: ({ fd, str }) => [fd('dir', ROOT), ...str('path', 'file')],
  // A zeroed subscription is valid: a relative realtime clock with timeout 0.
  poll_oneoff: ({ ptr }) => [ptr('in', 48), ptr('out', 32), 1, ptr('count', 4)],
  random_get: ({ ptr }) => [ptr('buf', 16), 16],
  sched_yield: () => [],
};

// readlink of an existing path is EINVAL (there are no symbolic links), so that is its success.
const validResult = { path_readlink: ERRNO.INVAL };

/** Builds a fresh guest and the arguments for `name`, with at most one descriptor or pointer made bad. */
function prepare(name, { badFd, badPtr, badValue } = {}) {
  const g = new Guest({ files: { '/file': 'data', '/d/x': '' } });
  g.mkdir('empty');
  const file = g.open('file').fd;
  const keys = { fds: [], ptrs: [] };
  const pointer = (key, make) => {
    keys.ptrs.push(key);
    return key === badPtr ? badValue : make();
  };
  const helpers = {
    file,
    fd: (key, valid) => {
      keys.fds.push(key);
      return key === badFd ? badValue : valid;
    },
    ptr: (key, size) => pointer(key, () => g.alloc(size)),
    str: (key, text) => {
      const [ptr, length] = g.put(text);
      return [pointer(key, () => ptr), length];
    },
    iov: (key, parts) => {
      const [ptr, count, buffers] = g.iovecs(parts);
      keys.ptrs.push(`${key}.buf`);
      if (badPtr === `${key}.buf`) g.view.setUint32(ptr, badValue >>> 0, true);
      return [pointer(key, () => ptr), count];
    },
  };
  return { g, args: rows[name](helpers), keys, file };
}

describe('errno matrix', () => {
  for (const name of Object.keys(rows)) {
    describe(name, () => {
      it('succeeds with valid arguments', () => {
        const { g, args } = prepare(name);
        assert.equal(g.call[name](...args), validResult[name] ?? ERRNO.SUCCESS);
      });

      const { keys } = prepare(name);
      for (const key of keys.fds) {
        it(`returns EBADF for a bad ${key}`, () => {
          for (const badValue of BAD_FDS) {
            const { g, args } = prepare(name, { badFd: key, badValue });
            assert.equal(g.call[name](...args), ERRNO.BADF, `${key} = ${badValue}`);
          }
        });
      }
      for (const key of keys.ptrs) {
        it(`returns EFAULT for an out-of-bounds ${key}`, () => {
          for (const badValue of BAD_POINTERS) {
            const { g, args } = prepare(name, { badPtr: key, badValue });
            assert.equal(g.call[name](...args), ERRNO.FAULT, `${key} = ${badValue}`);
          }
        });
      }
    });
  }

  it('covers every implemented preview1 function except proc_exit', async () => {
    const { defs } = await import('../../../sdk/js/wasi/index.js');
    const unsupported = ['fd_fdstat_set_rights', 'path_link', 'path_symlink', 'proc_raise', 'sock_accept',
                         'sock_recv', 'sock_send', 'sock_shutdown'];
    const expected = defs.PREVIEW1_FUNCTIONS.filter((name) => name !== 'proc_exit' && !unsupported.includes(name));
    assert.deepEqual(Object.keys(rows).sort(), expected.sort());
  });
});

describe('a faulting call has no side effect', () => {
  it('fd_read with a bad count pointer does not consume input', () => {
    const { g, file } = prepare('fd_read');
    const [iovs, count] = g.iovecs([4]);
    assert.equal(g.call.fd_read(file, iovs, count, PAGE), ERRNO.FAULT);
    assert.equal(g.read(file, 4).text, 'data');
  });

  it('fd_write with one bad buffer writes nothing', () => {
    const { g, file } = prepare('fd_write');
    const [iovs, count] = g.iovecs(['XX', 2]);
    g.view.setUint32(iovs + 8, PAGE, true);
    assert.equal(g.call.fd_write(file, iovs, count, g.alloc(4)), ERRNO.FAULT);
    assert.equal(g.pread(file, 0, 8).text, 'data');
  });

  it('args_sizes_get with a bad size pointer leaves the count unwritten', () => {
    const { g } = prepare('args_sizes_get');
    const count = g.alloc(4);
    g.view.setUint32(count, 77, true);
    assert.equal(g.call.args_sizes_get(count, PAGE), ERRNO.FAULT);
    assert.equal(g.u32(count), 77);
  });

  it('path_open with a bad result pointer neither creates the file nor uses a descriptor', () => {
    const { g } = prepare('path_open');
    const [p, len] = g.put('created');
    assert.equal(g.call.path_open(ROOT, 0, p, len, 1, ALL_RIGHTS, ALL_RIGHTS, 0, -1), ERRNO.FAULT);
    assert.equal(g.stat('created').errno, ERRNO.NOENT);
    assert.equal(g.open('file').fd, 5);
  });
});

describe('descriptors of the wrong kind', () => {
  it('path calls on a file descriptor are ENOTDIR', () => {
    const { g, file } = prepare('path_open');
    assert.equal(g.mkdir('x', file), ERRNO.NOTDIR);
    assert.equal(g.unlink('x', file), ERRNO.NOTDIR);
    assert.equal(g.rmdir('x', file), ERRNO.NOTDIR);
    assert.equal(g.stat('x', file).errno, ERRNO.NOTDIR);
    assert.equal(g.open('x', { dirfd: file }).errno, ERRNO.NOTDIR);
    assert.equal(g.rename('file', 'g', file, ROOT), ERRNO.NOTDIR);
    assert.equal(g.readdirOnce(file).errno, ERRNO.NOTDIR);
  });

  it('stdin cannot be written and stdout cannot be read', () => {
    const g = new Guest();
    assert.equal(g.write(0, 'x').errno, ERRNO.BADF);
    assert.equal(g.read(1, 4).errno, ERRNO.BADF);
    assert.equal(g.read(2, 4).errno, ERRNO.BADF);
  });
});
