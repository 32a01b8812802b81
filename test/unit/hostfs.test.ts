// A writable host directory (src/fs/host/hostfs.ts), as bind mounts and the
// on-disk upper layer use it: every change lands on the host in that
// directory and nowhere else, nothing is cached that the host can change,
// symlinks are stored and never followed by the host, and the 'sentry'
// ownership keeps owners and modes the host does not get.
import { openSync, chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { E } from '../../src/abi/errno.js';
import { O_RDONLY, O_RDWR, O_WRONLY, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG } from '../../src/abi/flags.js';
import { HostFs, type HostInode, OWNER_XATTR } from '../../src/fs/host/hostfs.js';
import { close, pread, pwrite, xattrGet } from '../../src/platform/host.js';
import { Creds } from '../../src/vfs/creds.js';
import type { Inode, Stat } from '../../src/vfs/inode.js';

const ROOT = Creds.root();
/** An O_PATH fd of a host file (kept open to the end of the test process). */
const openPath = (dir: string, name: string) => openSync(join(dir, name), 0o10000000);
const isRoot = process.getuid?.() === 0;

function must<T>(v: T | null | number): T {
  if (v === null) throw new Error('not found');
  if (typeof v === 'number') throw new Error(`unexpected errno ${-v}`);
  return v;
}
const st = (i: Inode): Stat => must(i.stat());
const look = (d: Inode, n: string) => must(d.lookup(n)) as HostInode;
const names = (d: Inode) => must(d.readdir()).map((e) => e.name).sort();

function tree(t: { teardown(fn: () => void): void }, opts: Partial<ConstructorParameters<typeof HostFs>[1]> = {}) {
  const base = mkdtempSync(join(tmpdir(), 'tsvisor-hostfs-'));
  const dir = join(base, 'bound');
  mkdirSync(dir);
  writeFileSync(join(dir, 'f'), 'host file\n');
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(base, 'outside'), 'outside\n');
  const fs = new HostFs(dir, { readOnly: false, ...opts });
  t.teardown(() => {
    fs.dispose();
    rmSync(base, { recursive: true, force: true });
  });
  return { base, dir, fs, root: fs.root };
}

t.test('create, write, mkdir, symlink, link: on the host, in that directory', (t) => {
  const { base, dir, root } = tree(t);
  const f = must(root.create('new', 0o640, ROOT));
  t.equal(statSync(join(dir, 'new')).mode & 0o7777, 0o640, 'the mode asked for, not the host umask');
  const o = must(f.open(O_WRONLY));
  t.equal(pwrite(o.hostFd, Buffer.from('data'), 0, 4, 0), 4);
  close(o.hostFd);
  f.release(O_WRONLY);
  t.equal(readFileSync(join(dir, 'new'), 'latin1'), 'data');
  t.equal(st(f).size, 4, 'stat sees the host file now (no cached metadata)');
  const d = must(root.mkdir('sub', 0o2750, ROOT));
  t.equal(statSync(join(dir, 'sub')).mode & 0o7777, 0o2750);
  t.equal(st(d).mode, S_IFDIR | 0o2750);
  const inner = must(d.mkdir('inner', 0o755, ROOT));
  t.equal(st(inner).mode & 0o2000, 0o2000, 'set-group-ID directories pass the bit on, as Linux');
  must(root.symlink('up', '../../..', ROOT));
  must(root.symlink('abs', '/', ROOT));
  t.equal(readlinkSync(join(dir, 'abs')), '/', 'a symlink is stored as given');
  t.equal(look(root, 'abs').readlink(), '/');
  t.equal(look(root, 'abs').open(O_RDONLY), -E.ENXIO, 'never opened (or followed) by the host');
  t.equal(root.link('hard', look(root, 'f')), 0);
  t.equal(statSync(join(dir, 'hard')).ino, statSync(join(dir, 'f')).ino);
  t.same(names(root), ['abs', 'd', 'f', 'hard', 'new', 'sub', 'up']);
  t.equal(readFileSync(join(base, 'outside'), 'latin1'), 'outside\n', 'nothing outside changed');
  t.end();
});

