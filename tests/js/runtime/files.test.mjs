// Faasm's file system in the browser runtime, end to end under Node (Asyncify path) with the `files` test
// function: the runtime root and its preopens, a host's files across calls, relative and absolute paths,
// shared files (faasm://) read, written and missing, files seeded per call, write_state_from_file, and the
// errors of client.files and invoke options.files.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { Client } from '../../../sdk/js/client.js';
import { connect, splitBacktrace } from '../../../sdk/js/index.js';
import { BrowserSharedFiles } from '../../../sdk/js/files/shared-store.js';
import { RUNTIME_ROOT_FILES } from '../../../sdk/js/files/runtime-root.js';
import { testFunctionsDir, wasmDirs } from './support.mjs';

const ENOENT = 44;

for (const { label, dir } of wasmDirs) {
  const options = { functions: testFunctionsDir(dir), suspension: 'asyncify', user: 'files' };
  const run = async (client, input, invokeOptions) => {
    const result = await client.invoke('files', input, invokeOptions);
    assert.equal(result.error, null, `${input}: ${result.error}`);
    return result.outputText;
  };

  describe(`the runtime root (${label})`, () => {
    it('holds sdk/runtime-root: /etc/passwd, /etc/hosts, /etc/resolv.conf, empty /tmp and /share', async () => {
      const client = await connect(undefined, options);
      assert.equal(await run(client, 'read /etc/passwd'), RUNTIME_ROOT_FILES['etc/passwd']);
      assert.equal(await run(client, 'list /'), 'etc\nshare\ntmp\n');
      assert.equal(await run(client, 'list /etc'), 'hosts\npasswd\nresolv.conf\n');
      assert.equal(await run(client, 'list /tmp'), '');
      assert.equal(await run(client, 'stat /share'), 'directory');
      assert.equal(await run(client, 'stat /etc/hosts'), `file ${RUNTIME_ROOT_FILES['etc/hosts'].length}`);
    });

    it('is preopened as fd 3 "/" and fd 4 ".", so the first file a call opens is fd 5', async () => {
      assert.equal(await run(await connect(undefined, options), 'fd'), 'fd 5');
    });

    it('relative and absolute paths name the same file', async () => {
      const client = await connect(undefined, options);
      assert.equal(await run(client, 'write tmp/same.txt relative'), 'wrote 8');
      assert.equal(await run(client, 'read /tmp/same.txt'), 'relative');
      assert.equal(await run(client, 'read ./tmp/same.txt'), 'relative');
      assert.equal(await run(client, 'read etc/passwd'), RUNTIME_ROOT_FILES['etc/passwd']);
    });

    it('belongs to the host: a file written in /tmp is there for its next call, not for another client', async () => {
      const host = await connect(undefined, options);
      assert.equal(await run(host, 'write /tmp/kept.txt first call'), 'wrote 10');
      assert.equal(await run(host, 'append /tmp/kept.txt , second'), 'wrote 8');
      assert.equal(await run(host, 'read /tmp/kept.txt'), 'first call, second');
      const otherHost = await connect(undefined, options);
      assert.equal(await run(otherHost, 'read /tmp/kept.txt'), `errno ${ENOENT}`);
    });

    it('opens as Faasm does: fopen "w" of an existing file does not truncate it', async () => {
      const client = await connect(undefined, options);
      assert.equal(await run(client, 'write /tmp/long.txt hello world'), 'wrote 11');
      assert.equal(await run(client, 'write /tmp/long.txt hi'), 'wrote 2');
      assert.equal(await run(client, 'read /tmp/long.txt'), 'hillo world');
    });

    it('a missing file or directory is ENOENT', async () => {
      const client = await connect(undefined, options);
      assert.equal(await run(client, 'read /tmp/missing.txt'), `errno ${ENOENT}`);
      assert.equal(await run(client, 'read /nodir/x.txt'), `errno ${ENOENT}`);
      assert.equal(await run(client, 'stat /nope'), `errno ${ENOENT}`);
      assert.equal(await run(client, 'write /nodir/x.txt text'), `errno ${ENOENT}`);
    });
  });

  describe(`shared files (${label})`, () => {
    it('faasm://PATH reads what client.files.upload(PATH) stored', async () => {
      const client = await connect(undefined, options);
      await client.files.upload('data/hello.txt', 'shared hello');
      assert.deepEqual(await client.files.get('data/hello.txt'), new TextEncoder().encode('shared hello'));
      assert.equal(await run(client, 'read faasm://data/hello.txt'), 'shared hello');
      assert.equal(await run(client, 'stat faasm://data/hello.txt'), 'file 12');
    });

    it('a missing shared file is ENOENT; fopen asks for write rights, so the next open looks again, as on Faasm', async () => {
      const client = await connect(undefined, options);
      assert.equal(await client.files.get('late.txt'), null);
      assert.equal(await run(client, 'read faasm://late.txt'), `errno ${ENOENT}`);
      await client.files.upload('late.txt', 'in time');
      assert.equal(await run(client, 'read faasm://late.txt'), 'in time');
    });

    it('a write is uploaded whole, as Faasm does (and fopen "w" does not truncate); a host that has its copy keeps it', async () => {
      const store = new BrowserSharedFiles();
      const host = new Client(options, { sharedFiles: store });
      const otherHost = new Client(options, { sharedFiles: store });
      await host.files.upload('doc.txt', 'global');
      assert.equal(await run(otherHost, 'read faasm://doc.txt'), 'global');
      assert.equal(await run(host, 'read faasm://doc.txt'), 'global');
      assert.equal(await run(host, 'write faasm://doc.txt local'), 'wrote 5');
      assert.equal(await run(host, 'read faasm://doc.txt'), 'locall');
      assert.deepEqual(await host.files.get('doc.txt'), new TextEncoder().encode('locall'));
      assert.equal(await run(otherHost, 'read faasm://doc.txt'), 'global');
      assert.equal(await run(new Client(options, { sharedFiles: store }), 'read faasm://doc.txt'), 'locall');
    });

    it('writing a shared file that does not exist creates the local copy', async () => {
      const client = await connect(undefined, options);
      assert.equal(await run(client, 'write faasm://new.txt made here'), 'wrote 9');
      assert.equal(await run(client, 'read faasm://new.txt'), 'made here');
      assert.equal(new TextDecoder().decode(await client.files.get('new.txt')), 'made here');
    });

    it('client.files refuses bad paths and contents', async () => {
      const client = await connect(undefined, options);
      await assert.rejects(client.files.upload('', 'x'), /files.upload: the path must be a non-empty string/);
      await assert.rejects(client.files.upload('faasm://x', 'x'), /give the path without 'faasm:\/\/'/);
      await assert.rejects(client.files.upload('x', 42), /files.upload\('x'\): the contents must be a Uint8Array or a string/);
      await assert.rejects(client.files.get(7), /files.get: the path must be a non-empty string/);
    });
  });

  describe(`files seeded per call (${label})`, () => {
    it('are in the runtime root before main runs, absolute or relative to ".", and stay there', async () => {
      const client = await connect(undefined, options);
      const files = { '/tmp/seed.txt': 'seeded', 'data/in.bin': new Uint8Array([104, 105]) };
      assert.equal(await run(client, 'read /tmp/seed.txt', { files }), 'seeded');
      assert.equal(await run(client, 'read /data/in.bin'), 'hi');
      assert.equal(await run(client, 'read ./tmp/seed.txt'), 'seeded');
    });

    it('replace a file of the root', async () => {
      const client = await connect(undefined, options);
      assert.equal(await run(client, 'read /etc/hosts', { files: { '/etc/hosts': 'mine\n' } }), 'mine\n');
    });

    it('refuse bad paths and contents with a TypeError', async () => {
      const client = await connect(undefined, options);
      await assert.rejects(client.invoke('files', 'list /', { files: 'x' }), /options.files must be an object/);
      await assert.rejects(client.invoke('files', 'list /', { files: { 'faasm://a': 'x' } }), /shared files go through client.files/);
      await assert.rejects(client.invoke('files', 'list /', { files: { '/': 'x' } }), /names the root directory/);
      await assert.rejects(client.invoke('files', 'list /', { files: { '/tmp': 'x' } }), /cannot write \/tmp: a directory is there/);
      await assert.rejects(client.invoke('files', 'list /', { files: { '/etc/passwd/x': 'x' } }), /a file is where a directory must be/);
      await assert.rejects(client.invoke('files', 'list /', { files: { '/a': 1 } }), /options.files\['\/a'\] must be a Uint8Array or a string/);
    });
  });

  describe(`write_state_from_file (${label})`, () => {
    it('writes a file of the runtime root as the value and returns its length', async () => {
      const client = await connect(undefined, options);
      assert.equal(await run(client, 'state passwd_key /etc/passwd'), `state ${RUNTIME_ROOT_FILES['etc/passwd'].length}`);
      assert.equal(new TextDecoder().decode(await client.state.get('passwd_key')), RUNTIME_ROOT_FILES['etc/passwd']);
      assert.equal(await run(client, 'state seeded_key tmp/s.txt', { files: { '/tmp/s.txt': 'abc' } }), 'state 3');
      assert.equal(new TextDecoder().decode(await client.state.get('seeded_key')), 'abc');
    });

    it('a missing file (or a directory) fails the call with a host fault naming the path', async () => {
      const client = await connect(undefined, options);
      for (const path of ['/tmp/none.txt', '/tmp']) {
        const result = await client.invoke('files', `state k ${path}`);
        assert.equal(result.returnValue, 1);
        const { message, frames } = splitBacktrace(result.error);
        assert.equal(message, `files: host fault in write_state_from_file: cannot read '${path}' from the function's file system`);
        assert.ok(frames.length > 0, 'a host fault names the guest frames that made the call');
      }
    });
  });
}
