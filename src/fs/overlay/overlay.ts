// The overlay root: a read-only lower layer (a host directory) under a
// writable upper layer held by the sentry (tmpfs). Rules, as overlayfs:
// an upper entry hides the lower one; a whiteout hides a lower name; a file is
// copied up on its first write or metadata change; an upper directory merges
// with exactly the lower directory it was copied up from (its origin, kept
// across renames); a directory made in the upper layer merges with nothing.
// Inode numbers of lower objects survive copy-up.
import { E } from '../../abi/errno.js';
import { O_ACCMODE, O_RDONLY, O_TRUNC, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from '../../abi/flags.js';
import { copyAll, memfdCreate, close } from '../../platform/host.js';
import type { Creds } from '../../vfs/creds.js';
import { type DirEntry, type FileSystem, Inode, type Opened, type SetAttr, type Stat } from '../../vfs/inode.js';
import { allocDev } from '../devices.js';
import { TmpDir, TmpFile, type TmpInode, TmpNode, TmpSymlink, Tmpfs, Whiteout } from '../tmpfs/tmpfs.js';

const RENAME_NOREPLACE = 1;
const RENAME_EXCHANGE = 2;
const RENAME_WHITEOUT = 4;

export class OverlayFs implements FileSystem {
  readonly name = 'overlay';
  readonly dev = allocDev();
  readonly readOnly = false;
  readonly upper: Tmpfs;
  readonly root: OverlayInode;

  constructor(readonly lower: Inode, upperOpts: { size?: number } = {}) {
    // Upper-only inode numbers start far above any host inode number.
    this.upper = new Tmpfs({ mode: 0o755, size: upperOpts.size }, 2 ** 50);
    const st = lower.stat();
    if (typeof st !== 'number') {
      this.upper.root.modeBits = st.mode;
      this.upper.root.uid = st.uid;
      this.upper.root.gid = st.gid;
      this.upper.root.nlink = st.nlink;
    }
    this.upper.root.lowerOrigin = lower;
    this.root = new OverlayInode(this, null, '', this.upper.root, lower);
  }

  /** Releases the upper layer's host objects (the sandbox is done with it). */
  dispose(): void {
    this.upper.dispose();
  }
}

export class OverlayInode extends Inode {
  readonly ino: number;
  /**
   * Children looked up so far: one inode per object, so that the one a dentry,
   * an open file or a cwd holds is the one copy-up and rename act on.
   */
  private readonly kids = new Map<string, OverlayInode>();
  /** Open descriptions made on the lower layer, before any copy-up (see release()). */
  private lowerOpens = 0;
  /** Its name was removed: it lives on only through open files (or as a cwd). */
  private removed = false;

  constructor(
    readonly ofs: OverlayFs,
    /** Where the object is now: rename moves it. */
    public parent: OverlayInode | null,
    public name: string,
    public upper: TmpInode | null,
    readonly lower: Inode | null,
  ) {
    super(ofs);
    const base = lower ?? upper!;
    const st = base.stat();
    this.ino = typeof st === 'number' ? 0 : st.ino;
  }

  private real(): Inode {
    return this.upper ?? this.lower!;
  }

  override get mode(): number {
    return this.real().mode;
  }

  stat(): Stat | number {
    const st = this.real().stat();
    if (typeof st === 'number') return st;
    st.dev = this.ofs.dev;
    st.ino = this.ino;
    return st;
  }

  override lookup(name: string): Inode | null | number {
    if (!this.isDir()) return -E.ENOTDIR;
    const hit = this.kids.get(name);
    if (hit) return hit;
    let u: TmpInode | null = null;
    let l: Inode | null = null;
    if (this.upper instanceof TmpDir) {
      const e = this.upper.entries.get(name);
      if (e instanceof Whiteout) return null;
      u = e ?? null;
      if (u instanceof TmpDir) l = u.lowerOrigin;
      else if (!u && this.upper.lowerOrigin) {
        const r = this.upper.lowerOrigin.lookup(name);
        if (typeof r === 'number') return r;
        l = r;
      }
    } else if (this.lower) {
      const r = this.lower.lookup(name);
      if (typeof r === 'number') return r;
      l = r;
    }
    if (!u && !l) return null;
    const n = new OverlayInode(this.ofs, this, name, u, l);
    this.kids.set(name, n);
    return n;
  }

  override readdir(): DirEntry[] | number {
    if (!this.isDir()) return -E.ENOTDIR;
    const out: DirEntry[] = [];
    const upper = this.upper instanceof TmpDir ? this.upper : null;
    const lowerDir = upper ? upper.lowerOrigin : this.lower;
    if (upper) for (const [name, e] of upper.entries) if (!(e instanceof Whiteout)) out.push({ name, ino: e.ino, type: e.mode & S_IFMT });
    if (lowerDir) {
      const ls = lowerDir.readdir();
      if (typeof ls === 'number') return ls;
      for (const e of ls) if (!upper?.entries.has(e.name)) out.push(e);
    }
    return out;
  }

  override readlink(): string | number {
    return this.real().readlink();
  }

  override open(flags: number): Opened | number {
    if (this.isDir()) return -E.EISDIR;
    const writing = (flags & O_ACCMODE) !== O_RDONLY || (flags & O_TRUNC) !== 0;
    if (writing) {
      const r = this.copyUp();
      if (r < 0) return r;
    }
    const o = this.real().open(flags);
    if (typeof o !== 'number' && !this.upper) this.lowerOpens++;
    return o;
  }

  /** Makes sure this object exists in the upper layer, copying data and metadata. */
  copyUp(): number {
    if (this.upper) return 0;
    if (!this.parent || !this.lower) return -E.EIO;
    // A removed directory takes no entries (ENOENT, as Linux); a removed file is copied up without a name.
    if (this.removed && this.isDir()) return -E.ENOENT;
    let pu: TmpDir | null = null;
    if (!this.removed) {
      const pr = this.parent.copyUp();
      if (pr < 0) return pr;
      if (!(this.parent.upper instanceof TmpDir)) return -E.EIO;
      pu = this.parent.upper;
    }
    const st = this.lower.stat();
    if (typeof st === 'number') return st;
    const up = this.ofs.upper;
    let node: TmpInode;
    switch (st.mode & S_IFMT) {
      case S_IFDIR: {
        const d = new TmpDir(up, st.mode, st.uid, st.gid);
        d.lowerOrigin = this.lower;
        // The parent's count already includes this directory (it came from the lower layer).
        d.nlink = st.nlink;
        node = d;
        break;
      }
      case S_IFREG: {
        if (up.sizeLimit && up.used() + st.size > up.sizeLimit) return -E.ENOSPC;
        const src = this.lower.open(O_RDONLY);
        if (typeof src === 'number') return src;
        const mfd = memfdCreate('tsvisor-upper', 1);
        if (mfd < 0) {
          close(src.hostFd);
          return mfd;
        }
        const n = copyAll(src.hostFd, mfd, st.size);
        close(src.hostFd);
        if (n < 0) {
          close(mfd);
          return n;
        }
        const f = new TmpFile(up, st.mode, st.uid, st.gid);
        f.adoptMemfd(mfd);
        node = f;
        break;
      }
      case S_IFLNK: {
        const target = this.lower.readlink();
        if (typeof target === 'number') return target;
        node = new TmpSymlink(up, target, st.uid, st.gid);
        break;
      }
      default:
        node = new TmpNode(up, st.mode, st.uid, st.gid, st.rdev);
    }
    node.ino = this.ino;
    node.atime = st.atime;
    node.mtime = st.mtime;
    node.ctime = st.ctime;
    node.btime = st.btime;
    if (pu) pu.entries.set(this.name, node);
    else node.nlink = 0;
    this.upper = node;
    return 0;
  }

  private upperDir(): TmpDir | number {
    const r = this.copyUp();
    if (r < 0) return r;
    return this.upper instanceof TmpDir ? this.upper : -E.ENOTDIR;
  }

  private wrap(name: string, r: Inode | number): Inode | number {
    if (typeof r === 'number') return r;
    const n = new OverlayInode(this.ofs, this, name, r as TmpInode, null);
    this.kids.set(name, n);
    return n;
  }

  override create(name: string, mode: number, creds: Creds): Inode | number {
    const u = this.upperDir();
    return typeof u === 'number' ? u : this.wrap(name, u.create(name, mode, creds));
  }

  override mkdir(name: string, mode: number, creds: Creds): Inode | number {
    const u = this.upperDir();
    return typeof u === 'number' ? u : this.wrap(name, u.mkdir(name, mode, creds));
  }

  override mknod(name: string, mode: number, rdev: number, creds: Creds): Inode | number {
    const u = this.upperDir();
    return typeof u === 'number' ? u : this.wrap(name, u.mknod(name, mode, rdev, creds));
  }

  override symlink(name: string, target: string, creds: Creds): Inode | number {
    const u = this.upperDir();
    return typeof u === 'number' ? u : this.wrap(name, u.symlink(name, target, creds));
  }

  override link(name: string, target: Inode): number {
    if (!(target instanceof OverlayInode) || target.ofs !== this.ofs) return -E.EXDEV;
    const tr = target.copyUp();
    if (tr < 0) return tr;
    const u = this.upperDir();
    return typeof u === 'number' ? u : u.link(name, target.upper!);
  }

  /** Removes `name` from the merged view: drop the upper entry, whiteout the lower. */
  private remove(name: string, child: OverlayInode, dir: boolean): number {
    const u = this.upperDir();
    if (typeof u === 'number') return u;
    if (child.upper) {
      const r = dir ? u.rmdir(name) : u.unlink(name);
      if (r < 0 && r !== -E.ENOTEMPTY) return r;
      if (r === -E.ENOTEMPTY) {
        // Only whiteouts remain in the upper dir: the merged view is empty.
        u.removeEntry(name);
        u.nlink--;
      }
    } else if (dir) {
      u.nlink--; // a lower directory leaves the merged view
    }
    if (child.lower || this.lowerHas(name)) u.setWhiteout(name);
    child.removed = true;
    this.kids.delete(name);
    return 0;
  }

  /** Whether the lower layer has `name` here (hidden or not). */
  private lowerHas(name: string): boolean {
    const lowerDir = this.upper instanceof TmpDir ? this.upper.lowerOrigin : this.lower;
    if (!lowerDir) return false;
    const r = lowerDir.lookup(name);
    return r !== null && typeof r !== 'number';
  }

  override unlink(name: string): number {
    const c = this.lookup(name);
    if (c === null) return -E.ENOENT;
    if (typeof c === 'number') return c;
    if (c.isDir()) return -E.EISDIR;
    return this.remove(name, c as OverlayInode, false);
  }

  override rmdir(name: string): number {
    const c = this.lookup(name);
    if (c === null) return -E.ENOENT;
    if (typeof c === 'number') return c;
    if (!c.isDir()) return -E.ENOTDIR;
    const ls = c.readdir();
    if (typeof ls === 'number') return ls;
    if (ls.length) return -E.ENOTEMPTY;
    return this.remove(name, c as OverlayInode, true);
  }

  override rename(name: string, newDir: Inode, newName: string, flags: number): number {
    if (!(newDir instanceof OverlayInode) || newDir.ofs !== this.ofs) return -E.EXDEV;
    if (flags & RENAME_WHITEOUT) return -E.EINVAL;
    const src = this.lookup(name);
    if (src === null) return -E.ENOENT;
    if (typeof src === 'number') return src;
    const dst = newDir.lookup(newName);
    if (typeof dst === 'number') return dst;
    const s = src as OverlayInode;
    const d = dst as OverlayInode | null;
    if (d && flags & RENAME_NOREPLACE) return -E.EEXIST;
    // One name to itself: nothing to do (vfs_rename: source == target).
    if (d === s) return 0;
    if (flags & RENAME_EXCHANGE) {
      if (!d) return -E.ENOENT;
    } else if (d) {
      if (flags & RENAME_NOREPLACE) return -E.EEXIST;
      if (s.isDir() && !d.isDir()) return -E.ENOTDIR;
      if (!s.isDir() && d.isDir()) return -E.EISDIR;
      if (d.isDir()) {
        const ls = d.readdir();
        if (typeof ls === 'number') return ls;
        if (ls.length) return -E.ENOTEMPTY;
      }
    }
    const ud = newDir.upperDir();
    if (typeof ud === 'number') return ud;
    const us = this.upperDir();
    if (typeof us === 'number') return us;
    let r = s.copyUp();
    if (r < 0) return r;
    if (d) {
      r = d.copyUp();
      if (r < 0) return r;
      if (!(flags & RENAME_EXCHANGE) && d.isDir() && d.upper instanceof TmpDir) {
        // The merged view is empty; clear upper-only whiteouts so the upper rename accepts it.
        for (const [n, e] of d.upper.entries) if (e instanceof Whiteout) d.upper.entries.delete(n);
      }
    }
    // Two names of one (copied-up) file: nothing to do either.
    if (d && d.upper === s.upper) return 0;
    r = us.rename(name, ud, newName, flags & (RENAME_NOREPLACE | RENAME_EXCHANGE));
    if (r < 0) return r;
    if (!(flags & RENAME_EXCHANGE) && this.lowerHas(name)) us.setWhiteout(name);
    // The inodes move with their names.
    this.kids.delete(name);
    if (d && flags & RENAME_EXCHANGE) {
      this.kids.set(name, d);
      d.parent = this;
      d.name = name;
    } else if (d) {
      d.removed = true;
    }
    newDir.kids.set(newName, s);
    s.parent = newDir;
    s.name = newName;
    return 0;
  }

  /**
   * A description opened before a copy-up belongs to the lower file: its
   * release must not count against the upper one, whose bytes are freed when
   * its last name and open are gone. Which description goes is not known
   * here, so releases are charged to the lower file first: the upper one is
   * then freed late (when all are gone), never early.
   */
  override release(flags: number): void {
    if (this.lowerOpens > 0) {
      this.lowerOpens--;
      this.lower!.release(flags);
    } else {
      this.real().release(flags);
    }
  }

  override setattr(a: SetAttr): number {
    const r = this.copyUp();
    return r < 0 ? r : this.upper!.setattr(a);
  }
}
