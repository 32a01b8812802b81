// Dentries, mounts and paths: the name tree the sentry owns. A dentry caches
// one name of one filesystem; a Mount grafts a filesystem's root dentry onto a
// dentry of its parent mount; a VPath is the (mount, dentry) pair every path
// operation works on (Linux's struct path).
import type { Inode } from './inode.js';

export class Dentry {
  readonly children = new Map<string, Dentry>();
  /** Set when this name was removed: paths through it report "(deleted)". */
  unlinked = false;
  /** For an object outside every tree (a pipe, a memfd): what its path reads as ("pipe:[123]"). */
  dname?: string;

  constructor(
    public name: string,
    public parent: Dentry | null,
    public inode: Inode,
  ) {}

  /**
   * Cached child, or a new one after asking the filesystem. A child whose
   * inode is not cacheable (generated trees: procfs) is looked up again every
   * time; its dentry is kept (mounts may sit on it) with the fresh inode, or
   * dropped when the name is gone.
   */
  child(name: string): Dentry | null | number {
    const hit = this.children.get(name);
    if (hit && hit.inode.cacheable) return hit;
    const r = this.inode.lookup(name);
    if (r === null || typeof r === 'number') {
      if (hit && r === null) this.drop(name);
      return r;
    }
    if (hit) {
      hit.inode = r;
      return hit;
    }
    const d = new Dentry(name, this, r);
    this.children.set(name, d);
    return d;
  }

  /** Forget a cached child after the filesystem changed it. */
  drop(name: string): void {
    const d = this.children.get(name);
    if (d) {
      d.unlinked = true;
      this.children.delete(name);
    }
  }

  /**
   * A dentry under this directory that is no name in it (an O_TMPFILE file:
   * Linux's d_tmpfile names it "#INO" and leaves it unhashed).
   */
  orphan(name: string, inode: Inode): Dentry {
    const d = new Dentry(name, this, inode);
    d.unlinked = true;
    return d;
  }

  /** Records a child the filesystem just created. */
  add(name: string, inode: Inode): Dentry {
    const d = new Dentry(name, this, inode);
    this.children.set(name, d);
    return d;
  }
}

export interface MountOptions {
  /** Per-mount flags (MS_RDONLY...); a remount changes them in place. */
  readOnly?: boolean;
  noexec?: boolean;
  nosuid?: boolean;
  nodev?: boolean;
  /** Source and type as /proc/mounts shows them. */
  source: string;
  type: string;
  data?: string;
}

let nextMountId = 20;

/**
 * Mount ids of the kernel's internal mounts (pipefs, anon_inodefs...), which
 * objects without a path sit on: below every real mount's id.
 */
const INTERNAL_MNT_ID: Record<string, number> = { pipefs: 12, anon_inodefs: 15, tmpfs: 16, host: 17 };

export function internalMountId(fsName: string): number {
  return INTERNAL_MNT_ID[fsName] ?? 15;
}

export class Mount {
  readonly id = nextMountId++;
  /** Mounts stacked on dentries of this mount. */
  readonly children = new Map<Dentry, Mount>();

  constructor(
    readonly root: Dentry,
    public parent: Mount | null,
    public mountpoint: Dentry | null,
    readonly opts: MountOptions,
  ) {}
}

export interface VPath {
  readonly mnt: Mount;
  readonly d: Dentry;
}

export class MountNamespace {
  readonly root: Mount;

  constructor(rootInode: Inode, opts: MountOptions) {
    this.root = new Mount(new Dentry('/', null, rootInode), null, null, opts);
  }

  rootPath(): VPath {
    return { mnt: this.root, d: this.root.root };
  }

  /** Grafts a filesystem at `at`; the new mount hides what was there. */
  mount(at: VPath, rootInode: Inode, opts: MountOptions): Mount {
    const top = followMounts(at);
    const m = new Mount(new Dentry('/', null, rootInode), top.mnt, top.d, opts);
    top.mnt.children.set(top.d, m);
    return m;
  }

