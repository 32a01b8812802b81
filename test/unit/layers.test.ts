// Image layers: the merge rules (src/fs/layers/merge.ts) as pure logic, the
// merged tree over host directories (src/fs/layers/layered.ts), the on-disk
// upper layer's layout (src/fs/overlay/diskupper.ts), and the CLI's mount
// flag parsers (src/cli/mounts.ts).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { E } from '../../src/abi/errno.js';
import { O_RDONLY, O_WRONLY } from '../../src/abi/flags.js';
import { parseMountFlag, parseSize, parseTmpfs, parseVolume } from '../../src/cli/mounts.js';
import { InoMap } from '../../src/fs/host/hostfs.js';
import { LayeredFs } from '../../src/fs/layers/layered.js';
import { mergeEntries, type RawEntry } from '../../src/fs/layers/merge.js';
import { DiskUpper } from '../../src/fs/overlay/diskupper.js';
import { OverlayFs } from '../../src/fs/overlay/overlay.js';
import { close, pread } from '../../src/platform/host.js';
import { Creds } from '../../src/vfs/creds.js';
import type { Inode } from '../../src/vfs/inode.js';

const ROOT = Creds.root();

/** A layer's listing from a spec: "name" a file, "name/" a directory. */
function layer(...names: string[]): RawEntry<string>[][] {
  return [names.map((n) => ({ name: n.replace(/\/$/, ''), isDir: n.endsWith('/'), obj: n }))];
}
function merged(...layers: RawEntry<string>[][][]): string[] {
  return mergeEntries(layers.map((l) => l[0]!))
    .map((m) => `${m.name}${m.isDir ? '/' : ''}=${m.objs.length}`)
    .sort();
}

t.test('merge: whiteouts hide lower names only', (t) => {
  // top first
  t.same(merged(layer('.wh.a', 'b'), layer('a', 'b', 'c')), ['b=1', 'c=1'], 'a whited out; b from the top');
  t.same(merged(layer('a', '.wh.a'), layer('a')), ['a=1'], 'an entry next to its own whiteout stays');
  t.same(merged(layer('x'), layer('.wh.a'), layer('a/')), ['x=1'], 'a whiteout acts on every layer below');
  t.same(merged(layer('a/'), layer('.wh.a'), layer('a/')), ['a/=1'], 'a directory re-made above a whiteout merges with nothing below it');
  t.same(merged(layer('.wh..wh..opq', 'n'), layer('o', 'p/')), ['n=1'], 'an opaque directory hides everything below');
  t.same(merged(layer('.wh.x')), [], 'whiteout names are never shown');
  t.end();
});

t.test('merge: directories merge down to a non-directory', (t) => {
  t.same(merged(layer('d/'), layer('d/'), layer('d/')), ['d/=3']);
  t.same(merged(layer('d/'), layer('d'), layer('d/')), ['d/=1'], 'a file between two directories cuts the merge');
  t.same(merged(layer('d'), layer('d/')), ['d=1'], 'a file over a directory replaces it');
  t.same(merged(layer('d/'), layer('d')), ['d/=1'], 'a directory over a file replaces it');
  t.same(merged(layer(), layer('d/'), layer('d/')), ['d/=2'], 'a layer without the directory changes nothing');
  t.end();
});

