// The overlay root: a read-only lower layer (a host directory, or image
// layers merged by LayeredFs) under a writable upper layer held by the sentry
// (in memory by default, or a directory on disk: see upper.ts and
// diskupper.ts). Rules, as overlayfs: an upper entry hides the lower one; a
// whiteout hides a lower name; a file is copied up on its first write or
// metadata change; an upper directory merges with exactly the lower
// directory it was copied up from (its origin, kept across renames where the
// upper layer can); a directory made in the upper layer merges with nothing.
// Inode numbers of lower objects survive copy-up.
import { E } from '../../abi/errno.js';
import { O_ACCMODE, O_RDONLY, O_TRUNC } from '../../abi/flags.js';
import type { Creds } from '../../vfs/creds.js';
import { type DirEntry, type FileSystem, Inode, type Opened, type SetAttr, type Stat, type StatfsInfo } from '../../vfs/inode.js';
import { allocDev } from '../devices.js';
import { TmpfsUpper, type UpperLayer, WHITEOUT } from './upper.js';

const RENAME_NOREPLACE = 1;
const RENAME_EXCHANGE = 2;
const RENAME_WHITEOUT = 4;
const OVERLAYFS_MAGIC = 0x794c7630;

export class OverlayFs implements FileSystem {
  readonly name = 'overlay';
  readonly dev = allocDev();
  readonly readOnly = false;
  readonly upper: UpperLayer;
  readonly root: OverlayInode;

  constructor(
    readonly lower: Inode,
    upper?: UpperLayer,
  ) {
    this.upper = upper ?? new TmpfsUpper(lower);
    this.root = new OverlayInode(this, null, '', this.upper.root, lower);
  }

  /** As overlayfs: the upper layer's filesystem (an on-disk upper's host filesystem; none for memory). */
  statfs(): StatfsInfo | number {
    const s = this.upper.fs.statfs?.();
    if (s === undefined || typeof s === 'number') return -E.ENOSYS;
    return { ...s, type: OVERLAYFS_MAGIC };
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
    public upper: Inode | null,
    /** The lower object; for a directory with an upper one, the lower directory it merges with. */
    readonly lower: Inode | null,
  ) {
    super(ofs);
    const base = lower ?? upper!;
    const st = base.stat();
    // Another name of a file copied up in this run keeps the number it had below.
    this.ino = (!lower && upper && ofs.upper.inoOf?.(upper)) || (typeof st === 'number' ? 0 : st.ino);
  }

  private real(): Inode {
    return this.upper ?? this.lower!;
  }

  override backing(): Inode {
    return this.real();
  }

  override get mode(): number {
    return this.real().mode;
  }

  stat(): Stat | number {
    const st = this.real().stat();
    if (typeof st === 'number') return st;
    st.dev = this.ofs.dev;
    st.ino = this.ino;
    // A lower object whose name was removed is no link of the merged tree (fstat of an open deleted file: 0).
    if (this.removed && !this.upper) st.nlink = 0;
    // A merged directory's link count is not its upper copy's; 1 tells tools
    // (find's leaf optimisation) to count nothing from it, as overlayfs does.
    // The memory upper layer keeps merged counts itself.
    if (!this.ofs.upper.keepsOrigin && this.upper && this.lower && this.isDir()) st.nlink = 1;
    return st;
  }

