// The in-memory file system as a guest sees it through path_* and fd_* calls, with POSIX's errnos.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFileSystem, Wasi } from '../../../sdk/js/wasi/index.js';
import {
  ALL_RIGHTS, ERRNO, FDFLAGS, FILETYPE, FSTFLAGS, Guest, OFLAGS, READ_ONLY, RIGHTS, ROOT, WHENCE,
} from './guest.mjs';

const { SUCCESS } = ERRNO;

describe('preopened /', () => {
  it('is fd 3, named "/", and the only preopen', () => {
    const g = new Guest();
    const out = g.alloc(8);
    assert.equal(g.call.fd_prestat_get(ROOT, out), SUCCESS);
    assert.equal(g.u8(out), 0);
    assert.equal(g.u32(out + 4), 1);
    const name = g.alloc(1);
    assert.equal(g.call.fd_prestat_dir_name(ROOT, name, 1), SUCCESS);
    assert.equal(g.text(name, 1), '/');
    assert.equal(g.call.fd_prestat_dir_name(ROOT, name, 0), ERRNO.NAMETOOLONG);
    for (const fd of [0, 1, 2, 4]) assert.equal(g.call.fd_prestat_get(fd, out), ERRNO.BADF, `fd ${fd}`);
  });

  it('is a directory descriptor that can open files with every file right', () => {
    const g = new Guest();
    const stat = g.fdstat(ROOT);
    assert.equal(stat.filetype, FILETYPE.DIRECTORY);
    assert.ok(stat.rightsBase & RIGHTS.PATH_OPEN);
    assert.ok(stat.rightsInheriting & RIGHTS.FD_READ && stat.rightsInheriting & RIGHTS.FD_WRITE);
  });

  it('refuses paths that leave it', () => {
    const g = new Guest({ files: { '/a/b.txt': 'b' } });
    for (const path of ['/a/b.txt', '..', '../x', 'a/../..', 'a/../../a']) {
      assert.equal(g.stat(path).errno, ERRNO.NOTCAPABLE, path);
    }
    assert.equal(g.stat('a/../a/./b.txt').errno, SUCCESS);
    assert.equal(g.stat('a//b.txt').errno, SUCCESS);
    const { fd } = g.open('a', { oflags: OFLAGS.DIRECTORY, rights: READ_ONLY });
    assert.equal(g.stat('b.txt', fd).errno, SUCCESS);
    assert.equal(g.stat('../a/b.txt', fd).errno, ERRNO.NOTCAPABLE);
  });

  it('rejects empty, non-UTF-8 and NUL-containing paths', () => {
    const g = new Guest();
    assert.equal(g.stat('').errno, ERRNO.NOENT);
    assert.equal(g.stat('a\0b').errno, ERRNO.INVAL);
    const [p, len] = g.put(new Uint8Array([0x66, 0xff, 0x66]));
    assert.equal(g.call.path_filestat_get(ROOT, 0, p, len, g.alloc(64)), ERRNO.ILSEQ);
  });
});

