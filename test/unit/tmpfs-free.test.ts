// A tmpfs file's memfd (its bytes) is closed once the file has no name and no
// open description left; a whole filesystem releases its memfds on dispose.
// Found by the fuzz harness: every file ever created kept its memfd for the
// sandbox's life, so creating and deleting files ran the sentry out of host
// fds (and the host out of memory), and every Sandbox left its memfds open in
// the embedding process.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { O_RDONLY, O_RDWR, O_WRONLY } from '../../src/abi/flags.js';
import { HostFs } from '../../src/fs/host/hostfs.js';
import { OverlayFs } from '../../src/fs/overlay/overlay.js';
import { TmpFile, Tmpfs } from '../../src/fs/tmpfs/tmpfs.js';
import { close, pread, pwrite } from '../../src/platform/host.js';
import { Creds } from '../../src/vfs/creds.js';
import type { Inode, Opened } from '../../src/vfs/inode.js';

const ROOT = Creds.root();
const fdCount = () => readdirSync('/proc/self/fd').length;

function must<T>(v: T | number): T {
  if (typeof v === 'number') throw new Error(`unexpected errno ${-v}`);
  return v;
}

/** For calls that answer 0 or -errno. */
function zero(r: number): void {
  if (r !== 0) throw new Error(`unexpected errno ${-r}`);
}

function write(f: Inode, text: string): void {
  const o = must(f.open(O_WRONLY)) as Opened;
  pwrite(o.hostFd, Buffer.from(text), 0, text.length, 0);
  close(o.hostFd);
  f.release(O_WRONLY);
}

t.test('create, write, unlink: the memfd is closed', (t) => {
  const fs = new Tmpfs();
  const before = fdCount();
  for (let i = 0; i < 50; i++) {
    const f = must(fs.root.create(`f${i}`, 0o644, ROOT)) as TmpFile;
    write(f, 'data');
    zero(fs.root.unlink(`f${i}`));
  }
  t.equal(fdCount(), before, 'no memfd left behind');
  t.end();
});

t.test('an open file keeps its bytes after unlink, until its last release', (t) => {
  const fs = new Tmpfs();
  const before = fdCount();
  const f = must(fs.root.create('kept', 0o644, ROOT)) as TmpFile;
  write(f, 'still here');
  const o = must(f.open(O_RDONLY)) as Opened;
  zero(fs.root.unlink('kept'));
  t.equal(must(f.stat()).size, 10, 'the sentry still knows the size of an open, unlinked file');
  const b = Buffer.alloc(10);
  t.equal(pread(o.hostFd, b, 0, 10, 0), 10);
  t.equal(b.toString(), 'still here');
  t.equal(fdCount(), before + 2, 'memfd and the open description');
  close(o.hostFd);
  f.release(O_RDONLY);
  t.equal(fdCount(), before, 'freed with the last release');
  t.end();
});

t.test('a hard link keeps the file; rename over a file frees the replaced one', (t) => {
  const fs = new Tmpfs();
  const before = fdCount();
  const a = must(fs.root.create('a', 0o644, ROOT)) as TmpFile;
  write(a, 'a');
  zero(fs.root.link('b', a));
  zero(fs.root.unlink('a'));
  t.equal(fdCount(), before + 1, 'one name left');
  const c = must(fs.root.create('c', 0o644, ROOT)) as TmpFile;
  write(c, 'c');
  zero(fs.root.rename('c', fs.root, 'b', 0));
  t.equal(fdCount(), before + 1, 'the replaced file is freed, the renamed one kept');
  fs.dispose();
  t.equal(fdCount(), before, 'dispose releases the rest');
  t.end();
});

t.test('overlay: a release of a description opened before copy-up does not free the upper file', (t) => {
  const lowerDir = mkdtempSync(join(tmpdir(), 'tsvisor-free-'));
  writeFileSync(join(lowerDir, 'file'), 'lower');
  const lower = new HostFs(lowerDir, { readOnly: true });
  const ofs = new OverlayFs(lower.root);
  const before = fdCount();
  const f = must(ofs.root.lookup('file')) as Inode;
  const ro = must(f.open(O_RDONLY)) as Opened; // on the lower file
  const rw = must(f.open(O_RDWR)) as Opened; // copies up, then opens the upper file
  zero(ofs.root.unlink('file'));
  close(ro.hostFd);
  f.release(O_RDONLY); // the lower description goes: the upper file is still open
  t.equal(must(f.stat()).size, 5, 'the upper file still answers');
  const b = Buffer.alloc(5);
  t.equal(pread(rw.hostFd, b, 0, 5, 0), 5);
  close(rw.hostFd);
  f.release(O_RDWR);
  t.equal(fdCount(), before, 'everything freed once both are released');
  ofs.dispose();
  lower.dispose();
  rmSync(lowerDir, { recursive: true });
  t.end();
});
