// The overlay's upper layer in a host directory (`--upper DIR`), for jobs
// whose writes do not fit in memory. The directory is laid out as an OCI
// image layer diff: the sandbox's files and directories under their own
// names, a deleted lower name as an empty file `.wh.NAME`, a directory that
// must not merge with the lower one at its path (made where the lower layer
// had that name) holding `.wh..wh..opq`. A directory merges with the lower
// directory at its path unless it is opaque, so DIR can be reused by a
// later run or packed as a layer.
//
// The host objects belong to the sentry's host user; the owners and modes
// the guest gave them are kept by HostFs's 'sentry' ownership (an xattr, see
// hostfs.ts), so a non-root host user can keep root's files, and no set-id
// file is ever made on the host. DIR's own names (`.wh.*`) are never shown to
// the guest, and the sandbox hides DIR itself from every other tree (the
// lower layer, binds) so its contents have no other name inside.
import { E } from '../../abi/errno.js';
import {
  O_CLOEXEC, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_WRONLY, RESOLVE_BENEATH, RESOLVE_NO_MAGICLINKS,
  RESOLVE_NO_SYMLINKS, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG,
} from '../../abi/flags.js';
import { close, copyAll, openat2, unlinkat } from '../../platform/host.js';
import { Creds } from '../../vfs/creds.js';
import type { Inode, Stat } from '../../vfs/inode.js';
import { HostFs, HostInode, type InoMap } from '../host/hostfs.js';
import { TmpfsUpper, type UpperLayer, type UpperListing, WHITEOUT, type Whited } from './upper.js';

const RESOLVE = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
export const WH_PREFIX = '.wh.';
export const WH_OPAQUE = '.wh..wh..opq';
const RENAME_EXCHANGE = 2;

/** What a directory of DIR holds besides its entries; read once (the sentry is DIR's only writer). */
interface DirMarks {
  whiteouts: Set<string>;
  opaque: boolean;
}

function identity(h: HostInode): string {
  const s = h.known();
  return `${s.devMajor}:${s.devMinor}:${s.ino}`;
}

export class DiskUpper implements UpperLayer {
  readonly fs: HostFs;
  readonly root: HostInode;
  readonly keepsOrigin = false;
  private readonly marks = new WeakMap<HostInode, DirMarks>();
  /** Inode numbers copied-up objects had below (this run), by host identity: their other names show it too. */
  private readonly copiedIno = new Map<string, number>();
  /** Copies of files whose name is gone (written through /proc/self/fd): memory, not DIR. */
  private readonly nameless: TmpfsUpper;

  constructor(dir: string, lowerRoot: Inode, inoMap: InoMap) {
    this.fs = new HostFs(dir, { readOnly: false, ownership: 'sentry', inoMap });
    this.root = this.fs.root;
    this.nameless = new TmpfsUpper(lowerRoot);
    // The merged root shows the lower root's owner and mode, unless DIR records its own.
    const st = lowerRoot.stat();
    if (typeof st !== 'number' && !this.root.ownerRecorded()) {
      this.root.setOwner({ uid: st.uid, gid: st.gid, perm: st.mode & 0o7777 });
    }
  }

  private dir(d: Inode): HostInode {
    if (!(d instanceof HostInode) || d.hfs !== this.fs) throw new Error('overlay: upper directory of another layer');
    return d;
  }

  private marksOf(d: HostInode): DirMarks | number {
    const hit = this.marks.get(d);
    if (hit) return hit;
    const ls = d.readdir();
    if (typeof ls === 'number') return ls;
    const m: DirMarks = { whiteouts: new Set(), opaque: false };
    for (const e of ls) {
      if (e.name === WH_OPAQUE) m.opaque = true;
      else if (e.name.startsWith(WH_PREFIX)) m.whiteouts.add(e.name.slice(WH_PREFIX.length));
    }
    this.marks.set(d, m);
    return m;
  }

  /** An empty marker file (a whiteout, the opaque marker) in an upper directory. */
  private touch(d: HostInode, name: string): number {
    const dfd = this.fs.dirFd(d);
    if (dfd < 0) return dfd;
    const fd = openat2(dfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600, RESOLVE);
    if (fd === -E.EEXIST) return 0;
    if (fd < 0) return fd;
    close(fd);
    return 0;
  }