describe('reading and writing', () => {
  it('writes, seeks, tells and reads back through one descriptor', () => {
    const g = new Guest();
    const fd = g.create('f.txt', 'hello world');
    assert.equal(g.tell(fd).offset, 11n);
    assert.deepEqual(g.seek(fd, 0, WHENCE.SET), { errno: SUCCESS, offset: 0n });
    assert.equal(g.read(fd, 5).text, 'hello');
    assert.deepEqual(g.seek(fd, 1, WHENCE.CUR), { errno: SUCCESS, offset: 6n });
    assert.deepEqual(g.seek(fd, -5, WHENCE.END), { errno: SUCCESS, offset: 6n });
    assert.equal(g.read(fd, 100).text, 'world');
    assert.deepEqual(g.read(fd, 10), { errno: SUCCESS, count: 0, text: '' });
    assert.equal(g.seek(fd, -1, WHENCE.SET).errno, ERRNO.INVAL);
    assert.equal(g.seek(fd, 0, 3).errno, ERRNO.INVAL);
    assert.equal(g.seek(fd, 2 ** 40, WHENCE.SET).errno, ERRNO.OVERFLOW);
  });

  it('scatters and gathers over several iovecs', () => {
    const g = new Guest();
    const fd = g.create('f.txt');
    assert.deepEqual(g.write(fd, 'ab', '', 'cde'), { errno: SUCCESS, count: 5 });
    g.seek(fd, 0, WHENCE.SET);
    assert.deepEqual(g.read(fd, 1, 0, 3, 10), { errno: SUCCESS, count: 5, text: 'abcde' });
  });

  it('pread and pwrite leave the position alone; writing past the end leaves zeros', () => {
    const g = new Guest();
    const fd = g.create('f.txt', 'abc');
    assert.deepEqual(g.pwrite(fd, 5, 'xy'), { errno: SUCCESS, count: 2 });
    assert.equal(g.tell(fd).offset, 3n);
    assert.equal(g.pread(fd, 0, 10).text, 'abc\0\0xy');
    assert.equal(g.pread(fd, 100, 10).text, '');
    assert.equal(g.tell(fd).offset, 3n);
    assert.equal(g.pwrite(fd, 2 ** 40, 'x').errno, ERRNO.FBIG);
    assert.equal(g.pwrite(fd, -1, 'x').errno, ERRNO.FBIG, 'u64 offsets arrive as signed bigints');
  });

  it('appends at the end whatever the position when opened with APPEND', () => {
    const g = new Guest({ files: { '/log': 'one\n' } });
    const { fd } = g.open('log', { fdflags: FDFLAGS.APPEND });
    g.seek(fd, 0, WHENCE.SET);
    g.write(fd, 'two\n');
    assert.equal(new TextDecoder().decode(g.wasi.fs.readFile('/log')), 'one\ntwo\n');
    assert.equal(g.fdstat(fd).flags, FDFLAGS.APPEND);
  });

  it('enforces the access mode the file was opened with', () => {
    const g = new Guest({ files: { '/f': 'data' } });
    const reader = g.open('f', { rights: READ_ONLY }).fd;
    assert.equal(g.write(reader, 'x').errno, ERRNO.BADF);
    assert.equal(g.pwrite(reader, 0, 'x').errno, ERRNO.BADF);
    assert.equal(g.call.fd_filestat_set_size(reader, 0n), ERRNO.BADF);
    assert.equal(g.read(reader, 4).text, 'data');
    const writer = g.open('f', { rights: ALL_RIGHTS & ~RIGHTS.FD_READ }).fd;
    assert.equal(g.read(writer, 4).errno, ERRNO.BADF);
    assert.equal(g.write(writer, 'D').errno, SUCCESS);
    assert.equal(g.fdstat(writer).rightsBase & RIGHTS.FD_READ, 0n);
  });

  it('truncates, extends with zeros and allocates', () => {
    const g = new Guest();
    const fd = g.create('f', 'abcdef');
    assert.equal(g.call.fd_filestat_set_size(fd, 3n), SUCCESS);
    assert.equal(g.call.fd_filestat_set_size(fd, 5n), SUCCESS);
    assert.equal(g.pread(fd, 0, 10).text, 'abc\0\0');
    assert.equal(g.call.fd_allocate(fd, 4n, 4n), SUCCESS);
    assert.equal(g.fstat(fd).size, 8n);
    assert.equal(g.call.fd_allocate(fd, 0n, 2n), SUCCESS);
    assert.equal(g.fstat(fd).size, 8n, 'allocate never shrinks');
    assert.equal(g.call.fd_filestat_set_size(ROOT, 0n), ERRNO.INVAL);
    assert.equal(g.call.fd_filestat_set_size(fd, 1n << 40n), ERRNO.FBIG);
  });

  it('reads and writes on a directory fail with EISDIR', () => {
    const g = new Guest();
    assert.equal(g.read(ROOT, 4).errno, ERRNO.ISDIR);
    assert.equal(g.write(ROOT, 'x').errno, ERRNO.ISDIR);
  });
});

