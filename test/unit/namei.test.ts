// The path walk (src/vfs/namei.ts) and the mount tree (src/vfs/mount.ts) over
// an in-memory tmpfs. Expected results are Linux's (fs/namei.c), checked on
// the host where a rule is subtle: symlink bodies with a trailing slash,
// the 40-link limit, the order of ENOTDIR/EACCES/ENAMETOOLONG.
import t from 'tap';
import { E } from '../../src/abi/errno.js';
import { TmpDir, Tmpfs } from '../../src/fs/tmpfs/tmpfs.js';
import { Creds } from '../../src/vfs/creds.js';
import type { Inode } from '../../src/vfs/inode.js';
import { type Mount, MountNamespace, pathOf, samePath, type VPath } from '../../src/vfs/mount.js';
import { type NameiContext, walk, walkParent } from '../../src/vfs/namei.js';

const ROOT = Creds.root();
const USER = Creds.user(1000, 1000);

/** Every inode made here is labelled with its path (its filesystem's label for a root). */
const labels = new Map<Inode, string>();
function label(parent: Inode, name: string, node: Inode | number): Inode {
  if (typeof node === 'number') throw new Error(`creating ${name}: errno ${-node}`);
  const p = labels.get(parent) ?? '?';
  labels.set(node, p.endsWith('/') ? p + name : `${p}/${name}`);
  return node;
}
function fsRoot(fs: Tmpfs, name: string): TmpDir {
  labels.set(fs.root, name);
  return fs.root;
}
function dir(parent: Inode, name: string, mode = 0o755, creds = ROOT): TmpDir {
  return label(parent, name, parent.mkdir(name, mode, creds)) as TmpDir;
}
function file(parent: Inode, name: string, mode = 0o644): Inode {
  return label(parent, name, parent.create(name, mode, ROOT));
}
function link(parent: Inode, name: string, target: string): Inode {
  return label(parent, name, parent.symlink(name, target, ROOT));
}
/** What a walk found: the label of the inode, or the errno (cheap to compare and print). */
function at(v: VPath | number): string | number {
  return typeof v === 'number' ? v : (labels.get(v.d.inode) ?? 'unlabelled');
}

/**
 * /a/b/file, /a/f, /a/up -> ../a/f, /rel -> a/b, /abs -> /a/b/file,
 * /loop1 <-> /loop2, /dang -> nowhere, /fslash -> a/f/, /dslash -> a/b/,
 * /l0 -> a/f, /l1 -> l0 ... /l40 -> l39, /secret (0700) /secret/x,
 * /open (0711) /open/x, /mnt (mount point), /f at the root.
 */
function setup() {
  const fs = new Tmpfs({ mode: 0o755 });
  const r = fsRoot(fs, '/');
  const a = dir(r, 'a');
  const b = dir(a, 'b');
  file(b, 'file');
  file(a, 'f');
  file(r, 'f');
  link(a, 'up', '../a/f');
  link(r, 'rel', 'a/b');
  link(r, 'abs', '/a/b/file');
  link(r, 'loop1', 'loop2');
  link(r, 'loop2', 'loop1');
  link(r, 'dang', 'nowhere');
  link(r, 'fslash', 'a/f/');
  link(r, 'dslash', 'a/b/');
  link(r, 'l0', 'a/f');
  for (let i = 1; i <= 40; i++) link(r, `l${i}`, `l${i - 1}`);
  file(dir(r, 'secret', 0o700), 'x');
  file(dir(r, 'open', 0o711), 'x');
  dir(r, 'mnt');
  const ns = new MountNamespace(r, { source: 't', type: 'tmpfs' });
  const ctx: NameiContext = { root: ns.rootPath(), creds: ROOT };
  return { fs, ns, ctx, r, a, b };
}

/** The path a walk must have produced (a test fails by the throw otherwise). */
function ok(v: VPath | number): VPath {
  if (typeof v === 'number') throw new Error(`walk failed with errno ${-v}`);
  return v;
}

const F = { follow: true };
const N = { follow: false };

