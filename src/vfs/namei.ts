// The one path walk (Linux fs/namei.c in spirit): every path the guest names
// is resolved here, inside the sandbox's mount tree, by the sentry. Symlinks
// are followed by us, `..` never climbs above the caller's root, mount points
// are crossed in both directions. The host never sees a guest path.
import { E } from '../abi/errno.js';
import {
  NAME_MAX, PATH_MAX, RESOLVE_BENEATH, RESOLVE_IN_ROOT, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_SYMLINKS, RESOLVE_NO_XDEV,
  SYMLOOP_MAX,
} from '../abi/flags.js';
import { CAP_DAC_READ_SEARCH, type Creds } from './creds.js';
import { followMounts, type VPath } from './mount.js';
import { MAY_EXEC, permission } from './perm.js';

export interface NameiContext {
  /** The caller's root: `/` and `..` at the top resolve here. */
  readonly root: VPath;
  readonly creds: Creds;
  /**
   * openat2's RESOLVE_* restrictions (0 or absent for every other caller).
   * For RESOLVE_BENEATH and RESOLVE_IN_ROOT the caller passes the starting
   * directory as `root` (Linux's scoped lookups set nd->root to the dirfd).
   */
  readonly resolve?: number;
}

const SCOPED = RESOLVE_BENEATH | RESOLVE_IN_ROOT;

export interface WalkOptions {
  /** Follow a symlink in the last component. */
  follow: boolean;
  /** The result must be a directory (also implied by a trailing slash). */
  directory?: boolean;
}

export interface ParentResult {
  dir: VPath;
  /** Last component; '' for "/", '.' or '..' as given. */
  name: string;
  trailingSlash: boolean;
}

function isDir(p: VPath): boolean {
  return p.d.inode.isDir();
}

function mayLookup(p: VPath, creds: Creds): number {
  if (creds.hasCap(CAP_DAC_READ_SEARCH)) return 0;
  const st = p.d.inode.stat();
  if (typeof st === 'number') return st;
  return permission(st, creds, MAY_EXEC);
}

/**
 * `..` from `cur`, clamped at `root`; -EXDEV where openat2's restrictions
 * forbid the step (Linux follow_dotdot): RESOLVE_BENEATH at the root,
 * RESOLVE_NO_XDEV across a mount in either direction.
 */
function dotdot(cur: VPath, root: VPath, resolve: number): VPath | number {
  let { mnt, d } = cur;
  for (;;) {
    if (mnt === root.mnt && d === root.d) return resolve & RESOLVE_BENEATH ? -E.EXDEV : root;
    if (d !== mnt.root) break;
    if (!mnt.parent || !mnt.mountpoint) return { mnt, d };
    if (resolve & RESOLVE_NO_XDEV) return -E.EXDEV;
    d = mnt.mountpoint;
    mnt = mnt.parent;
  }
  return crossMounts({ mnt, d: d.parent ?? d }, resolve);
}

/** followMounts, or -EXDEV when a mount is stacked there and RESOLVE_NO_XDEV forbids crossing. */
function crossMounts(p: VPath, resolve: number): VPath | number {
  const q = followMounts(p);
  return resolve & RESOLVE_NO_XDEV && q.mnt !== p.mnt ? -E.EXDEV : q;
}

/**
 * Where a symlink leads under openat2's restrictions (Linux pick_link and
 * nd_jump_link): any symlink is ELOOP with RESOLVE_NO_SYMLINKS; a magic link
 * is ELOOP with RESOLVE_NO_MAGICLINKS, EXDEV into another mount with
 * RESOLVE_NO_XDEV and EXDEV in a scoped lookup. Returns where a magic link
 * jumps, null for an ordinary symlink (its body is walked), or -errno.
 */
function mayFollow(link: VPath, from: VPath, resolve: number): VPath | number | null {
  if (resolve & RESOLVE_NO_SYMLINKS) return -E.ELOOP;
  const jump = link.d.inode.magicLink();
  if (jump === null || typeof jump === 'number') return jump;
  if (resolve & RESOLVE_NO_MAGICLINKS) return -E.ELOOP;
  if (resolve & RESOLVE_NO_XDEV && jump.mnt !== from.mnt) return -E.EXDEV;
  if (resolve & SCOPED) return -E.EXDEV;
  return jump;
}

/**
 * Jumps to the root for an absolute path or symlink body (Linux
 * nd_jump_root): EXDEV with RESOLVE_BENEATH, and with RESOLVE_NO_XDEV when the
 * walk stands on another mount than the root (`from` null: the path itself
 * is absolute, which RESOLVE_NO_XDEV allows).
 */
function jumpRoot(ctx: NameiContext, from: VPath | null): VPath | number {
  const resolve = ctx.resolve ?? 0;
  if (resolve & RESOLVE_BENEATH) return -E.EXDEV;
  if (resolve & RESOLVE_NO_XDEV && from && from.mnt !== ctx.root.mnt) return -E.EXDEV;
  return followMounts(ctx.root);
}

function split(path: string): string[] {
  const out: string[] = [];
  for (const c of path.split('/')) if (c.length) out.push(c);
  return out;
}

/**
 * Resolves `path` from `start` (used for relative paths; absolute ones start
 * at the caller's root). Returns the final path or -errno.
 */