describe('path_open', () => {
  it('creates, truncates and refuses an existing file with EXCL', () => {
    const g = new Guest({ files: { '/f': 'old' } });
    assert.equal(g.open('f', { oflags: OFLAGS.CREAT | OFLAGS.EXCL }).errno, ERRNO.EXIST);
    assert.equal(g.open('g', { oflags: OFLAGS.CREAT | OFLAGS.EXCL }).errno, SUCCESS);
    assert.equal(g.open('f', { oflags: OFLAGS.TRUNC }).errno, SUCCESS);
    assert.equal(g.wasi.fs.readFile('/f').length, 0);
    assert.equal(g.open('missing').errno, ERRNO.NOENT);
    assert.equal(g.open('no/such/dir', { oflags: OFLAGS.CREAT }).errno, ERRNO.NOENT);
  });

  it('tells files and directories apart', () => {
    const g = new Guest({ files: { '/f': 'x', '/d/inner': 'y' } });
    assert.equal(g.open('f', { oflags: OFLAGS.DIRECTORY }).errno, ERRNO.NOTDIR);
    assert.equal(g.open('f/').errno, ERRNO.NOTDIR);
    assert.equal(g.open('f/x').errno, ERRNO.NOTDIR);
    assert.equal(g.open('new/', { oflags: OFLAGS.CREAT }).errno, ERRNO.ISDIR);
    assert.equal(g.open('d', { oflags: OFLAGS.CREAT | OFLAGS.DIRECTORY }).errno, ERRNO.INVAL);
    assert.equal(g.open('d').errno, ERRNO.ISDIR, 'a directory cannot be opened for writing');
    assert.equal(g.open('d', { oflags: OFLAGS.TRUNC, rights: READ_ONLY }).errno, ERRNO.ISDIR);
    const dir = g.open('d/', { rights: READ_ONLY });
    assert.equal(dir.errno, SUCCESS);
    assert.equal(g.fdstat(dir.fd).filetype, FILETYPE.DIRECTORY);
    assert.equal(g.open('.', { oflags: OFLAGS.DIRECTORY, rights: READ_ONLY }).errno, SUCCESS);
  });

  it('rejects unknown flag bits', () => {
    const g = new Guest();
    assert.equal(g.open('f', { oflags: 0x10 | OFLAGS.CREAT }).errno, ERRNO.INVAL);
    assert.equal(g.open('f', { oflags: OFLAGS.CREAT, fdflags: 0x20 }).errno, ERRNO.INVAL);
  });

  it('hands out the lowest free descriptor and stops at the limit', () => {
    const g = new Guest({ files: { '/f': '' } });
    const first = g.open('f').fd;
    const second = g.open('f').fd;
    assert.deepEqual([first, second], [4, 5]);
    assert.equal(g.call.fd_close(first), SUCCESS);
    assert.equal(g.open('f').fd, 4);
    let last;
    do last = g.open('f'); while (last.errno === SUCCESS);
    assert.equal(last.errno, ERRNO.MFILE);
  });

  it('narrows the requested rights to what a regular file supports', () => {
    const g = new Guest({ files: { '/f': '' } });
    const { rightsBase, rightsInheriting } = g.fdstat(g.open('f').fd);
    assert.equal(rightsBase & RIGHTS.PATH_OPEN, 0n);
    assert.ok(rightsBase & RIGHTS.FD_SEEK && rightsBase & RIGHTS.FD_WRITE);
    assert.equal(rightsInheriting, 0n);
  });
});

