// What the overlay needs from its upper layer, and the layer in memory (a
// tmpfs, the default). The overlay decides what the merged tree shows; an
// upper layer stores the sandbox's changes: its own objects, whiteouts (a
// name that hides the lower one) and, for each of its directories, which
// lower directory it merges with (none for a directory made in the upper
// layer: it is "opaque").
import { E } from '../../abi/errno.js';
import { O_RDONLY, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from '../../abi/flags.js';
import { close, copyAll, memfdCreate } from '../../platform/host.js';
import type { Creds } from '../../vfs/creds.js';
import type { DirEntry, FileSystem, Inode, Stat } from '../../vfs/inode.js';
import { TmpDir, TmpFile, type TmpInode, TmpNode, TmpSymlink, Tmpfs, Whiteout } from '../tmpfs/tmpfs.js';

export const WHITEOUT = 'whiteout';
export type Whited = typeof WHITEOUT;

export interface UpperListing {
  /** What the directory shows. */
  entries: DirEntry[];
  /** Every name it has, shown or whited out: the lower names it hides. */
  names: Set<string>;
}

export interface UpperLayer {
  readonly fs: FileSystem;
  /** The upper directory of the overlay's root. */
  readonly root: Inode;
  /**
   * Whether a directory keeps the lower directory it merges with across
   * renames. A layer that finds it by path (on disk, as OCI layers do) cannot
   * rename a merged directory: the overlay answers EXDEV, as overlayfs does
   * without redirect_dir, and `mv` copies instead.
   */
  readonly keepsOrigin: boolean;
  /** An entry of an upper directory: its inode, WHITEOUT, null when absent, or -errno. */
  entry(dir: Inode, name: string): Inode | Whited | null | number;
  list(dir: Inode): UpperListing | number;
  /**
   * The lower directory an upper directory `dir` merges with. `atPath` is the
   * lower object at the same path (what a layer without memory of origins uses).
   */
  origin(dir: Inode, atPath: () => Inode | null): Inode | null;
  create(dir: Inode, name: string, mode: number, creds: Creds): Inode | number;
  /** `opaque`: the lower layer has this name; the new directory must not merge with it. */
  mkdir(dir: Inode, name: string, mode: number, creds: Creds, opaque: boolean): Inode | number;
  mknod(dir: Inode, name: string, mode: number, rdev: number, creds: Creds): Inode | number;
  symlink(dir: Inode, name: string, target: string, creds: Creds): Inode | number;
  link(dir: Inode, name: string, target: Inode): number;
  /**
   * A copy of the lower object `lower` (metadata `st`) as `name` in `dir`; a
   * directory merges with `lower`. With `dir` null the copy has no name (an
   * open file whose name is gone, written through /proc/self/fd).
   */
  copyUp(dir: Inode | null, name: string, lower: Inode, st: Stat): Inode | number;
  /**
   * Removes `name` from the merged view: the upper entry, if `hasUpper` (a
   * directory whose merged view is empty may still hold whiteouts), and
   * leaves a whiteout when `hideLower`. `isDir`: the entry is a directory.
   */
  remove(dir: Inode, name: string, isDir: boolean, hasUpper: boolean, hideLower: boolean): number;
  /** Makes an upper directory hold no whiteouts (its merged view is empty and it is being replaced). */
  clear(dir: Inode): number;
  /**
   * Moves an upper entry (flags: RENAME_NOREPLACE/EXCHANGE); a whiteout at
   * the target goes. `hideLower`: leave a whiteout at the old name.
   * `opaqueNew` / `opaqueOld`: the directory that lands at the new / (with
   * RENAME_EXCHANGE) old name must not merge with what the lower layer has there.
   */
  rename(
    dir: Inode, name: string, newDir: Inode, newName: string, flags: number, hideLower: boolean, opaqueNew: boolean, opaqueOld: boolean,
  ): number;
  /** The inode number a copied-up object had below, for its other names (hard links), where the layer knows it. */
  inoOf?(upper: Inode): number | undefined;
  /** Lets go of host resources (fds) the layer holds. */
  dispose(): void;
}

/** The upper layer in memory: a tmpfs, whose directories hold Whiteout entries and their lower origin. */
export class TmpfsUpper implements UpperLayer {
  readonly fs: Tmpfs;
  readonly root: TmpDir;
  readonly keepsOrigin = true;

  constructor(lowerRoot: Inode, opts: { size?: number } = {}) {
    // Upper-only inode numbers start far above any host inode number.
    this.fs = new Tmpfs({ mode: 0o755, size: opts.size }, 2 ** 50);
    this.root = this.fs.root;
    const st = lowerRoot.stat();
    if (typeof st !== 'number') {
      this.root.modeBits = st.mode;
      this.root.uid = st.uid;
      this.root.gid = st.gid;
      this.root.nlink = st.nlink;
    }
    this.root.lowerOrigin = lowerRoot;
  }

  private dir(d: Inode): TmpDir {
    if (!(d instanceof TmpDir)) throw new Error('overlay: upper directory of another layer');
    return d;
  }

  entry(dir: Inode, name: string): Inode | Whited | null {
    const e = this.dir(dir).entries.get(name);
    if (e instanceof Whiteout) return WHITEOUT;
    return e ?? null;
  }

  list(dir: Inode): UpperListing {
    const d = this.dir(dir);
    return { entries: d.readdir(), names: new Set(d.entries.keys()) };
  }

  origin(dir: Inode): Inode | null {
    return this.dir(dir).lowerOrigin;
  }

  create(dir: Inode, name: string, mode: number, creds: Creds): Inode | number {
    return this.dir(dir).create(name, mode, creds);
  }

  mkdir(dir: Inode, name: string, mode: number, creds: Creds): Inode | number {
    // A new TmpDir has no lower origin: it is opaque by construction.
    return this.dir(dir).mkdir(name, mode, creds);
  }

  mknod(dir: Inode, name: string, mode: number, rdev: number, creds: Creds): Inode | number {
    return this.dir(dir).mknod(name, mode, rdev, creds);
  }

  symlink(dir: Inode, name: string, target: string, creds: Creds): Inode | number {
    return this.dir(dir).symlink(name, target, creds);
  }

  link(dir: Inode, name: string, target: Inode): number {
    return this.dir(dir).link(name, target);
  }

  copyUp(dir: Inode | null, name: string, lower: Inode, st: Stat): Inode | number {
    const up = this.fs;
    let node: TmpInode;
    switch (st.mode & S_IFMT) {
      case S_IFDIR: {
        const d = new TmpDir(up, st.mode, st.uid, st.gid);
        d.lowerOrigin = lower;
        // The parent's count already includes this directory (it came from the lower layer).
        d.nlink = st.nlink;
        node = d;
        break;
      }
      case S_IFREG: {
        const space = up.spaceFor(st.size);
        if (space < 0) return space;
        const src = lower.open(O_RDONLY);
        if (typeof src === 'number') return src;
        const mfd = memfdCreate('tsvisor-upper', 1);
        if (mfd < 0) {
          close(src.hostFd);
          return mfd;
        }
        const n = copyAll(src.hostFd, mfd, st.size);
        close(src.hostFd);
        lower.release(O_RDONLY);
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
        const target = lower.readlink();
        if (typeof target === 'number') return target;
        node = new TmpSymlink(up, target, st.uid, st.gid);
        break;
      }
      default:
        node = new TmpNode(up, st.mode, st.uid, st.gid, st.rdev);
    }
    node.ino = st.ino;
    node.atime = st.atime;
    node.mtime = st.mtime;
    node.ctime = st.ctime;
    node.btime = st.btime;
    if (dir) this.dir(dir).entries.set(name, node);
    else {
      // No name: its bytes go when the open it was made for is released.
      node.nlink = 0;
      if (node instanceof TmpFile) up.files.delete(node);
    }
    return node;
  }

  remove(dir: Inode, name: string, isDir: boolean, hasUpper: boolean, hideLower: boolean): number {
    const u = this.dir(dir);
    if (hasUpper) {
      const r = isDir ? u.rmdir(name) : u.unlink(name);
      if (r < 0 && r !== -E.ENOTEMPTY) return r;
      if (r === -E.ENOTEMPTY) {
        // Only whiteouts remain in the upper dir: the merged view is empty.
        u.removeEntry(name);
        u.nlink--;
      }
    } else if (isDir) {
      u.nlink--; // a lower directory leaves the merged view
    }
    if (hideLower) u.setWhiteout(name);
    return 0;
  }

  clear(dir: Inode): number {
    const d = this.dir(dir);
    for (const [n, e] of d.entries) if (e instanceof Whiteout) d.entries.delete(n);
    return 0;
  }

  rename(dir: Inode, name: string, newDir: Inode, newName: string, flags: number, hideLower: boolean): number {
    const us = this.dir(dir);
    const r = us.rename(name, this.dir(newDir), newName, flags);
    if (r < 0) return r;
    if (hideLower) us.setWhiteout(name);
    return 0;
  }

  dispose(): void {
    this.fs.dispose();
  }
}