t.test('absolute and relative paths, repeated slashes, . and ..', (t) => {
  const { ctx } = setup();
  const top = ctx.root;
  const aPath = ok(walk(ctx, top, '/a', F));
  t.equal(at(walk(ctx, top, '/a/b/file', F)), '/a/b/file');
  t.equal(at(walk(ctx, top, '///a//b///file', F)), '/a/b/file', 'repeated slashes');
  t.equal(at(walk(ctx, aPath, 'b/file', F)), '/a/b/file', 'relative to the start');
  t.equal(at(walk(ctx, aPath, 'f', F)), '/a/f');
  t.equal(at(walk(ctx, aPath, '/f', F)), '/f', 'absolute ignores the start');
  t.equal(at(walk(ctx, aPath, './b/./file', F)), '/a/b/file');
  t.equal(at(walk(ctx, aPath, 'b/../b/../f', F)), '/a/f');
  t.equal(at(walk(ctx, aPath, '.', F)), '/a');
  t.equal(at(walk(ctx, aPath, '..', F)), '/');
  t.ok(samePath(ok(walk(ctx, top, '/', F)), top), '"/" is the root');
  t.ok(samePath(ok(walk(ctx, top, '/..', F)), top), '".." at the root stays there');
  t.ok(samePath(ok(walk(ctx, aPath, '../../../..', F)), top), 'never above the root');
  t.equal(at(walk(ctx, top, '/../../a/../a/b/../../f', F)), '/f');
  t.equal(at(walk(ctx, top, '/a/b/', F)), '/a/b', 'trailing slash on a directory');
  t.equal(at(walk(ctx, top, '/a/b//', F)), '/a/b');
  t.equal(at(walk(ctx, top, '/a/b/.', F)), '/a/b');
  t.end();
});

t.test('errors: empty path, ENOENT and ENOTDIR in the middle, trailing slash on a file', (t) => {
  const { ctx } = setup();
  const top = ctx.root;
  t.equal(at(walk(ctx, top, '', F)), -E.ENOENT, 'empty path');
  t.equal(at(walk(ctx, top, '/nope', F)), -E.ENOENT);
  t.equal(at(walk(ctx, top, '/nope/x', F)), -E.ENOENT, 'missing directory in the middle');
  t.equal(at(walk(ctx, top, '/a/nope/file', F)), -E.ENOENT);
  t.equal(at(walk(ctx, top, '/a/f/x', F)), -E.ENOTDIR, 'file in the middle');
  t.equal(at(walk(ctx, top, '/a/f/', F)), -E.ENOTDIR, 'trailing slash needs a directory');
  t.equal(at(walk(ctx, top, '/a/f/.', F)), -E.ENOTDIR, 'file/. is ENOTDIR');
  t.equal(at(walk(ctx, top, '/a/f/..', F)), -E.ENOTDIR, 'file/.. is ENOTDIR');
  t.equal(at(walk(ctx, top, '/a/f', { follow: true, directory: true })), -E.ENOTDIR, 'O_DIRECTORY on a file');
  t.equal(at(walk(ctx, top, '/a/b', { follow: true, directory: true })), '/a/b', 'O_DIRECTORY on a directory');
  t.equal(at(walk(ctx, top, '/a/nope/', F)), -E.ENOENT, 'missing with trailing slash is ENOENT');
  t.end();
});

