// The overlay root (src/fs/overlay/overlay.ts) over a read-only host
// directory (src/fs/host/hostfs.ts): merged lookups and listings, whiteouts,
// copy-up, renames and removals, and that the host directory never changes.
import { linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { E } from '../../src/abi/errno.js';
import { O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from '../../src/abi/flags.js';
import { HostFs } from '../../src/fs/host/hostfs.js';
import { OverlayFs, type OverlayInode } from '../../src/fs/overlay/overlay.js';
import { TmpDir, Whiteout } from '../../src/fs/tmpfs/tmpfs.js';
import { close, pread, pwrite } from '../../src/platform/host.js';
import { Creds } from '../../src/vfs/creds.js';
import type { Inode, Stat } from '../../src/vfs/inode.js';
import { treeHash } from '../lib/tree.js';

const ROOT = Creds.root();
const NOREPLACE = 1;
const EXCHANGE = 2;

// ---- the lower layer on the host ----
const lowerDir = mkdtempSync(join(tmpdir(), 'tsvisor-overlay-'));
writeFileSync(join(lowerDir, 'file.txt'), 'lower content\n');
mkdirSync(join(lowerDir, 'dir/sub'), { recursive: true });
writeFileSync(join(lowerDir, 'dir/a.txt'), 'A');
writeFileSync(join(lowerDir, 'dir/sub/deep.txt'), 'deep');
mkdirSync(join(lowerDir, 'empty'));
mkdirSync(join(lowerDir, 'both'));
writeFileSync(join(lowerDir, 'both/x'), 'x');
writeFileSync(join(lowerDir, 'both/y'), 'y');
symlinkSync('file.txt', join(lowerDir, 'link'));
writeFileSync(join(lowerDir, 'hl1'), 'hard');
linkSync(join(lowerDir, 'hl1'), join(lowerDir, 'hl2'));
t.teardown(() => rmSync(lowerDir, { recursive: true, force: true }));

const pristine = treeHash(lowerDir);

/** A fresh overlay over the host directory; at the end the host tree must be unchanged. */
function overlay(t: { teardown(fn: () => void): void }) {
  const host = new HostFs(lowerDir, { readOnly: true });
  const ofs = new OverlayFs(host.root);
  t.teardown(() => {
    host.dispose();
  });
  return { host, ofs, root: ofs.root };
}

function must<T>(v: T | null | number): T {
  if (v === null) throw new Error('not found');
  if (typeof v === 'number') throw new Error(`unexpected errno ${-v}`);
  return v;
}
const st = (i: Inode): Stat => must(i.stat());
const look = (d: Inode, path: string): OverlayInode => {
  let cur = d;
  for (const c of path.split('/')) cur = must(cur.lookup(c));
  return cur as OverlayInode;
};
const names = (d: Inode) => must(d.readdir()).map((e) => e.name).sort();
function readAllOf(i: Inode): string {
  const o = must(i.open(O_RDONLY));
  const b = Buffer.alloc(4096);
  const n = pread(o.hostFd, b, 0, b.length, 0);
  close(o.hostFd);
  if (n < 0) throw new Error(`pread: ${n}`);
  return b.subarray(0, n).toString();
}
const hostIno = (rel: string) => lstatSync(join(lowerDir, rel)).ino;
const lowerRootNlink = statSync(lowerDir).nlink;

t.test('the host directory is what the tests expect', (t) => {
  // The link-count checks below assume the host counts 2 + subdirectories (ext4, tmpfs, xfs...).
  t.equal(lowerRootNlink, 5, 'root: dir, empty, both');
  t.equal(statSync(join(lowerDir, 'dir')).nlink, 3);
  t.end();
});

t.test('lookup merges upper over lower; identities come from the lower layer', (t) => {
  const { ofs, root } = overlay(t);
  const f = look(root, 'file.txt');
  const s = st(f);
  t.equal(s.mode & S_IFMT, S_IFREG);
  t.equal(s.size, 14);
  t.equal(s.ino, hostIno('file.txt'), 'inode number of the lower file');
  t.equal(s.dev, ofs.dev, 'device of the overlay');
  t.equal(st(look(root, 'dir/sub/deep.txt')).ino, hostIno('dir/sub/deep.txt'));
  t.equal(st(look(root, 'link')).mode & S_IFMT, S_IFLNK);
  t.equal(look(root, 'link').readlink(), 'file.txt');
  t.equal(root.lookup('nope'), null);
  t.equal(look(root, 'file.txt').lookup('x'), -E.ENOTDIR);
  t.equal(readAllOf(f), 'lower content\n', 'read from the lower file');
  t.equal(st(root).nlink, lowerRootNlink, 'the root counts the lower subdirectories');
  t.equal(st(root).mode, statSync(lowerDir).mode, 'and has the lower root\'s mode');
  // An upper file over nothing, and one over a whited-out name.
  const n = must(root.create('new', 0o600, ROOT));
  t.equal(st(n).mode, S_IFREG | 0o600);
  t.ok(look(root, 'new') === n, 'the same inode for the same name');
  t.ok(st(n).ino !== st(f).ino);
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('readdir merges the layers and hides whiteouts', (t) => {
  const { root } = overlay(t);
  const lowerNames = ['both', 'dir', 'empty', 'file.txt', 'hl1', 'hl2', 'link'];
  t.same(names(root), lowerNames);
  must(root.mkdir('added', 0o755, ROOT));
  t.equal(root.unlink('hl2'), 0);
  t.same(names(root), ['added', ...lowerNames.filter((n) => n !== 'hl2')]);
  const ents = Object.fromEntries(must(root.readdir()).map((e) => [e.name, e]));
  t.equal(ents['dir']!.type, S_IFDIR);
  t.equal(ents['link']!.type, S_IFLNK);
  t.equal(ents['file.txt']!.type, S_IFREG);
  t.equal(ents['added']!.type, S_IFDIR);
  t.equal(ents['file.txt']!.ino, hostIno('file.txt'), 'readdir and stat agree on inode numbers');
  t.equal(ents['added']!.ino, st(look(root, 'added')).ino);
  t.same(names(look(root, 'dir')), ['a.txt', 'sub'], 'a directory not copied up lists the lower one');
  t.equal(new Set(must(root.readdir()).map((e) => e.name)).size, must(root.readdir()).length, 'no duplicates');
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('unlink of a lower file leaves a whiteout; the host file stays', (t) => {
  const { ofs, root } = overlay(t);
  t.equal(root.unlink('file.txt'), 0);
  t.equal(root.lookup('file.txt'), null, 'gone from the merged view');
  t.notOk(names(root).includes('file.txt'));
  t.ok((ofs.upper.root as TmpDir).entries.get('file.txt') instanceof Whiteout, 'recorded as a whiteout');
  t.equal(root.unlink('file.txt'), -E.ENOENT, 'twice');
  t.equal(root.unlink('dir'), -E.EISDIR);
  t.equal(root.rmdir('link'), -E.ENOTDIR);
  t.equal(readFileSync(join(lowerDir, 'file.txt'), 'utf8'), 'lower content\n', 'host untouched');
  // A new file at the name does not bring the lower one back.
  const n = must(root.create('file.txt', 0o644, ROOT));
  t.equal(st(n).size, 0);
  t.equal(readAllOf(look(root, 'file.txt')), '');
  t.not(st(look(root, 'file.txt')).ino, hostIno('file.txt'));
  t.equal(root.unlink('file.txt'), 0);
  t.equal(root.lookup('file.txt'), null, 'removing the upper file whites out the lower again');
  // In a subdirectory: the parent is copied up to hold the whiteout.
  const dir = look(root, 'dir');
  t.equal(dir.unlink('a.txt'), 0);
  t.same(names(dir), ['sub']);
  t.same(names(look(root, 'dir')), ['sub']);
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('copy-up on open for writing keeps the inode number and the content', (t) => {
  const { root } = overlay(t);
  const f = look(root, 'dir/a.txt');
  const ino = st(f).ino;
  t.equal(ino, hostIno('dir/a.txt'));
  const ro = must(f.open(O_RDONLY));
  t.equal(pwrite(ro.hostFd, Buffer.from('no'), 0, 2, 0), -E.EBADF, 'a read-only open stays read-only');
  close(ro.hostFd);
  t.equal(f.upper, null, 'reading does not copy up');
  const o = must(f.open(O_RDWR));
  t.not(f.upper, null, 'copied up');
  const b = Buffer.alloc(16);
  t.equal(pread(o.hostFd, b, 0, 16, 0), 1);
  t.equal(b.subarray(0, 1).toString(), 'A', 'content copied');
  t.equal(st(f).ino, ino, 'same inode number after copy-up');
  t.equal(pwrite(o.hostFd, Buffer.from('changed'), 0, 7, 0), 7);
  close(o.hostFd);
  t.equal(readAllOf(look(root, 'dir/a.txt')), 'changed', 'the merged view sees the write');
  t.equal(st(look(root, 'dir/a.txt')).ino, ino, 'and the same inode number on a fresh lookup');
  t.equal(must(look(root, 'dir').readdir()).find((e) => e.name === 'a.txt')!.ino, ino, 'readdir too');
  t.equal(readFileSync(join(lowerDir, 'dir/a.txt'), 'utf8'), 'A', 'the host file is untouched');
  // O_TRUNC alone (read-only access) also writes.
  const g = look(root, 'file.txt');
  const ot = must(g.open(O_RDONLY | O_TRUNC));
  close(ot.hostFd);
  t.not(g.upper, null, 'O_TRUNC copies up');
  t.equal(st(g).size, 0, 'and truncates the copy');
  const w = must(look(root, 'hl1').open(O_WRONLY));
  close(w.hostFd);
  t.equal(readAllOf(look(root, 'hl1')), 'hard', 'O_WRONLY without O_TRUNC keeps the content');
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('metadata changes copy up; the lower file keeps its mode', (t) => {
  const { root } = overlay(t);
  const f = look(root, 'file.txt');
  const before = st(f);
  t.equal(f.setattr({ mode: 0o600 }), 0);
  t.equal(st(f).mode, S_IFREG | 0o600);
  t.same([st(f).ino, st(f).size, st(f).mtime], [before.ino, before.size, before.mtime], 'identity, size and mtime kept');
  t.equal(readAllOf(f), 'lower content\n');
  t.not(statSync(join(lowerDir, 'file.txt')).mode & 0o777, 0o600);
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('hard links through the overlay share one upper inode', (t) => {
  const { root } = overlay(t);
  const f = look(root, 'file.txt');
  const d = look(root, 'dir');
  t.equal(d.link('again', f), 0);
  const g = look(root, 'dir/again');
  t.equal(st(g).ino, st(f).ino);
  t.equal(st(f).nlink, 2);
  t.equal(st(g).nlink, 2);
  t.equal(d.link('again', f), -E.EEXIST);
  t.equal(root.link('dlink', d), -E.EPERM, 'no links to directories');
  // Renaming one name of a file onto another name of the same file does nothing.
  t.equal(root.rename('file.txt', d, 'again', 0), 0);
  t.ok(look(root, 'file.txt') === f && look(root, 'dir/again') === g, 'both names remain');
  t.equal(st(f).nlink, 2);
  t.equal(root.unlink('file.txt'), 0);
  t.equal(st(g).nlink, 1);
  t.equal(readAllOf(g), 'lower content\n');
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('rmdir: only merged-empty directories; mkdir over a whiteout hides the old lower contents', (t) => {
  const { root } = overlay(t);
  t.equal(root.rmdir('both'), -E.ENOTEMPTY, 'lower entries count');
  const both = look(root, 'both');
  t.equal(both.unlink('x'), 0);
  t.equal(root.rmdir('both'), -E.ENOTEMPTY, 'one lower entry left');
  t.equal(both.unlink('y'), 0);
  t.same(names(both), [], 'merged view empty, only whiteouts above');
  t.equal(root.rmdir('both'), 0, 'merged-empty');
  t.equal(root.lookup('both'), null);
  t.equal(root.rmdir('empty'), 0, 'an empty lower directory, never copied up');
  t.equal(root.lookup('empty'), null);
  t.notOk(names(root).includes('empty'));
  t.equal(root.rmdir('nope'), -E.ENOENT);
  // mkdir over the whiteout: a new, opaque directory.
  const nb = must(root.mkdir('both', 0o700, ROOT));
  t.same(names(nb), [], 'x and y do not come back');
  t.equal(look(root, 'both').lookup('x'), null);
  t.equal(st(nb).mode, S_IFDIR | 0o700);
  t.ok(names(root).includes('both'));
  t.equal(root.rmdir('both'), 0);
  t.equal(root.lookup('both'), null, 'removing it again leaves the whiteout');
  // A copied-up directory whose upper holds a new file is not empty.
  const dir = look(root, 'dir');
  t.equal(dir.unlink('a.txt'), 0);
  t.equal(look(root, 'dir/sub').unlink('deep.txt'), 0);
  t.equal(dir.rmdir('sub'), 0);
  must(dir.create('n', 0o644, ROOT));
  t.equal(root.rmdir('dir'), -E.ENOTEMPTY);
  t.equal(dir.unlink('n'), 0);
  t.equal(root.rmdir('dir'), 0);
  t.same(names(root), ['file.txt', 'hl1', 'hl2', 'link']);
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('directory link counts stay 2 + subdirectories of the merged view', (t) => {
  const { root } = overlay(t);
  const n0 = lowerRootNlink;
  t.equal(st(root).nlink, n0);
  // Copying a subdirectory up (to create a file in it) adds no subdirectory to the root.
  must(look(root, 'dir').create('f', 0o644, ROOT));
  t.equal(st(root).nlink, n0, 'copy-up of a child directory');
  t.equal(st(look(root, 'dir')).nlink, 3, 'the copied-up directory keeps its own count');
  must(look(root, 'dir/sub').create('g', 0o644, ROOT));
  t.equal(st(look(root, 'dir')).nlink, 3, 'nested copy-up');
  must(root.mkdir('m', 0o755, ROOT));
  t.equal(st(root).nlink, n0 + 1, 'mkdir');
  t.equal(root.rmdir('empty'), 0);
  t.equal(st(root).nlink, n0, 'rmdir of a lower directory');
  t.equal(root.rmdir('m'), 0);
  t.equal(st(root).nlink, n0 - 1, 'rmdir of an upper directory');
  t.equal(root.rename('both', look(root, 'dir'), 'both', 0), 0);
  t.equal(st(root).nlink, n0 - 2, 'a subdirectory moved out');
  t.equal(st(look(root, 'dir')).nlink, 4, '... and in');
  const subdirs = (d: Inode) => must(d.readdir()).filter((e) => e.type === S_IFDIR).length;
  t.equal(st(root).nlink, 2 + subdirs(root), 'consistent with readdir');
  t.equal(st(look(root, 'dir')).nlink, 2 + subdirs(look(root, 'dir')));
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('rename of a lower directory: contents follow, the old name is hidden', (t) => {
  const { root } = overlay(t);
  const held = look(root, 'dir'); // as a dentry or a cwd would hold it
  const sub = look(root, 'dir/sub');
  t.equal(root.rename('dir', root, 'moved', 0), 0);
  t.equal(root.lookup('dir'), null, 'old name gone');
  t.notOk(names(root).includes('dir'));
  t.same(names(look(root, 'moved')), ['a.txt', 'sub'], 'lower contents at the new name');
  t.equal(readAllOf(look(root, 'moved/sub/deep.txt')), 'deep');
  t.equal(st(look(root, 'moved')).ino, hostIno('dir'), 'inode number kept');
  // The inode looked up before the rename is the renamed directory.
  t.ok(look(root, 'moved') === held, 'one inode per object');
  must(held.create('later', 0o644, ROOT));
  t.same(names(look(root, 'moved')), ['a.txt', 'later', 'sub'], 'a file created through it lands at the new name');
  t.equal(root.lookup('dir'), null, 'and the old name stays hidden');
  must(sub.create('later2', 0o644, ROOT));
  t.same(names(look(root, 'moved/sub')), ['deep.txt', 'later2'], 'children looked up before the rename too');
  // Rename a lower file, then write through the inode held from before.
  const f = look(root, 'file.txt');
  t.equal(root.rename('file.txt', look(root, 'moved'), 'f2', 0), 0);
  const o = must(f.open(O_RDWR));
  t.equal(pwrite(o.hostFd, Buffer.from('L'), 0, 1, 0), 1);
  close(o.hostFd);
  t.equal(readAllOf(look(root, 'moved/f2')), 'Lower content\n', 'the write reached the renamed file');
  t.equal(root.lookup('file.txt'), null, 'the old name was not brought back');
  // Back to the old name: the whiteout is replaced, nothing is hidden any more.
  t.equal(root.rename('moved', root, 'dir', 0), 0);
  t.same(names(look(root, 'dir')), ['a.txt', 'f2', 'later', 'sub']);
  t.equal(root.lookup('moved'), null);
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('rename: replacement, flags, to itself', (t) => {
  const { root } = overlay(t);
  t.equal(root.rename('nope', root, 'x', 0), -E.ENOENT);
  t.equal(root.rename('hl1', root, 'file.txt', NOREPLACE), -E.EEXIST);
  t.equal(root.rename('dir', root, 'both', 0), -E.ENOTEMPTY, 'over a lower directory with entries');
  t.equal(root.rename('dir', root, 'file.txt', 0), -E.ENOTDIR);
  t.equal(root.rename('file.txt', root, 'empty', 0), -E.EISDIR);
  t.equal(root.rename('hl1', root, 'nope', EXCHANGE), -E.ENOENT);
  t.equal(root.rename('hl1', root, 'x', 4 /* RENAME_WHITEOUT */), -E.EINVAL);
  t.same(names(root), ['both', 'dir', 'empty', 'file.txt', 'hl1', 'hl2', 'link'], 'failures change nothing');
  // To itself: nothing happens, even for a non-empty directory (vfs_rename: source == target).
  t.equal(root.rename('dir', root, 'dir', 0), 0);
  t.equal(root.rename('file.txt', root, 'file.txt', 0), 0);
  t.equal(root.rename('dir', root, 'dir', NOREPLACE), -E.EEXIST, 'NOREPLACE still sees the name');
  t.same(names(look(root, 'dir')), ['a.txt', 'sub']);
  t.same(names(root), ['both', 'dir', 'empty', 'file.txt', 'hl1', 'hl2', 'link']);
  // Over a lower file.
  t.equal(root.rename('hl1', root, 'file.txt', 0), 0);
  t.equal(readAllOf(look(root, 'file.txt')), 'hard');
  t.equal(root.lookup('hl1'), null);
  // Over a merged-empty lower directory.
  t.equal(root.rename('dir', root, 'empty', 0), 0);
  t.same(names(look(root, 'empty')), ['a.txt', 'sub']);
  t.equal(root.lookup('dir'), null);
  // Exchange a lower file and a lower directory.
  t.equal(root.rename('empty', root, 'link', EXCHANGE), 0);
  t.equal(look(root, 'empty').readlink(), 'file.txt');
  t.same(names(look(root, 'link')), ['a.txt', 'sub']);
  t.same(names(root), ['both', 'empty', 'file.txt', 'hl2', 'link']);
  // Into its own subdirectory.
  t.equal(root.rename('link', look(root, 'link/sub'), 'x', 0), -E.EINVAL);
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('objects whose names were removed do not come back through held inodes', (t) => {
  const { root } = overlay(t);
  // A lower file unlinked while open: a metadata change copies it up without a name.
  const f = look(root, 'file.txt');
  t.equal(root.unlink('file.txt'), 0);
  t.equal(f.setattr({ mode: 0o600 }), 0);
  t.equal(st(f).mode, S_IFREG | 0o600);
  t.equal(st(f).nlink, 0, 'unlinked');
  t.equal(readAllOf(f), 'lower content\n');
  t.equal(root.lookup('file.txt'), null, 'the name stays removed');
  t.notOk(names(root).includes('file.txt'));
  // A removed lower directory (as a cwd would hold it): ENOENT for new entries, as Linux.
  const e = look(root, 'empty');
  t.equal(root.rmdir('empty'), 0);
  t.equal(e.create('x', 0o644, ROOT), -E.ENOENT);
  t.equal(e.mkdir('x', 0o755, ROOT), -E.ENOENT);
  t.equal(root.lookup('empty'), null);
  // The same for one that had been copied up before.
  const b = look(root, 'both');
  t.equal(b.unlink('x'), 0);
  t.equal(b.unlink('y'), 0);
  t.equal(root.rmdir('both'), 0);
  t.equal(b.create('z', 0o644, ROOT), -E.ENOENT);
  t.equal(root.lookup('both'), null);
  // A file replaced by a rename.
  const h = look(root, 'hl2');
  t.equal(root.rename('hl1', root, 'hl2', 0), 0);
  t.equal(h.setattr({ mode: 0o640 }), 0);
  t.equal(st(look(root, 'hl2')).mode & 0o777, statSync(join(lowerDir, 'hl1')).mode & 0o777, 'hl2 is the renamed file');
  t.equal(root.lookup('hl1'), null);
  t.equal(treeHash(lowerDir), pristine);
  t.end();
});

t.test('the upper layer is a tmpfs with overlay inode numbers far above the host\'s', (t) => {
  const { ofs, root } = overlay(t);
  const n = must(root.create('n', 0o644, ROOT));
  t.ok(st(n).ino >= 2 ** 50);
  t.ok(ofs.upper.root instanceof TmpDir);
  t.equal((ofs.upper.root as TmpDir).lowerOrigin, ofs.lower);
  t.end();
});