  private rm(d: HostInode, name: string): number {
    const dfd = this.fs.dirFd(d);
    if (dfd < 0) return dfd;
    const r = unlinkat(dfd, name, 0);
    return r === -E.ENOENT ? 0 : r;
  }

  private setWhiteout(d: HostInode, name: string): number {
    const m = this.marksOf(d);
    if (typeof m === 'number') return m;
    const r = this.touch(d, WH_PREFIX + name);
    if (r < 0) return r;
    m.whiteouts.add(name);
    return 0;
  }

  private dropWhiteout(d: HostInode, name: string): number {
    const m = this.marksOf(d);
    if (typeof m === 'number') return m;
    if (!m.whiteouts.has(name)) return 0;
    const r = this.rm(d, WH_PREFIX + name);
    if (r < 0) return r;
    m.whiteouts.delete(name);
    return 0;
  }

  private setOpaque(d: HostInode): number {
    const m = this.marksOf(d);
    if (typeof m === 'number') return m;
    if (m.opaque) return 0;
    const r = this.touch(d, WH_OPAQUE);
    if (r < 0) return r;
    m.opaque = true;
    return 0;
  }

  entry(dir: Inode, name: string): Inode | Whited | null | number {
    // DIR's own names have no meaning in the merged tree.
    if (name.startsWith(WH_PREFIX)) return null;
    const d = this.dir(dir);
    const m = this.marksOf(d);
    if (typeof m === 'number') return m;
    if (m.whiteouts.has(name)) return WHITEOUT;
    return d.lookup(name);
  }

  list(dir: Inode): UpperListing | number {
    const d = this.dir(dir);
    const ls = d.readdir();
    if (typeof ls === 'number') return ls;
    const m = this.marksOf(d);
    if (typeof m === 'number') return m;
    const entries = ls.filter((e) => !e.name.startsWith(WH_PREFIX));
    const names = new Set(m.whiteouts);
    for (const e of entries) names.add(e.name);
    return { entries, names };
  }

  origin(dir: Inode, atPath: () => Inode | null): Inode | null {
    const m = this.marksOf(this.dir(dir));
    if (typeof m === 'number' || m.opaque) return null;
    return atPath();
  }

  /** Runs `make` for a new entry, then lets go of a whiteout the name had. */
  private made(dir: HostInode, name: string, r: Inode | number): Inode | number {
    if (typeof r === 'number') return r;
    const w = this.dropWhiteout(dir, name);
    return w < 0 ? w : r;
  }

  create(dir: Inode, name: string, mode: number, creds: Creds): Inode | number {
    if (name.startsWith(WH_PREFIX)) return -E.EPERM;
    const d = this.dir(dir);
    return this.made(d, name, d.create(name, mode, creds));
  }

  mkdir(dir: Inode, name: string, mode: number, creds: Creds, opaque: boolean): Inode | number {
    if (name.startsWith(WH_PREFIX)) return -E.EPERM;
    const d = this.dir(dir);
    const n = d.mkdir(name, mode, creds);
    if (typeof n === 'number') return n;
    this.marks.set(n as HostInode, { whiteouts: new Set(), opaque: false });
    if (opaque) {
      const r = this.setOpaque(n as HostInode);
      if (r < 0) return r;
    }
    return this.made(d, name, n);
  }

  mknod(dir: Inode, name: string, mode: number, rdev: number, creds: Creds): Inode | number {
    if (name.startsWith(WH_PREFIX)) return -E.EPERM;
    const d = this.dir(dir);
    return this.made(d, name, d.mknod(name, mode, rdev, creds));
  }

  symlink(dir: Inode, name: string, target: string, creds: Creds): Inode | number {
    if (name.startsWith(WH_PREFIX)) return -E.EPERM;
    const d = this.dir(dir);
    return this.made(d, name, d.symlink(name, target, creds));
  }

  link(dir: Inode, name: string, target: Inode): number {
    if (name.startsWith(WH_PREFIX)) return -E.EPERM;
    const d = this.dir(dir);
    const r = d.link(name, target);
    return r < 0 ? r : this.dropWhiteout(d, name);
  }