t.test('NAME_MAX and PATH_MAX', (t) => {
  const { ctx, r } = setup();
  const top = ctx.root;
  t.equal(at(walk(ctx, top, 'x'.repeat(256), F)), -E.ENAMETOOLONG, '256-byte component');
  t.equal(at(walk(ctx, top, '/a/' + 'x'.repeat(256) + '/y', F)), -E.ENAMETOOLONG, 'in the middle');
  t.equal(at(walk(ctx, top, 'x'.repeat(255), F)), -E.ENOENT, '255 bytes is a valid name');
  file(r, 'y'.repeat(255));
  t.equal(at(walk(ctx, top, 'y'.repeat(255), F)), '/' + 'y'.repeat(255), 'a 255-byte name resolves');
  // PATH_MAX counts the terminating NUL: 4095 bytes is the longest path.
  t.equal(at(walk(ctx, top, '/'.repeat(4095), F)), '/', '4095 bytes');
  t.equal(at(walk(ctx, top, '/'.repeat(4096), F)), -E.ENAMETOOLONG, '4096 bytes');
  t.equal(at(walk(ctx, top, './'.repeat(2047) + 'a', F)), '/a', '4095 bytes of ./');
  t.equal(at(walk(ctx, top, './'.repeat(2047) + 'ab', F)), -E.ENAMETOOLONG, '4096 bytes of ./');
  // Linux reports what the walk meets first: ENOTDIR, EACCES or ENOENT before a too-long name.
  t.equal(at(walk(ctx, top, '/a/f/' + 'x'.repeat(256), F)), -E.ENOTDIR, 'ENOTDIR before ENAMETOOLONG');
  t.equal(at(walk(ctx, top, '/nope/' + 'x'.repeat(256), F)), -E.ENOENT, 'ENOENT before ENAMETOOLONG');
  t.equal(at(walk({ ...ctx, creds: USER }, top, '/secret/' + 'x'.repeat(256), F)), -E.EACCES, 'EACCES before ENAMETOOLONG');
  t.end();
});

t.test('symlinks: relative, absolute, chains, loops, dangling, follow and nofollow', (t) => {
  const { ctx, r } = setup();
  const top = ctx.root;
  t.equal(at(walk(ctx, top, '/rel', F)), '/a/b', 'relative link followed at the end');
  t.equal(at(walk(ctx, top, '/rel', N)), '/rel', 'nofollow returns the link itself');
  t.equal(at(walk(ctx, top, '/rel/file', N)), '/a/b/file', 'links in the middle are always followed');
  t.equal(at(walk(ctx, top, '/rel/', N)), '/a/b', 'a trailing slash follows even with nofollow');
  t.equal(at(walk(ctx, top, '/rel/.', N)), '/a/b');
  t.equal(at(walk(ctx, top, '/a/up', F)), '/a/f', 'relative to the directory holding the link');
  t.equal(at(walk(ctx, top, '/abs', F)), '/a/b/file', 'absolute body');
  const bPath = ok(walk(ctx, top, '/a/b', F));
  t.equal(at(walk(ctx, bPath, '../../abs', F)), '/a/b/file');
  t.equal(at(walk(ctx, top, '/rel/../f', F)), '/a/f', '".." after a link goes to the target\'s parent');
  t.equal(at(walk(ctx, top, '/loop1', F)), -E.ELOOP, 'loop');
  t.equal(at(walk(ctx, top, '/loop1', N)), '/loop1', 'a loop is fine when not followed');
  t.equal(at(walk(ctx, top, '/loop1/x', N)), -E.ELOOP, 'loop in the middle');
  t.equal(at(walk(ctx, top, '/dang', F)), -E.ENOENT, 'dangling');
  t.equal(at(walk(ctx, top, '/dang', N)), '/dang', 'dangling link itself');
  t.equal(at(walk(ctx, top, '/dang/', N)), -E.ENOENT, 'dangling with trailing slash');
  // Linux follows at most 40 links in one walk: l39 needs 40, l40 needs 41.
  t.equal(at(walk(ctx, top, '/l39', F)), '/a/f', '40 links');
  t.equal(at(walk(ctx, top, '/l40', F)), -E.ELOOP, '41 links');
  t.equal(at(walk(ctx, top, '/l40', N)), '/l40');
  t.equal(at(walk(ctx, top, '/l40/', N)), -E.ELOOP, 'trailing slash forces following');
  // A trailing slash in the body of the last link also requires a directory.
  t.equal(at(walk(ctx, top, '/fslash', F)), -E.ENOTDIR, 'link to "a/f/"');
  t.equal(at(walk(ctx, top, '/fslash', N)), '/fslash', 'not followed: no check');
  t.equal(at(walk(ctx, top, '/dslash', F)), '/a/b', 'link to "a/b/"');
  link(r, 'tofslash', 'fslash');
  t.equal(at(walk(ctx, top, '/tofslash', F)), -E.ENOTDIR, 'through a chain');
  // An empty symlink body resolves to nothing.
  link(r, 'empty', '');
  t.equal(at(walk(ctx, top, '/empty', F)), -E.ENOENT);
  t.end();
});

