// Faasm's layout in the WASI layer: the root preopened as "/" and "." (preopens), and faasm:// paths through
// the embedder's SharedFiles (sdk/js/wasi/shared-files.js), answered at once or, where the embedder lets
// path_open and path_filestat_get suspend, with a Promise of the errno.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../sdk/js/wasi/index.js';
import { ALL_RIGHTS, ERRNO, Guest, OFLAGS, READ_ONLY, RIGHTS } from './guest.mjs';

const READ_ONLY_NO_CREATE = READ_ONLY & ~RIGHTS.PATH_CREATE_FILE;

/** SharedFiles over a map of stored files, local copies first as on Faasm; `delay` makes a pull a Promise. */
function sharedFiles(stored, { delay = false } = {}) {
  const checked = new Map();
  const files = {
    fs: new MemoryFileSystem(),
    pulls: 0,
    writes: [],
    written: (path) => files.writes.push(path),
    localPath: (path) => `/${path}`,
    forget: (path) => checked.delete(path),
    sync(path) {
      if (checked.has(path)) return checked.get(path);
      if (files.fs.kind(`/${path}`) !== undefined) return ERRNO.SUCCESS;
      files.pulls += 1;
      const answer = () => {
        if (stored[path] === undefined) checked.set(path, ERRNO.NOENT);
        else { files.fs.writeFile(`/${path}`, stored[path]); checked.set(path, ERRNO.SUCCESS); }
        return checked.get(path);
      };
      return delay ? Promise.resolve().then(answer) : answer();
    },
  };
  return files;
}

describe('preopens', () => {
  it('["/", "."] preopens the same root as fd 3 and fd 4', () => {
    const g = new Guest({ files: { '/etc/passwd': 'root' }, preopens: ['/', '.'] });
    const name = g.alloc(1);
    assert.equal(g.call.fd_prestat_dir_name(4, name, 1), ERRNO.SUCCESS);
    assert.equal(g.text(name, 1), '.');
    const { errno, fd } = g.open('etc/passwd', { dirfd: 4, rights: READ_ONLY });
    assert.equal(errno, ERRNO.SUCCESS);
    assert.equal(fd, 5);
    assert.equal(g.read(fd, 16).text, 'root');
    assert.equal(g.create('tmp.txt', 'via 3'), 6);
    assert.equal(g.stat('tmp.txt', 4).errno, ERRNO.SUCCESS);
  });

  it('refuses names that are not a non-empty array of strings', () => {
    for (const preopens of [[], '/', [''], [3]]) {
      assert.throws(() => new Guest({ preopens }), /Wasi: preopens must be a non-empty array of directory names/);
    }
  });
});

describe("openFlags: 'faasm'", () => {
  it('lets one flag win, O_CREAT first: no truncation, no EEXIST', () => {
    const g = new Guest({ files: { '/f.txt': 'hello world' }, openFlags: 'faasm' });
    assert.equal(g.open('f.txt', { oflags: OFLAGS.CREAT | OFLAGS.EXCL }).errno, ERRNO.SUCCESS);
    g.write(g.open('f.txt', { oflags: OFLAGS.CREAT | OFLAGS.TRUNC }).fd, 'hi');
    assert.equal(g.read(g.open('f.txt', { rights: READ_ONLY }).fd, 16).text, 'hillo world');
    g.open('f.txt', { oflags: OFLAGS.TRUNC });
    assert.equal(g.stat('f.txt').size, 0n);
    assert.throws(() => new Guest({ openFlags: 'linux' }), /Wasi: openFlags must be 'posix' or 'faasm'/);
  });
});

describe('faasm:// paths with sharedFiles', () => {
  it('open the local copy, pulled once', () => {
    const shared = sharedFiles({ 'data/x.txt': 'stored' });
    const g = new Guest({ sharedFiles: shared });
    const { errno, fd } = g.open('faasm://data/x.txt', { rights: READ_ONLY_NO_CREATE });
    assert.equal(errno, ERRNO.SUCCESS);
    assert.equal(g.read(fd, 16).text, 'stored');
    assert.equal(g.stat('faasm://data/x.txt').size, 6n);
    assert.equal(shared.pulls, 1);
  });

  it('a missing one is ENOENT to read, created locally to write', () => {
    const shared = sharedFiles({});
    const g = new Guest({ sharedFiles: shared });
    assert.equal(g.open('faasm://new.txt', { rights: READ_ONLY_NO_CREATE }).errno, ERRNO.NOENT);
    assert.equal(g.stat('faasm://new.txt').errno, ERRNO.NOENT);
    const { errno, fd } = g.open('faasm://new.txt', { oflags: OFLAGS.CREAT, rights: ALL_RIGHTS });
    assert.equal(errno, ERRNO.SUCCESS);
    g.write(fd, 'local');
    assert.equal(new TextDecoder().decode(shared.fs.readFile('/new.txt')), 'local');
    assert.deepEqual(shared.writes, ['new.txt'], 'a write is reported, so that the embedder uploads it as Faasm does');
    assert.equal(g.stat('faasm://new.txt').errno, ERRNO.SUCCESS);
  });

  it('are ordinary paths without sharedFiles', () => {
    const g = new Guest({ files: { '/faasm:/x.txt': 'in the root' } });
    assert.equal(g.read(g.open('faasm://x.txt', { rights: READ_ONLY }).fd, 16).text, 'in the root');
  });

  it('answer with a Promise of the errno when the embedder lets the call suspend', async () => {
    const g = new Guest({ sharedFiles: sharedFiles({ 'late.txt': 'came' }, { delay: true }),
                          suspending: ['path_open', 'path_filestat_get'] });
    const [p, len] = g.put('faasm://late.txt');
    const out = g.alloc(4);
    const pending = g.call.path_open(3, 0, p, len, 0, READ_ONLY_NO_CREATE, 0n, 0, out);
    assert.ok(pending instanceof Promise);
    assert.equal(await pending, ERRNO.SUCCESS);
    assert.equal(g.read(g.u32(out), 8).text, 'came');
    const [missing, missingLength] = g.put('faasm://none.txt');
    assert.equal(await g.call.path_filestat_get(3, 0, missing, missingLength, g.alloc(64)), ERRNO.NOENT);
  });

  it('that must wait are an error, never a wrong answer, when the embedder did not allow it', () => {
    const g = new Guest({ sharedFiles: sharedFiles({ 'late.txt': 'came' }, { delay: true }) });
    assert.throws(() => g.open('faasm://late.txt', { rights: READ_ONLY_NO_CREATE }),
      /Wasi: path_open of faasm:\/\/late.txt must wait for the file, but the embedder did not let path_open suspend/);
    assert.throws(() => new Guest({ suspending: ['fd_read'] }), /Wasi: suspending may only name path_open, path_filestat_get/);
  });
});
