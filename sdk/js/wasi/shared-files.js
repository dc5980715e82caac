// Faasm's shared files as path_open and path_filestat_get see them (faasm src/storage/FileDescriptor.cpp,
// FileSystem.cpp): a path starting with `faasm://`, given to any directory descriptor, names a shared file.
// Opening one first makes sure the host has it (the embedder's SharedFiles: a local copy pulled from the
// cluster once per host, or the answer that there is none), then opens the local copy. A missing file is
// ENOENT when opened to read; opened to write, the host forgets that it was missing and the open goes on in
// the local copies, creating the file there (and its directories). As Faasm's FileDescriptor::write, every write through a
// descriptor opened for writing tells the embedder (written), which uploads the whole file.
//
// The embedder provides (files/host-shared-files.js is the runtime's):
//   fs                 a MemoryFileSystem holding the local copies
//   localPath(path)    the absolute path in fs of shared file `path` (the part after `faasm://`)
//   sync(path)         SUCCESS or NOENT, or a Promise of it while the file is fetched
//   forget(path)       drops what sync found
//   written(path)      the local copy of path was written (the embedder uploads it)
import { ERRNO, OFLAGS, RIGHTS } from './defs.js';
import { WasiError } from './errors.js';
import { OpenFile, openAt, statAt } from './fs.js';
import { then } from '../sync-or-async.js';

export const SHARED_PREFIX = 'faasm://';

// Rights that make Faasm open a file for writing (faasm FileDescriptor.h WASI_RIGHTS_WRITE, getRwType).
const WRITE_RIGHTS = RIGHTS.FD_DATASYNC | RIGHTS.FD_WRITE | RIGHTS.FD_ALLOCATE | RIGHTS.FD_FILESTAT_SET_SIZE
  | RIGHTS.PATH_CREATE_FILE;

export class SharedFileOpener {
  #files;

  constructor(files) {
    this.#files = files;
  }

  isShared(path) {
    return path.startsWith(SHARED_PREFIX);
  }

  /** path_open of a shared path: the new descriptor, or a Promise of it. */
  open(path, oflags, rightsBase, rightsInheriting, fdflags, directoryInheriting) {
    const shared = path.slice(SHARED_PREFIX.length);
    // As Faasm: the rights asked for, narrowed by those the directory passes on, decide read or write.
    const writing = !(oflags & OFLAGS.DIRECTORY) && (rightsBase & directoryInheriting & WRITE_RIGHTS) !== 0n;
    return then(this.#files.sync(shared), (errno) => {
      if (errno !== ERRNO.SUCCESS) {
        if (!writing) throw new WasiError(errno, path);
        this.#files.forget(shared);
        // A file made by a write may be the first of its directory on this host: Faasm's host creates the
        // directories of the local copy too (faasm://new/x.txt opens for writing on the fixture).
        const parent = this.#files.localPath(shared).split('/').slice(0, -1).join('/');
        if (parent !== '') this.#files.fs.mkdir(parent);
      }
      const opened = openAt(this.#files.fs.root, this.#relative(shared), oflags, rightsBase, rightsInheriting, fdflags);
      if (!writing || !(opened instanceof OpenFile)) return opened;
      return new WrittenSharedFile(opened, () => this.#files.written(shared));
    });
  }

  /** path_filestat_get of a shared path: the local copy's stat, or a Promise of it. */
  stat(path) {
    const shared = path.slice(SHARED_PREFIX.length);
    return then(this.#files.sync(shared), (errno) => {
      if (errno !== ERRNO.SUCCESS) throw new WasiError(errno, path);
      return statAt(this.#files.fs.root, this.#relative(shared));
    });
  }

  #relative(shared) {
    return this.#files.localPath(shared).slice(1) || '.';
  }
}

// A shared file's local copy opened for writing: each write (write goes through pwrite) is reported.
class WrittenSharedFile extends OpenFile {
  #written;

  constructor(opened, written) {
    super(opened.file, { rightsBase: opened.rightsBase, flags: opened.flags });
    this.#written = written;
  }

  pwrite(buffers, offset) {
    const count = super.pwrite(buffers, offset);
    this.#written();
    return count;
  }
}