describe('directories', () => {
  it('creates directories with POSIX errors', () => {
    const g = new Guest({ files: { '/f': '' } });
    assert.equal(g.mkdir('d'), SUCCESS);
    assert.equal(g.mkdir('d/e/'), SUCCESS);
    assert.equal(g.mkdir('d'), ERRNO.EXIST);
    assert.equal(g.mkdir('.'), ERRNO.EXIST);
    assert.equal(g.mkdir('x/y'), ERRNO.NOENT);
    assert.equal(g.mkdir('f/y'), ERRNO.NOTDIR);
    assert.equal(g.stat('d/e').filetype, FILETYPE.DIRECTORY);
  });

  it('lists ., .., then entries in creation order, with types and inode numbers', () => {
    const g = new Guest();
    g.mkdir('sub');
    g.create('b.txt');
    g.create('a.txt');
    const { entries, used } = g.readdirOnce(ROOT);
    assert.deepEqual(entries.map((e) => e.name), ['.', '..', 'sub', 'b.txt', 'a.txt']);
    assert.deepEqual(entries.map((e) => e.type), [FILETYPE.DIRECTORY, FILETYPE.DIRECTORY, FILETYPE.DIRECTORY,
                                                   FILETYPE.REGULAR_FILE, FILETYPE.REGULAR_FILE]);
    assert.deepEqual(entries.map((e) => e.next), [1n, 2n, 3n, 4n, 5n]);
    assert.equal(entries[3].ino, g.stat('b.txt').ino);
    assert.equal(entries[0].ino, entries[1].ino, 'the root is its own parent');
    assert.equal(used, entries.reduce((sum, e) => sum + 24 + e.name.length, 0));
    const sub = g.open('sub', { oflags: OFLAGS.DIRECTORY, rights: READ_ONLY }).fd;
    const inSub = g.readdirOnce(sub).entries;
    assert.equal(inSub[1].ino, g.stat('.').ino);
  });

  it('resumes from a cookie and fills a small buffer completely, cutting the last entry', () => {
    const g = new Guest();
    const names = Array.from({ length: 20 }, (_, i) => `file-${i}`);
    for (const name of names) g.create(name);
    const first = g.readdirOnce(ROOT, 64);
    assert.equal(first.used, 64);
    assert.deepEqual(g.readdir(ROOT, 64).names, ['.', '..', ...names]);
    assert.deepEqual(g.readdirOnce(ROOT, 4096, 22n), { errno: SUCCESS, used: 0, entries: [] });
    assert.deepEqual(g.readdirOnce(ROOT, 4096, 1n << 63n).used, 0);
  });

  it('readdir on a file is ENOTDIR', () => {
    const g = new Guest();
    assert.equal(g.readdirOnce(g.create('f')).errno, ERRNO.NOTDIR);
  });

  it('removes empty directories only', () => {
    const g = new Guest({ files: { '/full/x': '', '/f': '' } });
    g.mkdir('empty');
    assert.equal(g.rmdir('full'), ERRNO.NOTEMPTY);
    assert.equal(g.rmdir('f'), ERRNO.NOTDIR);
    assert.equal(g.rmdir('.'), ERRNO.INVAL);
    assert.equal(g.rmdir('nothing'), ERRNO.NOENT);
    assert.equal(g.rmdir('empty'), SUCCESS);
    assert.equal(g.stat('empty').errno, ERRNO.NOENT);
  });

  it('unlinks files only, and an open file stays readable', () => {
    const g = new Guest({ files: { '/f': 'kept', '/d/x': '' } });
    const { fd } = g.open('f', { rights: READ_ONLY });
    assert.equal(g.unlink('d'), ERRNO.ISDIR);
    assert.equal(g.unlink('.'), ERRNO.ISDIR);
    assert.equal(g.unlink('nothing'), ERRNO.NOENT);
    assert.equal(g.unlink('f/'), ERRNO.NOTDIR);
    assert.equal(g.unlink('f'), SUCCESS);
    assert.equal(g.stat('f').errno, ERRNO.NOENT);
    assert.equal(g.read(fd, 10).text, 'kept');
  });
});

