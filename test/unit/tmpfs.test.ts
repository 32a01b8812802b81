// tmpfs semantics (src/fs/tmpfs/tmpfs.ts) against Linux's shmem: names, link
// counts, hard links, rename and its flags. Rename results were checked on the
// host (ext4 and /dev/shm agree): the order is do_renameat2's.
import t from 'tap';
import { E } from '../../src/abi/errno.js';
import { O_RDWR, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, S_ISGID } from '../../src/abi/flags.js';
import { TmpDir, TmpFile, Tmpfs, Whiteout } from '../../src/fs/tmpfs/tmpfs.js';
import { close, pwrite } from '../../src/platform/host.js';
import { Creds } from '../../src/vfs/creds.js';
import type { Inode, Stat } from '../../src/vfs/inode.js';

const ROOT = Creds.root();
const NOREPLACE = 1;
const EXCHANGE = 2;

function must<T>(v: T | number): T {
  if (typeof v === 'number') throw new Error(`unexpected errno ${-v}`);
  return v;
}
const mkdir = (d: Inode, n: string, mode = 0o755, creds = ROOT) => must(d.mkdir(n, mode, creds)) as TmpDir;
const create = (d: Inode, n: string, mode = 0o644, creds = ROOT) => must(d.create(n, mode, creds)) as TmpFile;
const st = (i: Inode): Stat => must(i.stat());
const nlink = (i: Inode) => st(i).nlink;
function look(d: Inode, n: string): Inode {
  const v = must(d.lookup(n));
  if (!v) throw new Error(`${n} not found`);
  return v;
}
const names = (d: Inode) => must(d.readdir()).map((e) => e.name).sort();

t.test('a new filesystem: root directory, inode numbers, modes and owners', (t) => {
  const fs = new Tmpfs();
  const r = fs.root;
  t.equal(st(r).mode, S_IFDIR | 0o1777, 'default mode of a tmpfs root is 1777');
  t.equal(nlink(r), 2);
  t.same(names(r), []);
  const fs2 = new Tmpfs({ mode: 0o700, uid: 5, gid: 6 });
  t.same([st(fs2.root).mode, st(fs2.root).uid, st(fs2.root).gid], [S_IFDIR | 0o700, 5, 6]);
  t.not(fs.dev, fs2.dev, 'each instance has its own device');
  const user = Creds.user(1000, 100);
  const f = create(r, 'f', 0o640, user);
  const d = mkdir(r, 'd', 0o750, user);
  t.same([st(f).mode, st(f).uid, st(f).gid, nlink(f), st(f).size], [S_IFREG | 0o640, 1000, 100, 1, 0]);
  t.same([st(d).mode, st(d).uid, st(d).gid, nlink(d)], [S_IFDIR | 0o750, 1000, 100, 2]);
  t.equal(st(f).dev, fs.dev);
  const inos = new Set([st(r).ino, st(f).ino, st(d).ino]);
  t.equal(inos.size, 3, 'distinct inode numbers');
  t.equal(create(r, 'typebits', S_IFDIR | 0o644).mode & S_IFMT, S_IFREG, 'create makes a regular file whatever the type bits');
  const l = must(r.symlink('l', 'some/target', ROOT));
  t.same([st(l).mode, st(l).size, l.readlink()], [S_IFLNK | 0o777, 11, 'some/target'], 'symlink size is the target length');
  t.equal(f.readlink(), -E.EINVAL, 'readlink of a file');
  t.end();
});

t.test('setgid directories hand their group (and the bit, to directories) down', (t) => {
  const r = new Tmpfs({ mode: 0o777 }).root;
  const g = mkdir(r, 'g', 0o2775);
  g.gid = 50;
  const user = Creds.user(1000, 100);
  const f = create(g, 'f', 0o644, user);
  const d = mkdir(g, 'd', 0o755, user);
  t.equal(st(f).gid, 50, 'file group from the directory');
  t.equal(st(d).gid, 50, 'directory group from the directory');
  t.equal(st(d).mode & S_ISGID, S_ISGID, 'subdirectory inherits S_ISGID');
  t.equal(st(f).mode & S_ISGID, 0, 'files do not');
  t.equal(st(create(r, 'plain', 0o644, user)).gid, 100, 'elsewhere: the creator\'s fsgid');
  t.end();
});