t.test('a chroot-like root: "..", "/" and absolute links stay inside it', (t) => {
  const { ctx, b } = setup();
  const aPath = ok(walk(ctx, ctx.root, '/a', F));
  const jail: NameiContext = { root: aPath, creds: ROOT };
  t.equal(at(walk(jail, aPath, '/', F)), '/a');
  t.equal(at(walk(jail, aPath, '/f', F)), '/a/f', '"/f" is /a/f inside');
  t.equal(at(walk(ctx, ctx.root, '/f', F)), '/f', 'and /f outside');
  t.equal(at(walk(jail, aPath, '..', F)), '/a', '".." at the jail root');
  t.equal(at(walk(jail, aPath, '/../../..', F)), '/a');
  const bPath = ok(walk(jail, aPath, 'b', F));
  t.equal(at(bPath), '/a/b');
  t.equal(at(walk(jail, bPath, '../../../f', F)), '/a/f', 'climbing from below stops at the jail root');
  // /a/up -> ../a/f: from /a, ".." stays at /a, so "a/f" is looked up in /a.
  t.equal(at(walk(jail, aPath, 'up', F)), -E.ENOENT);
  t.equal(at(walk(jail, aPath, '/b/file', F)), '/a/b/file');
  // An absolute body is resolved against the caller's root.
  link(dir(b, 'j'), 'toF', '/f');
  t.equal(at(walk(jail, aPath, '/b/j/toF', F)), '/a/f', 'absolute link inside the jail');
  t.equal(at(walk(ctx, ctx.root, '/a/b/j/toF', F)), '/f', 'the same link outside');
  t.end();
});

t.test('mounts are crossed in both directions', (t) => {
  const { ns, ctx } = setup();
  const mntDir = ok(walk(ctx, ctx.root, '/mnt', F));
  const t2 = new Tmpfs({ mode: 0o755 });
  file(dir(fsRoot(t2, 't2:/'), 'inner'), 'g');
  const m2 = ns.mount(mntDir, t2.root, { source: 't2', type: 'tmpfs' });
  t.equal(m2.parent, ns.root);
  t.equal(m2.mountpoint, mntDir.d);
  const top2 = ok(walk(ctx, ctx.root, '/mnt', F));
  t.ok(top2.mnt === m2 && top2.d === m2.root, 'the walk enters the mount');
  t.equal(at(top2), 't2:/');
  t.equal(at(walk(ctx, ctx.root, '/mnt/inner/g', F)), 't2:/inner/g');
  t.equal(at(walk(ctx, ctx.root, '/mnt/f', F)), -E.ENOENT, 'the covered directory is hidden');
  const up = ok(walk(ctx, top2, '..', F));
  t.ok(up.mnt === ns.root, '".." from the mount root goes to the parent mount');
  t.equal(at(up), '/', '... to the parent of the mount point');
  t.equal(at(walk(ctx, ctx.root, '/mnt/inner/../../a', F)), '/a');
  t.equal(at(walk(ctx, ctx.root, '/mnt/inner/../..', F)), '/');
  // A mount on a mount: the top one wins, ".." climbs through both.
  const t3 = new Tmpfs({ mode: 0o755 });
  file(fsRoot(t3, 't3:/'), 'third');
  const m3 = ns.mount(mntDir, t3.root, { source: 't3', type: 'tmpfs' });
  t.ok(m3.parent === m2, 'stacked on the previous mount');
  t.equal(at(walk(ctx, ctx.root, '/mnt', F)), 't3:/');
  t.equal(at(walk(ctx, ctx.root, '/mnt/inner', F)), -E.ENOENT);
  t.equal(at(walk(ctx, ctx.root, '/mnt/third', F)), 't3:/third');
  t.equal(at(walk(ctx, ctx.root, '/mnt/..', F)), '/');
  // A mount deeper down: ".." lands in the directory holding the mount point.
  const t4 = new Tmpfs({ mode: 0o755 });
  ns.mount(ok(walk(ctx, ctx.root, '/a/b', F)), fsRoot(t4, 't4:/'), { source: 't4', type: 'tmpfs' });
  t.equal(at(walk(ctx, ctx.root, '/a/b', F)), 't4:/');
  t.equal(at(walk(ctx, ctx.root, '/a/b/file', F)), -E.ENOENT, 'covered');
  t.equal(at(walk(ctx, ctx.root, '/a/b/..', F)), '/a');
  t.equal(at(walk(ctx, ctx.root, '/a/b/../f', F)), '/a/f');
  t.equal(at(walk(ctx, ctx.root, '/rel', F)), 't4:/', 'a link to a mount point enters the mount');
  // A root that is a mount root: ".." stays there.
  const jail: NameiContext = { root: ok(walk(ctx, ctx.root, '/a/b', F)), creds: ROOT };
  t.equal(at(walk(jail, jail.root, '..', F)), 't4:/');
  t.equal(at(walk(jail, jail.root, '/../..', F)), 't4:/');
  // umount: EBUSY while something is stacked on it, then the lower one shows again.
  t.equal(ns.umount(m2), -E.EBUSY, 'm3 is on top');
  t.equal(ns.umount(m3), 0);
  t.equal(at(walk(ctx, ctx.root, '/mnt/inner/g', F)), 't2:/inner/g');
  t.equal(ns.umount(ns.root), -E.EBUSY, 'the root cannot go');
  t.same(ns.list().map((m: Mount) => m.opts.source), ['t', 't2', 't4']);
  t.end();
});