export function walk(ctx: NameiContext, start: VPath, path: string, opts: WalkOptions): VPath | number {
  if (path.length === 0) return -E.ENOENT;
  if (path.length >= PATH_MAX) return -E.ENAMETOOLONG;
  const resolve = ctx.resolve ?? 0;
  // A trailing slash, on the path or on the body of its last symlink, asks
  // for a directory and follows a last symlink (Linux: lookup_last).
  let trailingSlash = path.endsWith('/');
  let cur: VPath;
  if (path[0] === '/') {
    const r = jumpRoot(ctx, null);
    if (typeof r === 'number') return r;
    cur = r;
  } else {
    cur = followMounts(start);
  }
  let comps = split(path);
  let links = 0;
  for (let i = 0; i < comps.length; i++) {
    const name = comps[i]!;
    if (!isDir(cur)) return -E.ENOTDIR;
    const perm = mayLookup(cur, ctx.creds);
    if (perm < 0) return perm;
    // The filesystem's lookup refuses long names: after ENOTDIR and EACCES.
    if (name.length > NAME_MAX) return -E.ENAMETOOLONG;
    if (name === '.') continue;
    if (name === '..') {
      const up = dotdot(cur, ctx.root, resolve);
      if (typeof up === 'number') return up;
      cur = up;
      continue;
    }
    if (cur.d.unlinked) return -E.ENOENT;
    const child = cur.d.child(name);
    if (child === null) return -E.ENOENT;
    if (typeof child === 'number') return child;
    const next = crossMounts({ mnt: cur.mnt, d: child }, resolve);
    if (typeof next === 'number') return next;
    const last = i === comps.length - 1;
    if (next.d.inode.isSymlink() && (!last || opts.follow || trailingSlash)) {
      if (++links > SYMLOOP_MAX) return -E.ELOOP;
      const jump = mayFollow(next, cur, resolve);
      if (jump !== null) {
        if (typeof jump === 'number') return jump;
        cur = followMounts(jump);
        continue;
      }
      const target = next.d.inode.readlink();
      if (typeof target === 'number') return target;
      if (target.length === 0) return -E.ENOENT;
      if (target[0] === '/') {
        const r = jumpRoot(ctx, cur);
        if (typeof r === 'number') return r;
        cur = r;
      }
      if (last && target.endsWith('/')) trailingSlash = true;
      comps = split(target).concat(comps.slice(i + 1));
      i = -1;
      continue;
    }
    cur = next;
  }
  if ((trailingSlash || opts.directory) && !isDir(cur)) return -E.ENOTDIR;
  return cur;
}

/**
 * Resolves everything but the last component (for create, unlink, rename...).
 * The parent must exist and be a directory.
 */
export function walkParent(ctx: NameiContext, start: VPath, path: string): ParentResult | number {
  if (path.length === 0) return -E.ENOENT;
  if (path.length >= PATH_MAX) return -E.ENAMETOOLONG;
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end--;
  const trimmed = path.slice(0, end);
  const trailingSlash = end < path.length;
  const slash = trimmed.lastIndexOf('/');
  let dirPart: string;
  let name: string;
  if (slash < 0) {
    dirPart = '.';
    name = trimmed;
  } else {
    dirPart = trimmed.slice(0, slash) || '/';
    name = trimmed.slice(slash + 1);
  }
  if (trimmed === '/') name = '';
  const dir = dirPart === '.' ? followMounts(start) : walk(ctx, start, dirPart, { follow: true, directory: true });
  if (typeof dir === 'number') return dir;
  if (!isDir(dir)) return -E.ENOTDIR;
  const perm = mayLookup(dir, ctx.creds);
  if (perm < 0) return perm;
  if (name.length > NAME_MAX) return -E.ENAMETOOLONG;
  // A removed directory has no names and takes none (Linux: IS_DEADDIR).
  if (dir.d.unlinked && name !== '' && name !== '.' && name !== '..') return -E.ENOENT;
  return { dir, name, trailingSlash };
}

export interface CreateLookup extends ParentResult {
  /** What the last component names (after following trailing symlinks), or null when absent. */
  existing: VPath | null;
}

/**
 * The walk of open(O_CREAT): the parent, then the last component. A symlink
 * there is followed when `follow` (no O_NOFOLLOW/O_EXCL), to its target's
 * parent and name, so creating through a dangling symlink creates its target,
 * as Linux does. A last component of "", ".", ".." or one with a trailing
 * slash is returned without lookup (existing null): open refuses all of them.
 */
export function walkCreate(ctx: NameiContext, start: VPath, path: string, follow: boolean): CreateLookup | number {
  const resolve = ctx.resolve ?? 0;
  let links = 0;
  for (;;) {
    const pr = walkParent(ctx, start, path);
    if (typeof pr === 'number') return pr;
    if (pr.name === '..' && resolve) {
      // Linux steps over a last ".." before refusing it (handle_dots), so the restrictions apply.
      const up = dotdot(pr.dir, ctx.root, resolve);
      if (typeof up === 'number') return up;
    }
    if (pr.name === '' || pr.name === '.' || pr.name === '..' || pr.trailingSlash) return { ...pr, existing: null };
    const child = pr.dir.d.child(pr.name);
    if (typeof child === 'number') return child;
    if (child === null) return { ...pr, existing: null };
    const p = crossMounts({ mnt: pr.dir.mnt, d: child }, resolve);
    if (typeof p === 'number') return p;
    if (!follow || !p.d.inode.isSymlink()) return { ...pr, existing: p };
    if (++links > SYMLOOP_MAX) return -E.ELOOP;
    const jump = mayFollow(p, pr.dir, resolve);
    if (jump !== null) return typeof jump === 'number' ? jump : { ...pr, existing: followMounts(jump) };
    const target = p.d.inode.readlink();
    if (typeof target === 'number') return target;
    if (target.length === 0) return -E.ENOENT;
    if (target[0] === '/' && resolve & RESOLVE_NO_XDEV && pr.dir.mnt !== ctx.root.mnt) return -E.EXDEV;
    start = pr.dir;
    path = target;
  }
}