describe('path_rename', () => {
  const decode = (bytes) => new TextDecoder().decode(bytes);

  it('moves and replaces files', () => {
    const g = new Guest({ files: { '/a': 'A', '/b': 'B', '/d/x': '' } });
    assert.equal(g.rename('a', 'b'), SUCCESS);
    assert.equal(decode(g.wasi.fs.readFile('/b')), 'A');
    assert.equal(g.wasi.fs.readFile('/a'), undefined);
    assert.equal(g.rename('b', 'd/b'), SUCCESS);
    assert.deepEqual(g.wasi.fs.readdir('/d'), ['x', 'b']);
    assert.equal(g.rename('d/b', 'd/b'), SUCCESS);
    assert.equal(g.rename('missing', 'z'), ERRNO.NOENT);
    assert.equal(g.rename('d/b', 'd'), ERRNO.ISDIR);
    assert.equal(g.rename('d/b', 'new/'), ERRNO.NOTDIR);
  });

  it('moves directories, replacing only empty ones and never into themselves', () => {
    const g = new Guest({ files: { '/src/x': 'x', '/full/y': '', '/f': '' } });
    g.mkdir('empty');
    assert.equal(g.rename('src', 'f'), ERRNO.NOTDIR);
    assert.equal(g.rename('src', 'full'), ERRNO.NOTEMPTY);
    assert.equal(g.rename('src', 'src/inner'), ERRNO.INVAL);
    assert.equal(g.rename('.', 'x'), ERRNO.INVAL);
    assert.equal(g.rename('src', 'empty'), SUCCESS);
    assert.equal(decode(g.wasi.fs.readFile('/empty/x')), 'x');
    assert.equal(g.rename('empty', 'full/moved'), SUCCESS);
    assert.equal(g.rename('full', 'full/moved/deeper'), ERRNO.INVAL);
    const { entries } = g.readdirOnce(g.open('full/moved', { rights: READ_ONLY }).fd);
    assert.equal(entries[1].ino, g.stat('full').ino, '.. follows the move');
  });

  it('works between two directory descriptors', () => {
    const g = new Guest({ files: { '/a/f': 'f', '/b/.keep': '' } });
    const a = g.open('a', { rights: READ_ONLY }).fd;
    const b = g.open('b', { rights: READ_ONLY }).fd;
    assert.equal(g.rename('f', 'g', a, b), SUCCESS);
    assert.equal(decode(g.wasi.fs.readFile('/b/g')), 'f');
    assert.equal(g.rename('g', 'x', b, g.create('file')), ERRNO.NOTDIR);
  });
});