  override lookup(name: string): Inode | null | number {
    if (!this.isDir()) return -E.ENOTDIR;
    const hit = this.kids.get(name);
    if (hit) return hit;
    const L = this.ofs.upper;
    let u: Inode | null = null;
    let l: Inode | null = null;
    const lowerAt = (): Inode | null | number => (this.lower ? this.lower.lookup(name) : null);
    if (this.upper?.isDir()) {
      const e = L.entry(this.upper, name);
      if (e === WHITEOUT) return null;
      if (typeof e === 'number') return e;
      u = e;
      if (u?.isDir()) {
        l = L.origin(u, () => {
          const r = lowerAt();
          return r !== null && typeof r !== 'number' && r.isDir() ? r : null;
        });
      } else if (!u) {
        const r = lowerAt();
        if (typeof r === 'number') return r;
        l = r;
      }
    } else {
      const r = lowerAt();
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
    let hidden: Set<string> | null = null;
    if (this.upper) {
      const ls = this.ofs.upper.list(this.upper);
      if (typeof ls === 'number') return ls;
      out.push(...ls.entries);
      hidden = ls.names;
    }
    if (this.lower) {
      const ls = this.lower.readdir();
      if (typeof ls === 'number') return ls;
      for (const e of ls) if (!hidden?.has(e.name)) out.push(e);
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
    let pu: Inode | null = null;
    if (!this.removed) {
      const pr = this.parent.copyUp();
      if (pr < 0) return pr;
      if (!this.parent.upper?.isDir()) return -E.EIO;
      pu = this.parent.upper;
    }
    const st = this.lower.stat();
    if (typeof st === 'number') return st;
    st.ino = this.ino;
    const node = this.ofs.upper.copyUp(pu, this.name, this.lower, st);
    if (typeof node === 'number') return node;
    this.upper = node;
    return 0;
  }

  private upperDir(): Inode | number {
    const r = this.copyUp();
    if (r < 0) return r;
    return this.upper?.isDir() ? this.upper : -E.ENOTDIR;
  }

  private wrap(name: string, r: Inode | number): Inode | number {
    if (typeof r === 'number') return r;
    const n = new OverlayInode(this.ofs, this, name, r, null);
    this.kids.set(name, n);
    return n;
  }

  override create(name: string, mode: number, creds: Creds): Inode | number {
    const u = this.upperDir();
    return typeof u === 'number' ? u : this.wrap(name, this.ofs.upper.create(u, name, mode, creds));
  }

  override tmpfile(mode: number, creds: Creds): Inode | number {
    // overlayfs makes it in the upper layer, after copying up the directory.
    const u = this.upperDir();
    if (typeof u === 'number') return u;
    const f = u.tmpfile(mode, creds);
    if (typeof f === 'number') return f;
    const n = new OverlayInode(this.ofs, this, '', f, null);
    n.removed = true; // no name in the merged view; copy-up and rename never look for one
    return n;
  }

  override mkdir(name: string, mode: number, creds: Creds): Inode | number {
    const u = this.upperDir();
    return typeof u === 'number' ? u : this.wrap(name, this.ofs.upper.mkdir(u, name, mode, creds, this.lowerHas(name)));
  }

  override mknod(name: string, mode: number, rdev: number, creds: Creds): Inode | number {
    const u = this.upperDir();
    return typeof u === 'number' ? u : this.wrap(name, this.ofs.upper.mknod(u, name, mode, rdev, creds));
  }

  override symlink(name: string, target: string, creds: Creds): Inode | number {
    const u = this.upperDir();
    return typeof u === 'number' ? u : this.wrap(name, this.ofs.upper.symlink(u, name, target, creds));
  }

  override link(name: string, target: Inode): number {
    if (!(target instanceof OverlayInode) || target.ofs !== this.ofs) return -E.EXDEV;
    const tr = target.copyUp();
    if (tr < 0) return tr;
    const u = this.upperDir();
    return typeof u === 'number' ? u : this.ofs.upper.link(u, name, target.upper!);
  }

  /** Removes `name` from the merged view: drop the upper entry, whiteout the lower. */
  private remove(name: string, child: OverlayInode, dir: boolean): number {
    const u = this.upperDir();
    if (typeof u === 'number') return u;
    const r = this.ofs.upper.remove(u, name, dir, child.upper !== null, child.lower !== null || this.lowerHas(name));
    if (r < 0) return r;
    child.removed = true;
    this.kids.delete(name);
    return 0;
  }

  /** Whether the lower layer has `name` here (hidden or not). */
  private lowerHas(name: string): boolean {
    if (!this.lower?.isDir()) return false;
    const r = this.lower.lookup(name);
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
      if (s.isDir() && !d.isDir()) return -E.ENOTDIR;
      if (!s.isDir() && d.isDir()) return -E.EISDIR;
      if (d.isDir()) {
        const ls = d.readdir();
        if (typeof ls === 'number') return ls;
        if (ls.length) return -E.ENOTEMPTY;
      }
    }
    const L = this.ofs.upper;
    if (!L.keepsOrigin) {
      // A merged directory cannot move where origins are found by path.
      if (s.isDir() && s.lower) return -E.EXDEV;
      if (d && flags & RENAME_EXCHANGE && d.isDir() && d.lower) return -E.EXDEV;
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
      if (!(flags & RENAME_EXCHANGE) && d.isDir() && d.upper) {
        // The merged view is empty; clear upper-only whiteouts so the upper rename accepts it.
        r = L.clear(d.upper);
        if (r < 0) return r;
      }
    }
    // Two names of one (copied-up) file: nothing to do either.
    if (d && d.upper === s.upper) return 0;
    const hideOld = !(flags & RENAME_EXCHANGE) && this.lowerHas(name);
    r = L.rename(
      us, name, ud, newName, flags & (RENAME_NOREPLACE | RENAME_EXCHANGE), hideOld,
      s.isDir() && newDir.lowerHas(newName), !!(d && flags & RENAME_EXCHANGE && d.isDir() && this.lowerHas(name)),
    );
    if (r < 0) return r;
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

  override writable(pos: number, len: number): number {
    return this.real().writable(pos, len);
  }

  override setattr(a: SetAttr): number {
    const r = this.copyUp();
    return r < 0 ? r : this.upper!.setattr(a);
  }
}