t.test('create, mkdir, mknod, symlink: EEXIST, ENOTDIR, EPERM, EROFS', (t) => {
  const fs = new Tmpfs();
  const r = fs.root;
  const f = create(r, 'f');
  mkdir(r, 'd');
  t.equal(r.create('f', 0o644, ROOT), -E.EEXIST);
  t.equal(r.create('d', 0o644, ROOT), -E.EEXIST);
  t.equal(r.mkdir('f', 0o755, ROOT), -E.EEXIST);
  t.equal(r.symlink('d', 'x', ROOT), -E.EEXIST);
  t.equal(r.mknod('f', S_IFIFO | 0o644, 0, ROOT), -E.EEXIST);
  t.equal(f.create('x', 0o644, ROOT), -E.ENOTDIR, 'create in a file');
  t.equal(f.mkdir('x', 0o755, ROOT), -E.ENOTDIR);
  t.equal(f.lookup('x'), -E.ENOTDIR);
  t.equal(f.readdir(), -E.ENOTDIR);
  t.ok(r.lookup('nope') === null);
  const fifo = must(r.mknod('p', S_IFIFO | 0o600, 0, ROOT));
  t.equal(st(fifo).mode, S_IFIFO | 0o600);
  const sock = must(r.mknod('s', S_IFSOCK | 0o600, 0, ROOT));
  t.equal(st(sock).mode, S_IFSOCK | 0o600);
  const reg = must(r.mknod('r', 0o600, 0, ROOT));
  t.equal(st(reg).mode, S_IFREG | 0o600, 'type 0 is a regular file');
  t.equal(r.mknod('c', S_IFCHR | 0o600, 0x0103, ROOT), -E.EPERM, 'no device nodes');
  t.ok(r.lookup('c') === null);
  const types = Object.fromEntries(must(r.readdir()).map((e) => [e.name, e.type]));
  t.same(types, { f: S_IFREG, d: S_IFDIR, p: S_IFIFO, s: S_IFSOCK, r: S_IFREG }, 'readdir types');
  fs.readOnly = true;
  t.equal(r.create('n', 0o644, ROOT), -E.EROFS);
  t.equal(r.mkdir('n', 0o755, ROOT), -E.EROFS);
  t.equal(r.symlink('n', 'x', ROOT), -E.EROFS);
  t.equal(r.unlink('f'), -E.EROFS);
  t.equal(r.rmdir('d'), -E.EROFS);
  t.equal(r.rename('f', r, 'g', 0), -E.EROFS);
  t.equal(f.setattr({ mode: 0o600 }), -E.EROFS);
  t.same(names(r), ['d', 'f', 'p', 'r', 's'], 'nothing changed');
  t.end();
});

t.test('unlink and rmdir', (t) => {
  const r = new Tmpfs().root;
  const f = create(r, 'f');
  const d = mkdir(r, 'd');
  create(d, 'inner');
  t.equal(nlink(r), 3, 'root: 2 + one subdirectory');
  t.equal(r.unlink('nope'), -E.ENOENT);
  t.equal(r.rmdir('nope'), -E.ENOENT);
  t.equal(r.unlink('d'), -E.EISDIR, 'unlink of a directory is EISDIR on Linux');
  t.equal(r.rmdir('f'), -E.ENOTDIR);
  t.equal(r.rmdir('d'), -E.ENOTEMPTY);
  t.equal(d.unlink('inner'), 0);
  t.equal(r.rmdir('d'), 0);
  t.equal(nlink(d), 0, 'a removed directory has no links');
  t.equal(nlink(r), 2, 'parent lost the ".." link');
  t.ok(r.lookup('d') === null);
  t.equal(r.unlink('f'), 0);
  t.equal(nlink(f), 0);
  t.same(names(r), []);
  t.equal(r.unlink('f'), -E.ENOENT, 'twice');
  t.end();
});