function tmp(t: { teardown(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'tsvisor-layers-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}
function files(root: string, spec: Record<string, string>): void {
  for (const [p, c] of Object.entries(spec)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    if (p.endsWith('/')) mkdirSync(join(root, p), { recursive: true });
    else writeFileSync(join(root, p), c);
  }
}
function must<T>(v: T | null | number): T {
  if (v === null) throw new Error('not found');
  if (typeof v === 'number') throw new Error(`unexpected errno ${-v}`);
  return v;
}
const look = (d: Inode, path: string): Inode => path.split('/').reduce((cur, c) => must(cur.lookup(c)), d);
const names = (d: Inode) => must(d.readdir()).map((e) => e.name).sort();
function read(i: Inode): string {
  const o = must(i.open(O_RDONLY));
  const b = Buffer.alloc(256);
  const n = pread(o.hostFd, b, 0, b.length, 0);
  close(o.hostFd);
  return b.toString('latin1', 0, n);
}

t.test('LayeredFs: a merged tree over host directories', (t) => {
  const base = tmp(t);
  files(join(base, 'l1'), { 'a/one': '1', 'a/two': '2', 'b/x': 'x', c: 'c', 'd/deep/f': 'f', 'e/keep': 'k' });
  files(join(base, 'l2'), { 'a/.wh.one': '', 'a/three': '3', '.wh.b': '', 'c/in': 'in', 'd/.wh..wh..opq': '', 'd/new': 'n' });
  files(join(base, 'l3'), { 'a/one': 'one again', '.wh.e': '', 'b/y': 'y' });
  const lfs = new LayeredFs(['l1', 'l2', 'l3'].map((l) => join(base, l)));
  t.teardown(() => lfs.dispose());
  const r = lfs.root;
  t.same(names(r), ['a', 'b', 'c', 'd']);
  t.same(names(look(r, 'a')), ['one', 'three', 'two']);
  t.equal(read(look(r, 'a/one')), 'one again');
  t.same(names(look(r, 'b')), ['y'], 'b was deleted in l2 and made again in l3');
  t.ok(look(r, 'c').isDir(), 'c: a directory over a file');
  t.same(names(look(r, 'd')), ['new'], 'opaque');
  t.equal(r.lookup('e'), null);
  t.equal(r.lookup('.wh.e'), null, 'whiteout names are not names');
  t.equal(look(r, 'd').lookup('.wh..wh..opq'), null);
  t.equal(look(r, 'a/two').open(O_WRONLY), -E.EROFS);
  t.equal(r.create('x', 0o644, ROOT), -E.EROFS);
  const inos = [look(r, 'a/one'), look(r, 'a/two'), look(r, 'a/three'), look(r, 'c/in')].map((i) => must(i.stat()).ino);
  t.equal(new Set(inos).size, 4, 'inode numbers stay distinct across layers');
  t.end();
});

t.test('DiskUpper: an OCI layer diff on disk, and what it refuses', (t) => {
  const base = tmp(t);
  files(join(base, 'lower'), { 'etc/passwd': 'p', 'etc/group': 'g', 'dir/sub/f': 'f', 'empty/': '' });
  mkdirSync(join(base, 'up'));
  const inoMap = new InoMap();
  const lfs = new LayeredFs([join(base, 'lower')], { inoMap });
  const upper = new DiskUpper(join(base, 'up'), lfs.root, inoMap);
  const ofs = new OverlayFs(lfs.root, upper);
  t.teardown(() => {
    upper.dispose();
    lfs.dispose();
  });
  const r = ofs.root;
  const etc = look(r, 'etc');
  t.equal(etc.unlink('passwd'), 0);
  t.ok(existsSync(join(base, 'up/etc/.wh.passwd')), 'a whiteout file');
  t.same(names(etc), ['group'], 'and not shown');
  must(etc.create('passwd', 0o644, ROOT));
  t.notOk(existsSync(join(base, 'up/etc/.wh.passwd')), 'made again: the whiteout goes');
  t.equal(etc.create('.wh.x', 0o644, ROOT), -E.EPERM, 'names of the layout cannot be made');
  t.equal(r.rmdir('empty'), 0);
  must(r.mkdir('empty', 0o755, ROOT));
  t.ok(existsSync(join(base, 'up/empty/.wh..wh..opq')), 'made where the lower one was: opaque');
  t.same(names(look(r, 'empty')), []);
  t.equal(r.rename('dir', r, 'dir2', 0), -E.EXDEV, 'a merged directory does not move (origins are found by path)');
  must(r.mkdir('mine', 0o755, ROOT));
  must(look(r, 'mine').create('f', 0o644, ROOT));
  t.equal(r.rename('mine', r, 'dir', 0), -E.ENOTEMPTY);
  t.equal(look(r, 'dir/sub').unlink('f'), 0);
  t.equal(look(r, 'dir').rmdir('sub'), 0);
  t.same(readdirSync(join(base, 'up/dir')).sort(), ['.wh.sub']);
  t.equal(r.rename('mine', r, 'dir', 0), 0, 'an upper-only directory replaces an empty merged one');
  t.ok(existsSync(join(base, 'up/dir/.wh..wh..opq')), 'and is opaque where it landed');
  t.notOk(existsSync(join(base, 'up/dir/.wh.sub')), 'the replaced directory\'s whiteouts went');
  t.ok(existsSync(join(base, 'up/.wh.mine')) === false, 'nothing to hide at the old name');
  t.same(names(look(r, 'dir')), ['f']);
  t.same(readdirSync(join(base, 'lower/dir')).sort(), ['sub'], 'the lower layer is untouched');
  const gino = must(look(r, 'etc/group').stat()).ino;
  t.equal(etc.link('group2', look(r, 'etc/group')), 0);
  t.equal(must(look(r, 'etc/group2').stat()).ino, gino, 'another name of a copied-up file keeps its lower inode number');
  t.equal(must(etc.stat()).nlink, 1, 'a merged directory reports one link, as overlayfs');
  t.end();
});

t.test('CLI mount flags', (t) => {
  const fail = (msg: string): never => {
    throw new Error(msg);
  };
  t.equal(parseSize('64m'), 64 << 20);
  t.equal(parseSize('1G'), 1 << 30);
  t.equal(parseSize('512k'), 512 << 10);
  t.equal(parseSize('100'), 100);
  t.equal(parseSize('1x'), null);
  t.same(parseVolume('/a:/b', fail), { type: 'bind', source: '/a', target: '/b', readOnly: false });
  t.same(parseVolume('/a:/b:ro', fail), { type: 'bind', source: '/a', target: '/b', readOnly: true });
  t.throws(() => parseVolume('/a', fail), /--volume/);
  t.throws(() => parseVolume('/a:b', fail), /absolute/);
  t.throws(() => parseVolume('/a:/b/../c', fail), /\.\./);
  t.same(parseMountFlag('type=bind,source=/a,target=/b,readonly', fail), { type: 'bind', source: '/a', target: '/b', readOnly: true });
  t.same(parseMountFlag('type=bind,src=/a,dst=/b,ro=false', fail), { type: 'bind', source: '/a', target: '/b', readOnly: false });
  t.same(parseMountFlag('type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=700', fail), { type: 'tmpfs', target: '/t', readOnly: false, size: 1 << 20, mode: 0o700 });
  t.throws(() => parseMountFlag('type=tmpfs,src=/a,dst=/t', fail), /no src/);
  t.throws(() => parseMountFlag('type=volume,dst=/t', fail), /type=volume/);
  t.same(parseTmpfs('/t', fail), { type: 'tmpfs', target: '/t' });
  t.same(parseTmpfs('/t:size=64m,mode=1777,noexec', fail), { type: 'tmpfs', target: '/t', size: 64 << 20, mode: 0o1777, noexec: true });
  t.throws(() => parseTmpfs('/t:size=-1', fail), /size=-1/);
  t.throws(() => parseTmpfs('/t:uid=5', fail), /unknown option/);
  t.end();
});