describe('metadata', () => {
  it('reports the same stat through a descriptor and a path', () => {
    const g = new Guest();
    const fd = g.create('f', '12345');
    const byFd = g.fstat(fd);
    const byPath = g.stat('f');
    assert.deepEqual(byFd, byPath);
    assert.equal(byFd.filetype, FILETYPE.REGULAR_FILE);
    assert.equal(byFd.size, 5n);
    assert.equal(byFd.nlink, 1n);
    const now = BigInt(Date.now()) * 1_000_000n;
    assert.ok(byFd.mtim <= now && byFd.mtim > now - 60_000_000_000n);
    assert.equal(g.stat('.').filetype, FILETYPE.DIRECTORY);
    assert.equal(g.stat('missing').errno, ERRNO.NOENT);
  });

  it('sets times explicitly or to now', () => {
    const g = new Guest();
    const fd = g.create('f');
    assert.equal(g.call.fd_filestat_set_times(fd, 5n, 7n, FSTFLAGS.ATIM | FSTFLAGS.MTIM), SUCCESS);
    assert.deepEqual([g.fstat(fd).atim, g.fstat(fd).mtim], [5n, 7n]);
    const [p, len] = g.put('f');
    assert.equal(g.call.path_filestat_set_times(ROOT, 0, p, len, 0n, 9n, FSTFLAGS.MTIM | FSTFLAGS.ATIM_NOW),
                 SUCCESS);
    assert.equal(g.fstat(fd).mtim, 9n);
    assert.ok(g.fstat(fd).atim > 5n);
    assert.equal(g.call.fd_filestat_set_times(fd, 0n, 0n, FSTFLAGS.ATIM | FSTFLAGS.ATIM_NOW), ERRNO.INVAL);
    assert.equal(g.call.fd_filestat_set_times(fd, 0n, 0n, FSTFLAGS.MTIM | FSTFLAGS.MTIM_NOW), ERRNO.INVAL);
    assert.equal(g.call.fd_filestat_set_times(fd, 0n, 0n, 16), ERRNO.INVAL);
    assert.equal(g.call.fd_filestat_set_times(1, 0n, 0n, FSTFLAGS.MTIM_NOW), ERRNO.NOTSUP);
  });

  it('changes fd flags and rejects unknown bits', () => {
    const g = new Guest();
    const fd = g.create('f');
    assert.equal(g.call.fd_fdstat_set_flags(fd, FDFLAGS.APPEND | FDFLAGS.NONBLOCK), SUCCESS);
    assert.equal(g.fdstat(fd).flags, FDFLAGS.APPEND | FDFLAGS.NONBLOCK);
    assert.equal(g.call.fd_fdstat_set_flags(fd, 0x20), ERRNO.INVAL);
  });

  it('syncs and takes advice on files; stdio cannot', () => {
    const g = new Guest();
    const fd = g.create('f');
    assert.equal(g.call.fd_sync(fd), SUCCESS);
    assert.equal(g.call.fd_datasync(fd), SUCCESS);
    assert.equal(g.call.fd_sync(ROOT), SUCCESS);
    assert.equal(g.call.fd_advise(fd, 0n, 0n, 4), SUCCESS);
    assert.equal(g.call.fd_advise(fd, 0n, 0n, 6), ERRNO.INVAL);
    assert.equal(g.call.fd_sync(1), ERRNO.INVAL);
    assert.equal(g.call.fd_advise(1, 0n, 0n, 0), ERRNO.SPIPE);
    assert.equal(g.call.fd_allocate(1, 0n, 1n), ERRNO.NOTSUP);
    assert.equal(g.seek(1, 0, WHENCE.CUR).errno, ERRNO.SPIPE);
    assert.equal(g.tell(0).errno, ERRNO.SPIPE);
    assert.equal(g.pread(0, 0, 1).errno, ERRNO.SPIPE);
  });

  it('has no symbolic links: readlink is EINVAL on anything that exists', () => {
    const g = new Guest({ files: { '/f': '' } });
    const [p, len] = g.put('f');
    const [q, qLen] = g.put('missing');
    const buf = g.alloc(16);
    assert.equal(g.call.path_readlink(ROOT, p, len, buf, 16, g.alloc(4)), ERRNO.INVAL);
    assert.equal(g.call.path_readlink(ROOT, q, qLen, buf, 16, g.alloc(4)), ERRNO.NOENT);
  });
});