  /**
   * Grafts the tree at `src` (a dentry of a mounted filesystem) at `at` as
   * well: a bind mount, sharing the source's dentries. `recursive` (MS_REC)
   * brings the mounts below `src` along.
   */
  bind(at: VPath, src: VPath, opts: MountOptions, recursive: boolean): Mount {
    const top = followMounts(at);
    const m = new Mount(src.d, top.mnt, top.d, opts);
    // The copy is made before it is attached: a bind of a tree onto a place
    // inside that tree must not copy itself.
    if (recursive) copySubmounts(src.mnt, src.d, m);
    top.mnt.children.set(top.d, m);
    return m;
  }

  /** Removes the mount at `m`; fails with -EBUSY when something is mounted below it. */
  umount(m: Mount): number {
    if (!m.parent || !m.mountpoint) return -16; // EBUSY: the root
    if (m.children.size) return -16;
    this.detach(m);
    return 0;
  }

  /**
   * Takes `m` (and what is mounted below it) out of the tree. Paths that
   * hold it (open files, working directories) keep working: Linux's lazy
   * unmount. A mount stacked on the same spot takes its place there.
   */
  detach(m: Mount): void {
    if (!m.parent || !m.mountpoint) return;
    m.parent.children.delete(m.mountpoint);
    m.parent = null;
    m.mountpoint = null;
  }

  /** Moves mount `m` to `at` (MS_MOVE). */
  move(m: Mount, at: VPath): void {
    this.detach(m);
    const top = followMounts(at);
    m.parent = top.mnt;
    m.mountpoint = top.d;
    top.mnt.children.set(top.d, m);
  }

  /** Every mount, parents before children (for /proc/mounts). */
  list(): Mount[] {
    const out: Mount[] = [];
    const walk = (m: Mount) => {
      out.push(m);
      for (const c of m.children.values()) walk(c);
    };
    walk(this.root);
    return out;
  }
}

/** Whether dentry `d` is `top` or lies below it (within one filesystem's dentry tree). */
export function dentryWithin(d: Dentry, top: Dentry): boolean {
  for (let x: Dentry | null = d, i = 0; x && i < 4096; x = x.parent, i++) if (x === top) return true;
  return false;
}

/** Copies the mounts of `from` that sit at or below dentry `top` onto `to` (a recursive bind). */
function copySubmounts(from: Mount, top: Dentry, to: Mount): void {
  for (const [mp, child] of [...from.children]) {
    if (!dentryWithin(mp, top)) continue;
    const c = new Mount(child.root, to, mp, { ...child.opts });
    to.children.set(mp, c);
    copySubmounts(child, child.root, c);
  }
}

/** The top-most mount stacked at a path, or the path itself. */
export function followMounts(p: VPath): VPath {
  let { mnt, d } = p;
  for (;;) {
    const m = mnt.children.get(d);
    if (!m) return { mnt, d };
    mnt = m;
    d = m.root;
  }
}

export function samePath(a: VPath, b: VPath): boolean {
  return a.mnt === b.mnt && a.d === b.d;
}

/**
 * The absolute path of `p` as seen from `root` (getcwd, /proc/PID/fd). Paths
 * outside `root` are shown from the real root, as Linux does for d_path.
 */
export function pathOf(p: VPath, root: VPath): string {
  if (p.d.dname !== undefined) return p.d.dname;
  const parts: string[] = [];
  let { mnt, d } = p;
  for (let guard = 0; guard < 4096; guard++) {
    if (mnt === root.mnt && d === root.d) break;
    if (d === mnt.root) {
      if (!mnt.parent || !mnt.mountpoint) break;
      d = mnt.mountpoint;
      mnt = mnt.parent;
      continue;
    }
    parts.push(d.name);
    if (!d.parent) break;
    d = d.parent;
  }
  const s = '/' + parts.reverse().join('/');
  return p.d.unlinked ? `${s} (deleted)` : s;
}

/**
 * A path for an object that has no name in any tree (what a magic link to a
 * pipe or memfd leads to): a dentry of its own on a mount of its own.
 */
export function anonPath(dname: string, inode: Inode): VPath {
  const d = new Dentry(dname, null, inode);
  d.dname = dname;
  return { mnt: new Mount(d, null, null, { source: 'none', type: 'anon' }), d };
}