t.test('a removed directory takes no new entries (ENOENT)', (t) => {
  const r = new Tmpfs().root;
  const d = mkdir(r, 'd');
  const f = create(r, 'f');
  t.equal(r.rmdir('d'), 0);
  t.equal(d.create('x', 0o644, ROOT), -E.ENOENT);
  t.equal(d.mkdir('x', 0o755, ROOT), -E.ENOENT);
  t.equal(d.symlink('x', 't', ROOT), -E.ENOENT);
  t.equal(d.mknod('x', S_IFIFO | 0o644, 0, ROOT), -E.ENOENT);
  t.equal(d.link('x', f), -E.ENOENT);
  t.equal(nlink(f), 1);
  t.equal(r.rename('f', d, 'x', 0), -E.ENOENT);
  t.ok(r.lookup('f') === f, 'nothing moved');
  t.same(names(d), []);
  // Replaced by a rename: dead as well.
  const e = mkdir(r, 'e');
  mkdir(r, 'src');
  t.equal(r.rename('src', r, 'e', 0), 0);
  t.equal(e.create('x', 0o644, ROOT), -E.ENOENT);
  t.end();
});

t.test('directory link counts follow subdirectories', (t) => {
  const r = new Tmpfs().root;
  const a = mkdir(r, 'a');
  t.equal(nlink(a), 2);
  mkdir(a, 'x');
  mkdir(a, 'y');
  create(a, 'file');
  t.equal(nlink(a), 4, '2 + two subdirectories; files do not count');
  t.equal(a.rmdir('x'), 0);
  t.equal(nlink(a), 3);
  t.end();
});

t.test('hard links', (t) => {
  const fs = new Tmpfs();
  const r = fs.root;
  const f = create(r, 'f');
  const d = mkdir(r, 'd');
  t.equal(d.link('g', f), 0);
  t.equal(nlink(f), 2);
  t.ok(d.lookup('g') === f, 'the same inode under two names');
  t.equal(st(look(d, 'g')).ino, st(f).ino);
  t.equal(r.link('f', f), -E.EEXIST);
  t.equal(nlink(f), 2, 'a failed link changes nothing');
  t.equal(r.link('dl', d), -E.EPERM, 'no hard links to directories');
  t.equal(r.link('x', create(new Tmpfs().root, 'other')), -E.EXDEV, 'across filesystems');
  t.equal(r.unlink('f'), 0);
  t.equal(nlink(f), 1, 'still linked as d/g');
  t.ok(d.lookup('g') === f);
  // rename between two names of one inode does nothing (vfs_rename: source == target).
  t.equal(d.link('h', f), 0);
  t.equal(d.rename('g', d, 'h', 0), 0);
  t.same(names(d), ['g', 'h'], 'both names remain');
  t.equal(nlink(f), 2);
  t.equal(d.rename('g', d, 'h', NOREPLACE), -E.EEXIST, 'NOREPLACE still sees an existing name');
  t.end();
});

t.test('rename: plain moves and replacement', (t) => {
  const r = new Tmpfs().root;
  const a = mkdir(r, 'a');
  const b = mkdir(r, 'b');
  const f = create(a, 'f');
  t.equal(a.rename('nope', b, 'x', 0), -E.ENOENT);
  t.equal(a.rename('f', b, 'g', 0), 0);
  t.ok(a.lookup('f') === null);
  t.ok(b.lookup('g') === f);
  // Over an existing file: it loses a link.
  const victim = create(b, 'victim');
  t.equal(b.rename('g', b, 'victim', 0), 0);
  t.ok(b.lookup('victim') === f);
  t.equal(nlink(victim), 0, 'replaced file unlinked');
  t.same(names(b), ['victim']);
  // A directory moves with its contents; parents' link counts follow.
  const sub = mkdir(a, 'sub');
  create(sub, 'inner');
  t.same([nlink(r), nlink(a), nlink(b)], [4, 3, 2]);
  t.equal(a.rename('sub', b, 'moved', 0), 0);
  t.same([nlink(r), nlink(a), nlink(b), nlink(sub)], [4, 2, 3, 2]);
  t.same(names(look(b, 'moved')), ['inner']);
  // Rename within one directory keeps its count.
  t.equal(b.rename('moved', b, 'again', 0), 0);
  t.equal(nlink(b), 3);
  // Renaming to itself is a no-op, even for a non-empty directory.
  t.equal(b.rename('again', b, 'again', 0), 0);
  t.equal(b.rename('victim', b, 'victim', 0), 0);
  t.same(names(b), ['again', 'victim']);
  t.equal(nlink(b), 3);
  t.equal(r.rename('a', new Tmpfs().root, 'a', 0), -E.EXDEV);
  t.end();
});