t.test('unlink, rmdir, rename and its flags', (t) => {
  const { dir, root } = tree(t);
  const f = look(root, 'f');
  const o = must(f.open(O_RDWR));
  t.equal(root.unlink('f'), 0);
  t.notOk(existsSync(join(dir, 'f')));
  t.equal(root.lookup('f'), null);
  t.equal(pwrite(o.hostFd, Buffer.from('more'), 0, 4, 10), 4);
  t.same([st(f).size, st(f).nlink], [14, 0], 'an open file whose name went still stats (nlink 0)');
  close(o.hostFd);
  f.release(O_RDWR);
  t.equal(root.rmdir('d'), 0);
  t.notOk(existsSync(join(dir, 'd')));
  must(root.create('a', 0o644, ROOT));
  must(root.create('b', 0o644, ROOT));
  const a = look(root, 'a');
  t.equal(root.rename('a', root, 'b', 1 /* NOREPLACE */), -E.EEXIST);
  writeFileSync(join(dir, 'a'), 'A');
  writeFileSync(join(dir, 'b'), 'B');
  t.equal(root.rename('a', root, 'b', 2 /* EXCHANGE */), 0);
  t.equal(readFileSync(join(dir, 'b'), 'latin1'), 'A');
  t.equal(a.name, 'b', 'the inode moved with its name');
  const sub = must(root.mkdir('sub', 0o755, ROOT)) as HostInode;
  must(sub.create('x', 0o644, ROOT));
  t.equal(root.rename('b', sub, 'y', 0), 0);
  t.equal(readFileSync(join(dir, 'sub/y'), 'latin1'), 'A');
  t.same(names(sub), ['x', 'y']);
  t.equal(root.rmdir('sub'), -E.ENOTEMPTY);
  t.end();
});

t.test('setattr: chmod, chown, times, truncate on the host object itself', (t) => {
  const { dir, root } = tree(t);
  const f = look(root, 'f');
  t.equal(f.setattr({ mode: 0o600 }), 0);
  t.equal(statSync(join(dir, 'f')).mode & 0o7777, 0o600);
  t.equal(f.setattr({ mode: 0o4755 }), 0);
  t.equal(statSync(join(dir, 'f')).mode & 0o7777, 0o755, 'set-id bits never reach the host through a bind');
  t.equal(f.setattr({ atime: { sec: 1000, nsec: 5 }, mtime: { sec: 2000, nsec: 7 } }), 0);
  t.same([st(f).atime, st(f).mtime], [{ sec: 1000, nsec: 5 }, { sec: 2000, nsec: 7 }]);
  t.equal(f.setattr({ size: 4 }), 0);
  t.equal(readFileSync(join(dir, 'f'), 'latin1'), 'host');
  const r = f.setattr({ uid: 1234, gid: 1234 });
  if (isRoot) {
    t.equal(r, 0);
    t.same([statSync(join(dir, 'f')).uid, st(f).uid], [1234, 1234]);
  } else {
    t.equal(r, -E.EPERM, 'a non-root host user cannot give files away');
  }
  symlinkSync('f', join(dir, 'l'));
  t.equal(look(root, 'l').setattr({ mode: 0o600 }), -E.EOPNOTSUPP, 'a symlink has no mode to change (lchmod)');
  t.equal(lstatSync(join(dir, 'f')).mode & 0o777, 0o755, 'and its target was not touched');
  t.end();
});

t.test('changes made on the host show at once; a replaced name is a new object', (t) => {
  const { dir, root } = tree(t);
  const f = look(root, 'f');
  chmodSync(join(dir, 'f'), 0o611);
  t.equal(st(f).mode & 0o777, 0o611, 're-stat on demand');
  writeFileSync(join(dir, 'f'), 'longer host content\n');
  t.equal(st(f).size, 20);
  unlinkSync(join(dir, 'f'));
  writeFileSync(join(dir, 'f'), 'another file');
  t.equal(st(f).nlink, 0, 'the old object is gone');
  t.equal(f.setattr({ mode: 0o600 }), -E.ENOENT, 'and the new one under its name is not changed through it');
  const g = look(root, 'f');
  t.not(g, f);
  t.equal(st(g).size, 12);
  symlinkSync('/etc', join(dir, 'hostlink'));
  t.equal(look(root, 'hostlink').readlink(), '/etc', 'symlink targets re-read');
  unlinkSync(join(dir, 'hostlink'));
  symlinkSync('/usr', join(dir, 'hostlink'));
  t.equal(look(root, 'hostlink').readlink(), '/usr');
  t.end();
});