describe('descriptors', () => {
  it('closes, after which the number is bad', () => {
    const g = new Guest();
    const fd = g.create('f');
    assert.equal(g.call.fd_close(fd), SUCCESS);
    assert.equal(g.call.fd_close(fd), ERRNO.BADF);
    assert.equal(g.write(fd, 'x').errno, ERRNO.BADF);
  });

  it('renumbers onto an open descriptor, closing it', () => {
    const g = new Guest();
    const a = g.create('a', 'A');
    const b = g.create('b', 'B');
    assert.equal(g.call.fd_renumber(a, b), SUCCESS);
    assert.equal(g.fstat(a).errno, ERRNO.BADF);
    assert.equal(g.pread(b, 0, 1).text, 'A');
    assert.equal(g.call.fd_renumber(b, b), SUCCESS);
    assert.equal(g.call.fd_renumber(b, 99), ERRNO.BADF);
    assert.equal(g.call.fd_renumber(99, b), ERRNO.BADF);
  });

  it('duplicates to the lowest free number, sharing the position, for Faasm\'s env.__wasi_fd_dup', () => {
    const g = new Guest();
    const fd = g.create('f', 'hello world');
    const copy = g.wasi.duplicate(fd);
    assert.deepEqual([fd, copy], [4, 5]);
    assert.deepEqual(g.seek(copy, 6, WHENCE.SET), { errno: SUCCESS, offset: 6n });
    assert.equal(g.read(fd, 5).text, 'world');
    assert.equal(g.tell(copy).offset, 11n);
    assert.equal(g.call.fd_close(fd), SUCCESS);
    assert.equal(g.pread(copy, 0, 5).text, 'hello');
    assert.equal(g.wasi.duplicate(copy), 4);
    assert.throws(() => g.wasi.duplicate(99), (error) => error.errno === ERRNO.BADF);
  });
});

describe('MemoryFileSystem for the embedder', () => {
  it('seeds files for the guest and reads back what it wrote', () => {
    const g = new Guest({ files: { '/in/data.bin': new Uint8Array([1, 2, 3]), '/in/text': 'héllo' } });
    assert.equal(g.stat('in/data.bin').size, 3n);
    assert.equal(g.pread(g.open('in/text', { rights: READ_ONLY }).fd, 0, 10).text, 'héllo');
    g.mkdir('out');
    g.create('out/result', 'done');
    assert.deepEqual(g.wasi.fs.readdir('/out'), ['result']);
    assert.equal(new TextDecoder().decode(g.wasi.fs.readFile('/out/result')), 'done');
    assert.deepEqual(g.wasi.fs.readdir('/'), ['in', 'out']);
  });

  it('can be shared by two instances', () => {
    const fs = new MemoryFileSystem({ '/shared': 'v1' });
    const first = new Guest({ fs });
    first.create('shared', 'v2');
    const second = new Guest({ fs });
    assert.equal(second.pread(second.open('shared', { rights: READ_ONLY }).fd, 0, 10).text, 'v2');
  });

  it('answers undefined for what is missing and throws on conflicts and bad paths', () => {
    const fs = new MemoryFileSystem({ '/f': 'x' });
    assert.equal(fs.readFile('/missing'), undefined);
    assert.equal(fs.readFile('/f/inside'), undefined);
    assert.equal(fs.readdir('/missing'), undefined);
    fs.mkdir('/a/b/c');
    fs.mkdir('/a/b');
    assert.deepEqual(fs.readdir('/a/b'), ['c']);
    assert.throws(() => fs.readFile('/a'), { name: 'WasiError', message: /ISDIR/ });
    assert.throws(() => fs.readdir('/f'), { name: 'WasiError', message: /NOTDIR/ });
    assert.throws(() => fs.writeFile('/a', 'x'), { name: 'WasiError', message: /ISDIR/ });
    assert.throws(() => fs.mkdir('/f/g'), { name: 'WasiError', message: /NOTDIR/ });
    assert.throws(() => fs.writeFile('relative', 'x'), { name: 'TypeError', message: /path/ });
    assert.throws(() => fs.writeFile('/a/../b', 'x'), { name: 'TypeError', message: /path/ });
    assert.throws(() => fs.writeFile('/x', 42), { name: 'TypeError', message: /contents/ });
    assert.throws(() => new MemoryFileSystem('nope'), { name: 'TypeError', message: /files/ });
    assert.throws(() => new Wasi({ files: {}, fs }), { name: 'TypeError', message: /files or fs/ });
  });
});