  copyUp(dir: Inode | null, name: string, lower: Inode, st: Stat): Inode | number {
    if (!dir) return this.nameless.copyUp(null, name, lower, st);
    const d = this.dir(dir);
    const creds = Creds.user(st.uid, st.gid);
    const perm = st.mode & 0o7777;
    let n: Inode | number;
    switch (st.mode & S_IFMT) {
      case S_IFDIR:
        n = d.mkdir(name, perm, creds);
        if (typeof n !== 'number') this.marks.set(n as HostInode, { whiteouts: new Set(), opaque: false });
        break;
      case S_IFREG: {
        n = d.create(name, perm, creds);
        if (typeof n === 'number') break;
        const r = this.copyData(d, name, lower, st.size);
        if (r < 0) {
          this.rm(d, name);
          return r;
        }
        break;
      }
      case S_IFLNK: {
        const target = lower.readlink();
        if (typeof target === 'number') return target;
        n = d.symlink(name, target, creds);
        break;
      }
      case S_IFIFO:
        n = d.mknod(name, S_IFIFO | perm, 0, creds);
        break;
      default:
        // Device nodes and sockets of the lower layer: nothing on disk can stand for them.
        return -E.EPERM;
    }
    if (typeof n === 'number') return n;
    const h = n as HostInode;
    // Exact owner and mode (creation applied the set-group-ID directory rule), and the lower times.
    let r = h.setOwner({ uid: st.uid, gid: st.gid, perm });
    if (r === 0) r = h.setattr({ atime: st.atime, mtime: st.mtime });
    if (r < 0) {
      if ((st.mode & S_IFMT) === S_IFDIR) d.rmdir(name);
      else d.unlink(name);
      return r;
    }
    this.copiedIno.set(identity(h), st.ino);
    return h;
  }

  inoOf(upper: Inode): number | undefined {
    return upper instanceof HostInode ? this.copiedIno.get(identity(upper)) : undefined;
  }

  private copyData(d: HostInode, name: string, lower: Inode, size: number): number {
    const src = lower.open(O_RDONLY);
    if (typeof src === 'number') return src;
    const dfd = this.fs.dirFd(d);
    const fd = dfd < 0 ? dfd : openat2(dfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0, RESOLVE);
    let r = fd;
    if (fd >= 0) {
      r = copyAll(src.hostFd, fd, size);
      close(fd);
    }
    close(src.hostFd);
    lower.release(O_RDONLY);
    return r < 0 ? r : 0;
  }

  remove(dir: Inode, name: string, isDir: boolean, hasUpper: boolean, hideLower: boolean): number {
    const d = this.dir(dir);
    if (hasUpper) {
      let r = isDir ? d.rmdir(name) : d.unlink(name);
      if (r === -E.ENOTEMPTY && isDir) {
        // Only whiteouts (and an opaque marker) remain: the merged view is empty.
        const c = d.lookup(name);
        if (c instanceof HostInode) {
          r = this.clear(c);
          if (r === 0) r = d.rmdir(name);
        }
      }
      if (r < 0) return r;
    }
    return hideLower ? this.setWhiteout(d, name) : 0;
  }

  clear(dir: Inode): number {
    const d = this.dir(dir);
    const m = this.marksOf(d);
    if (typeof m === 'number') return m;
    for (const w of [...m.whiteouts]) {
      const r = this.rm(d, WH_PREFIX + w);
      if (r < 0) return r;
      m.whiteouts.delete(w);
    }
    if (m.opaque) {
      const r = this.rm(d, WH_OPAQUE);
      if (r < 0) return r;
      m.opaque = false;
    }
    return 0;
  }

  rename(
    dir: Inode, name: string, newDir: Inode, newName: string, flags: number, hideLower: boolean, opaqueNew: boolean, opaqueOld: boolean,
  ): number {
    if (newName.startsWith(WH_PREFIX)) return -E.EPERM;
    const d = this.dir(dir);
    const nd = this.dir(newDir);
    let r = d.rename(name, nd, newName, flags);
    if (r < 0) return r;
    if (!(flags & RENAME_EXCHANGE)) {
      r = this.dropWhiteout(nd, newName);
      if (r < 0) return r;
    }
    if (hideLower) {
      r = this.setWhiteout(d, name);
      if (r < 0) return r;
    }
    const opaqueAt = (p: HostInode, n: string): number => {
      const c = p.lookup(n);
      return c instanceof HostInode && c.isDir() ? this.setOpaque(c) : 0;
    };
    if (opaqueNew) {
      r = opaqueAt(nd, newName);
      if (r < 0) return r;
    }
    return opaqueOld ? opaqueAt(d, name) : 0;
  }

  dispose(): void {
    this.fs.dispose();
  }
}