t.test('search permission on every directory walked through', (t) => {
  const { ctx, r } = setup();
  const user: NameiContext = { root: ctx.root, creds: USER };
  t.equal(at(walk(user, ctx.root, '/secret/x', F)), -E.EACCES, '0700 root-owned directory');
  t.equal(at(walk(user, ctx.root, '/secret/nope', F)), -E.EACCES, 'EACCES before ENOENT');
  t.equal(at(walk(user, ctx.root, '/secret', F)), '/secret', 'the directory itself may be named');
  const sp = ok(walk(ctx, ctx.root, '/secret', F));
  t.equal(at(walk(user, sp, '..', F)), -E.EACCES, '".." needs search permission too');
  t.equal(at(walk(user, sp, '.', F)), -E.EACCES, '"." too');
  t.equal(at(walk(ctx, ctx.root, '/secret/x', F)), '/secret/x', 'root passes');
  t.equal(at(walk(user, ctx.root, '/open/x', F)), '/open/x', '0711: x for others is enough');
  // Owner class first: an owner without x is refused even if others have it.
  file(dir(r, 'own', 0o077, USER), 'x');
  t.equal(at(walk(user, ctx.root, '/own/x', F)), -E.EACCES, 'owner bits 0');
  t.equal(at(walk({ root: ctx.root, creds: Creds.user(1001, 1001) }, ctx.root, '/own/x', F)), '/own/x', 'others pass');
  // Group class.
  const grp = dir(r, 'grp', 0o070);
  grp.gid = 1000;
  file(grp, 'x');
  t.equal(at(walk(user, ctx.root, '/grp/x', F)), '/grp/x', 'group x');
  t.equal(at(walk({ root: ctx.root, creds: Creds.user(1000, 2000) }, ctx.root, '/grp/x', F)), -E.EACCES, 'not in the group');
  t.equal(at(walk({ root: ctx.root, creds: Creds.user(1000, 2000, [1000]) }, ctx.root, '/grp/x', F)), '/grp/x', 'supplementary group');
  // Symlink bodies are walked with the same checks.
  link(r, 'tosecret', 'secret/x');
  t.equal(at(walk(user, ctx.root, '/tosecret', F)), -E.EACCES, 'through a link');
  t.end();
});