t.test('rename of a directory over a directory, a file, or into itself', (t) => {
  const r = new Tmpfs().root;
  const src = mkdir(r, 'src');
  create(src, 'content');
  const empty = mkdir(r, 'empty');
  const full = mkdir(r, 'full');
  create(full, 'x');
  create(r, 'file');
  t.equal(nlink(r), 5);
  t.equal(r.rename('src', r, 'full', 0), -E.ENOTEMPTY);
  t.equal(r.rename('src', r, 'file', 0), -E.ENOTDIR, 'directory over a file');
  t.equal(r.rename('file', r, 'empty', 0), -E.EISDIR, 'file over a directory');
  t.equal(r.rename('src', r, 'empty', NOREPLACE), -E.EEXIST);
  t.same(names(r), ['empty', 'file', 'full', 'src'], 'failures change nothing');
  t.equal(nlink(r), 5);
  t.equal(r.rename('src', r, 'empty', 0), 0, 'over an empty directory');
  t.ok(r.lookup('empty') === src);
  t.equal(nlink(empty), 0, 'the replaced directory is gone entirely (Linux: 0)');
  t.equal(nlink(r), 4, 'one subdirectory fewer');
  t.same(names(r), ['empty', 'file', 'full']);
  // Into its own subtree: EINVAL, before any other check.
  const deep = mkdir(mkdir(src, 'd1'), 'd2');
  create(deep, 'f');
  mkdir(deep, 'e');
  const before = [nlink(r), nlink(src), nlink(deep)];
  t.equal(r.rename('empty', deep, 'x', 0), -E.EINVAL, 'into a descendant');
  t.equal(r.rename('empty', src, 'x', 0), -E.EINVAL, 'into itself');
  t.equal(r.rename('empty', deep, 'f', 0), -E.EINVAL, 'over a file below itself: EINVAL, not ENOTDIR');
  t.equal(r.rename('empty', deep, 'e', 0), -E.EINVAL, 'over an empty directory below itself');
  t.equal(r.rename('empty', deep, 'e', NOREPLACE), -E.EEXIST, 'NOREPLACE is checked first');
  t.same([nlink(r), nlink(src), nlink(deep)], before, 'link counts untouched by the failures');
  t.same(names(deep), ['e', 'f']);
  // The target an ancestor of the source: ENOTEMPTY, even for a file.
  const d1 = look(src, 'd1') as TmpDir;
  t.equal(deep.rename('f', src, 'd1', 0), -E.ENOTEMPTY, 'file over its own ancestor');
  t.equal(d1.rename('d2', src, 'd1', 0), -E.ENOTEMPTY, 'directory over its parent');
  t.end();
});

t.test('RENAME_EXCHANGE', (t) => {
  const r = new Tmpfs().root;
  const a = mkdir(r, 'a');
  const b = mkdir(r, 'b');
  const f = create(a, 'f');
  const d = mkdir(b, 'd');
  t.equal(a.rename('f', b, 'nope', EXCHANGE), -E.ENOENT, 'the target must exist');
  t.equal(a.rename('nope', b, 'd', EXCHANGE), -E.ENOENT);
  t.same([nlink(a), nlink(b)], [2, 3]);
  t.equal(a.rename('f', b, 'd', EXCHANGE), 0);
  t.ok(a.lookup('f') === d, 'the directory is now a/f');
  t.ok(b.lookup('d') === f, 'the file is now b/d');
  t.same([nlink(a), nlink(b), nlink(d), nlink(f)], [3, 2, 2, 1], 'a directory moved from b to a');
  t.equal(a.rename('f', a, 'f', EXCHANGE), 0, 'with itself');
  t.ok(a.lookup('f') === d);
  // Two directories in one parent.
  const x = mkdir(r, 'x');
  t.equal(r.rename('a', r, 'x', EXCHANGE), 0);
  t.same([r.lookup('a') === x, r.lookup('x') === a, nlink(r)], [true, true, 5]);
  // With an ancestor or a descendant: EINVAL both ways.
  const inner = mkdir(x, 'inner');
  t.equal(r.rename('a', x, 'inner', EXCHANGE), -E.EINVAL, 'x is a; exchanging a with a/inner');
  t.equal(x.rename('inner', r, 'a', EXCHANGE), -E.EINVAL, 'exchanging a/inner with a');
  t.ok(x.lookup('inner') === inner, 'no cycle was made');
  t.ok(r.lookup('a') === x);
  t.end();
});