t.test('listings: a directory listed again shows host changes; many directories, long names', (t) => {
  const { dir, root } = tree(t);
  const d = look(root, 'd');
  t.same(names(d), []);
  writeFileSync(join(dir, 'd', 'one'), '');
  t.same(names(d), ['one'], 'listed again through its kept fd: the new name shows');
  mkdirSync(join(dir, 'd', 'two'));
  unlinkSync(join(dir, 'd', 'one'));
  t.same(names(d), ['two']);
  t.same(must(d.readdir()).map((e) => e.type), [S_IFDIR], 'types from the host');
  // More directories than the fd cache keeps, each listed and looked into.
  const many: string[] = [];
  for (let i = 0; i < 300; i++) {
    const n = `dir${i}_${'x'.repeat(i % 200)}`;
    mkdirSync(join(dir, n));
    writeFileSync(join(dir, n, `f${i}`), '');
    many.push(n);
  }
  for (const n of many) t.same(names(look(root, n)), [`f${many.indexOf(n)}`], `listing of ${n.slice(0, 8)}`);
  for (const n of many.slice(0, 5)) t.same(names(look(root, n)), [`f${many.indexOf(n)}`], 'again after eviction');
  t.equal(names(root).length, 2 + 300, 'the root lists them all');
  t.same(look(root, 'f').readdir(), -E.ENOTDIR, 'a file is no directory');
  t.end();
});

t.test('a listing reaches the directory the inode is, not what has its name now', (t) => {
  const { dir, root } = tree(t);
  const d = look(root, 'd');
  writeFileSync(join(dir, 'd', 'old'), '');
  look(d, 'old'); // the directory's fd is kept from here on
  renameSync(join(dir, 'd'), join(dir, 'moved'));
  mkdirSync(join(dir, 'd'));
  writeFileSync(join(dir, 'd', 'new'), '');
  t.same(names(d), ['old'], 'first listing: through the kept fd');
  t.same(names(d), ['old'], 'and again');
  t.same(names(look(root, 'd')), ['new'], 'the name now is another directory');
  t.end();
});

t.test('FIFOs: made on the host, their bytes through the sentry; no device nodes', (t) => {
  const { dir, root } = tree(t);
  const p = must(root.mknod('p', S_IFIFO | 0o644, 0, ROOT));
  t.equal(lstatSync(join(dir, 'p')).isFIFO(), true);
  t.equal(st(p).mode & S_IFMT, S_IFIFO);
  const w = must(p.open(O_RDWR));
  t.equal(pwrite(w.hostFd, Buffer.from('x'), 0, 1, -1), 1);
  const b = Buffer.alloc(1);
  t.equal(pread(w.hostFd, b, 0, 1, -1), 1);
  close(w.hostFd);
  p.release(O_RDWR);
  t.equal(root.mknod('c', 0o020644, 0x101, ROOT), -E.EPERM);
  t.equal(must(root.mknod('r', S_IFREG | 0o600, 0, ROOT)).isRegular(), true);
  t.end();
});

t.test('a read-only tree refuses every change', (t) => {
  const { root } = tree(t, { readOnly: true });
  t.equal(root.create('x', 0o644, ROOT), -E.EROFS);
  t.equal(root.mkdir('x', 0o755, ROOT), -E.EROFS);
  t.equal(root.unlink('f'), -E.EROFS);
  t.equal(root.rename('f', root, 'g', 0), -E.EROFS);
  t.equal(look(root, 'f').setattr({ mode: 0 }), -E.EROFS);
  t.equal(look(root, 'f').open(O_WRONLY), -E.EROFS);
  t.end();
});