t.test('walkParent: directory, last name, trailing slash', (t) => {
  const { ctx } = setup();
  const top = ctx.root;
  const pr = (path: string, start = top, c = ctx): [string | number, string, boolean] | number => {
    const v = walkParent(c, start, path);
    return typeof v === 'number' ? v : [at(v.dir), v.name, v.trailingSlash];
  };
  t.same(pr('/a/b/file'), ['/a/b', 'file', false]);
  t.same(pr('/a/b/'), ['/a', 'b', true]);
  t.same(pr('//a//b//'), ['/a', 'b', true]);
  t.same(pr('/'), ['/', '', false], '"/" has no last name');
  t.same((pr('///') as unknown[]).slice(0, 2), ['/', ''], '"///" neither');
  t.same(pr('new'), ['/', 'new', false], 'relative, no slash');
  t.same(pr('new', ok(walk(ctx, top, '/a', F))), ['/a', 'new', false], 'relative to the start');
  t.same(pr('/new'), ['/', 'new', false]);
  t.same(pr('/a/.'), ['/a', '.', false], '"." as given');
  t.same(pr('/a/..'), ['/a', '..', false], '".." as given');
  t.same(pr('/rel/new'), ['/a/b', 'new', false], 'links in the directory part are followed');
  t.same(pr('/dang'), ['/', 'dang', false], 'the last component is not resolved');
  t.same(pr('/rel/'), ['/', 'rel', true], 'nor with a trailing slash');
  t.equal(pr(''), -E.ENOENT);
  t.equal(pr('/nope/x'), -E.ENOENT);
  t.equal(pr('/a/f/x'), -E.ENOTDIR);
  t.equal(pr('/a/' + 'n'.repeat(256)), -E.ENAMETOOLONG);
  t.same(pr('/a/' + 'n'.repeat(255)), ['/a', 'n'.repeat(255), false]);
  t.equal(pr('/' + 'x'.repeat(4095)), -E.ENAMETOOLONG, 'PATH_MAX');
  const user: NameiContext = { root: top, creds: USER };
  t.equal(pr('/secret/new', top, user), -E.EACCES, 'search permission on the parent');
  t.equal(pr('new', ok(walk(ctx, top, '/secret', F)), user), -E.EACCES, 'also for the start directory');
  t.equal(pr('/secret/' + 'n'.repeat(256), top, user), -E.EACCES, 'EACCES before ENAMETOOLONG');
  t.equal(pr('/a/f/' + 'n'.repeat(256)), -E.ENOTDIR, 'ENOTDIR before ENAMETOOLONG');
  t.equal(pr('/nope/' + 'n'.repeat(256)), -E.ENOENT, 'ENOENT before ENAMETOOLONG');
  t.end();
});

t.test('pathOf: getcwd-style names across mounts, roots and removals', (t) => {
  const { ns, ctx, b } = setup();
  const top = ctx.root;
  t.equal(pathOf(top, top), '/');
  t.equal(pathOf(ok(walk(ctx, top, '/a/b/file', F)), top), '/a/b/file');
  t.equal(pathOf(ok(walk(ctx, top, '/rel', F)), top), '/a/b', 'the target, not the link');
  t.equal(pathOf(ok(walk(ctx, top, '/rel', N)), top), '/rel');
  const t2 = new Tmpfs({ mode: 0o755 });
  dir(dir(t2.root, 'x'), 'y');
  ns.mount(ok(walk(ctx, top, '/mnt', F)), t2.root, { source: 't2', type: 'tmpfs' });
  const y = ok(walk(ctx, top, '/mnt/x/y', F));
  t.equal(pathOf(y, top), '/mnt/x/y', 'across a mount');
  t.equal(pathOf(ok(walk(ctx, top, '/mnt', F)), top), '/mnt', 'a mount root is named by its mount point');
  const aPath = ok(walk(ctx, top, '/a', F));
  t.equal(pathOf(ok(walk(ctx, top, '/a/b', F)), aPath), '/b', 'relative to a chroot-like root');
  t.equal(pathOf(aPath, aPath), '/');
  t.equal(pathOf(y, aPath), '/mnt/x/y', 'outside the root: from the real root (d_path)');
  // An unlinked name is "(deleted)".
  const fp = ok(walk(ctx, top, '/a/b/file', F));
  t.equal(b.unlink('file'), 0);
  ok(walk(ctx, top, '/a/b', F)).d.drop('file');
  t.equal(pathOf(fp, top), '/a/b/file (deleted)');
  t.equal(at(walk(ctx, top, '/a/b/file', F)), -E.ENOENT, 'gone from the walk');
  t.equal(pathOf(ok(walk(ctx, top, '/a/b', F)), top), '/a/b', 'the parent is not deleted');
  t.end();
});

