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

  /** Removes the mount at `m`; fails with -EBUSY when something is mounted below it. */
  umount(m: Mount): number {
    if (!m.parent || !m.mountpoint) return -16; // EBUSY: the root
    if (m.children.size) return -16;
    m.parent.children.delete(m.mountpoint);
    return 0;
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