t.test('hidden names are neither shown nor usable', (t) => {
  const base = mkdtempSync(join(tmpdir(), 'tsvisor-hostfs-'));
  mkdirSync(join(base, 'upper'));
  writeFileSync(join(base, 'upper/secret'), 's');
  const fs0 = new HostFs(base, { readOnly: false });
  const ps = fs0.root.known();
  fs0.dispose();
  const fs = new HostFs(base, { readOnly: false, hide: [{ devMajor: ps.devMajor, devMinor: ps.devMinor, ino: ps.ino, name: 'upper' }] });
  t.teardown(() => {
    fs.dispose();
    rmSync(base, { recursive: true, force: true });
  });
  t.equal(fs.root.lookup('upper'), null);
  t.same(names(fs.root), []);
  t.equal(fs.root.mkdir('upper', 0o755, ROOT), -E.EBUSY);
  t.equal(fs.root.rmdir('upper'), -E.EBUSY);
  must(fs.root.mkdir('other', 0o755, ROOT));
  t.equal(fs.root.rename('other', fs.root, 'upper', 0), -E.EBUSY, 'nothing can replace it');
  t.equal(readFileSync(join(base, 'upper/secret'), 'latin1'), 's');
  t.end();
});

t.test("'sentry' ownership: owners and modes in an xattr, host objects stay the sentry's", (t) => {
  const { dir, root } = tree(t, { ownership: 'sentry' });
  const user = Creds.user(1234, 567);
  const f = must(root.create('mine', 0o4750, user));
  t.same([st(f).uid, st(f).gid, st(f).mode], [1234, 567, S_IFREG | 0o4750], 'the guest sees what it made');
  const hs = statSync(join(dir, 'mine'));
  t.equal(hs.uid, process.getuid!(), 'the host object is the sentry user\'s');
  t.equal(hs.mode & 0o7777, 0o750, 'no set-id bit on the host, and readable by the sentry');
  t.match(String(xattrGet(openPath(dir, 'mine'), OWNER_XATTR)), /^1234:567:04750$/);
  t.equal(f.setattr({ mode: 0o000 }), 0);
  t.equal(st(f).mode, S_IFREG | 0o000);
  t.equal(statSync(join(dir, 'mine')).mode & 0o777, 0o600, 'the sentry can still read and write it');
  t.equal(f.setattr({ uid: 0, gid: 0 }), 0);
  t.same([st(f).uid, st(f).gid], [0, 0]);
  const l = must(root.symlink('ln', 'mine', user));
  t.same([st(l).uid, st(l).gid, st(l).mode & S_IFMT], [1234, 567, S_IFLNK], 'symlinks: kept in memory');
  // What the host already says is not recorded again.
  must(root.create('plain', 0o644, Creds.user(process.getuid!(), process.getgid!())));
  t.equal(xattrGet(openPath(dir, 'plain'), OWNER_XATTR), -E.ENODATA);
  t.end();
});

t.test('dentries of a writable tree are checked again at every walk', async (t) => {
  const { Dentry } = await import('../../src/vfs/mount.js');
  const { dir, root } = tree(t);
  const top = new Dentry('/', null, root);
  const d1 = top.child('f');
  t.ok(d1 && typeof d1 !== 'number');
  unlinkSync(join(dir, 'f'));
  t.equal(top.child('f'), null, 'a name a host process removed is gone');
  t.ok((d1 as InstanceType<typeof Dentry>).unlinked, 'and its dentry reads as deleted');
  writeFileSync(join(dir, 'f'), 'again');
  const d2 = top.child('f') as InstanceType<typeof Dentry>;
  t.equal(st(d2.inode).size, 5);
  t.equal(top.child('f'), d2, 'the same object keeps its dentry and inode');
  t.equal(top.child('f') && (top.child('f') as InstanceType<typeof Dentry>).inode, d2.inode);
  const ro = new HostFs(dir, { readOnly: true });
  t.teardown(() => ro.dispose());
  t.equal(ro.root.cacheable, true, 'a read-only tree is cached');
  t.end();
});