t.test('openat2 restrictions in the walk (ctx.resolve): Linux fs/namei.c', (t) => {
  const { ctx, ns } = setup();
  const top = ctx.root;
  const aPath = ok(walk(ctx, top, '/a', F));
  const mntFs = new Tmpfs({ mode: 0o755 });
  file(fsRoot(mntFs, 'mnt:/'), 'inside');
  ns.mount(ok(walk(ctx, top, '/mnt', F)), mntFs.root, { source: 'm', type: 'tmpfs' });
  const RESOLVE_NO_XDEV = 1;
  const RESOLVE_NO_SYMLINKS = 4;
  const RESOLVE_BENEATH = 8;
  const RESOLVE_IN_ROOT = 16;
  const beneath = { ...ctx, root: aPath, resolve: RESOLVE_BENEATH };
  t.equal(at(walk(beneath, aPath, 'b/file', F)), '/a/b/file', 'beneath: inside');
  t.equal(at(walk(beneath, aPath, 'b/../f', F)), '/a/f', 'beneath: .. that stays inside');
  t.equal(at(walk(beneath, aPath, '..', F)), -E.EXDEV, 'beneath: .. out of the start');
  t.equal(at(walk(beneath, aPath, '/f', F)), -E.EXDEV, 'beneath: an absolute path');
  t.equal(at(walk(beneath, aPath, 'up', F)), -E.EXDEV, 'beneath: a symlink climbing out (../a/f)');
  const inRoot = { ...ctx, root: aPath, resolve: RESOLVE_IN_ROOT };
  t.equal(at(walk(inRoot, aPath, '/f', F)), '/a/f', 'in_root: / is the start');
  t.equal(at(walk(inRoot, aPath, '../../f', F)), '/a/f', 'in_root: .. stops at the start');
  t.equal(at(walk(inRoot, aPath, 'up', F)), -E.ENOENT, 'in_root: ../a/f from /a is /a/a/f');
  const noSym = { ...ctx, resolve: RESOLVE_NO_SYMLINKS };
  t.equal(at(walk(noSym, top, '/rel/file', F)), -E.ELOOP, 'no_symlinks: in the middle');
  t.equal(at(walk(noSym, top, '/abs', F)), -E.ELOOP, 'no_symlinks: the last, followed');
  t.equal(at(walk(noSym, top, '/abs', N)), '/abs', 'no_symlinks: the last, not followed');
  const noXdev = { ...ctx, resolve: RESOLVE_NO_XDEV };
  t.equal(at(walk(noXdev, top, '/mnt/inside', F)), -E.EXDEV, 'no_xdev: into a mount');
  const inMnt = ok(walk(ctx, top, '/mnt', F));
  t.equal(at(walk(noXdev, inMnt, 'inside', F)), 'mnt:/inside', 'no_xdev: within the mount');
  t.equal(at(walk(noXdev, inMnt, '..', F)), -E.EXDEV, 'no_xdev: out of the mount by ..');
  t.equal(at(walk(noXdev, top, '/a/f', F)), '/a/f', 'no_xdev: an absolute path on the root mount');
  t.end();
});