t.test('whiteouts are invisible to tmpfs users and can be replaced', (t) => {
  const r = new Tmpfs().root;
  r.setWhiteout('w');
  t.ok(r.entries.get('w') instanceof Whiteout);
  t.ok(r.lookup('w') === null);
  t.same(names(r), []);
  t.equal(r.unlink('w'), -E.ENOENT);
  t.equal(r.rmdir('w'), -E.ENOENT);
  t.equal(r.rename('w', r, 'v', 0), -E.ENOENT);
  const d = mkdir(r, 'w');
  t.ok(r.lookup('w') === d, 'mkdir over a whiteout');
  t.equal(nlink(r), 3);
  d.setWhiteout('hidden');
  t.equal(r.rmdir('w'), 0, 'a directory holding only whiteouts is empty');
  t.end();
});

t.test('file sizes live in a memfd; truncate and the size limit', (t) => {
  const fs = new Tmpfs({ size: 8192 });
  const r = fs.root;
  const f = create(r, 'f');
  t.equal(st(f).size, 0);
  const o = must(f.open(O_RDWR));
  const data = Buffer.from('hello, tmpfs');
  t.equal(pwrite(o.hostFd, data, 0, data.length, 0), data.length);
  t.equal(st(f).size, data.length, 'writes through the host fd show in stat');
  // st_blocks counts what is allocated (one 4 KiB page = 8 blocks), as on a Linux tmpfs.
  t.same([st(f).blocks, st(f).blksize], [8, 4096]);
  t.equal(f.setattr({ size: 5000 }), 0);
  t.same([st(f).size, st(f).blocks], [5000, 8], 'extending by truncate allocates nothing');
  // The limit counts allocated pages, as Linux's tmpfs does (a truncate up is a hole and never fails there).
  t.equal(fs.used(), 4096);
  const g = create(r, 'g');
  t.equal(g.setattr({ size: 1 << 20 }), 0, 'a sparse file larger than the limit: truncate succeeds, as on Linux');
  t.equal(fs.used(), 4096, 'and allocates nothing');
  t.equal(g.setattr({ size: 0 }), 0);
  t.equal(g.writable(0, 4096), 4096, 'one more page fits');
  t.equal(g.writable(0, 8192), 4096, 'a longer write is cut to what fits');
  t.equal(g.writable(-1, 8192), 4096, 'an append too');
  const og = must(g.open(O_RDWR));
  t.equal(pwrite(og.hostFd, Buffer.alloc(4096, 1), 0, 4096, 0), 4096);
  close(og.hostFd);
  t.equal(fs.used(), 8192);
  t.equal(g.writable(4096, 1), -E.ENOSPC, 'full: ENOSPC');
  t.equal(f.writable(100, 10), 10, 'rewriting bytes the file has needs no space');
  t.equal(fs.spaceFor(1), -E.ENOSPC);
  const sf = fs.statfs();
  t.same(typeof sf === 'number' ? sf : [sf.blocks, sf.bfree, sf.bavail], [2, 0, 0], 'statfs shows the limit and what is used');
  t.equal(new Tmpfs().statfs(), -E.ENOSYS, 'an unlimited tmpfs has no sizes of its own');
  t.equal(f.setattr({ size: -1 }), -E.EINVAL);
  t.equal(r.open(0), -E.EISDIR, 'a directory cannot be opened for I/O');
  // Hard links are counted once; an unlinked file no longer counts.
  t.equal(r.link('f2', f), 0);
  t.equal(fs.used(), 8192);
  t.equal(r.unlink('g'), 0);
  t.equal(fs.used(), 4096);
  close(o.hostFd);
  t.end();
});

t.test('setattr keeps the file type and changes ctime', async (t) => {
  const r = new Tmpfs().root;
  const f = create(r, 'f', 0o644);
  const c0 = st(f).ctime;
  await new Promise((res) => setTimeout(res, 5));
  t.equal(f.setattr({ mode: 0o4755 | S_IFDIR }), 0);
  t.equal(st(f).mode, S_IFREG | 0o4755, 'type bits ignored, all 12 permission bits kept');
  t.ok(st(f).ctime.sec * 1e9 + st(f).ctime.nsec > c0.sec * 1e9 + c0.nsec, 'ctime moved');
  t.equal(f.setattr({ uid: 7, gid: -1 }), 0);
  t.same([st(f).uid, st(f).gid], [7, 0], '-1 leaves an id unchanged');
});
