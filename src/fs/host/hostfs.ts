// A host directory tree seen through the sentry (the lower layer of the
// overlay root). Every host access is fd-relative: children are looked up
// with statx on the parent's O_PATH fd by a single component, and opened with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), so a
// host path string is never built from guest input and symlinks are only
// ever followed by the sentry.
import { openSync, closeSync, constants as fsc } from 'node:fs';
import { E } from '../../abi/errno.js';
import {
  O_ACCMODE, O_APPEND, O_CLOEXEC, O_DIRECT, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK, O_PATH, O_RDONLY, O_TRUNC,
  RESOLVE_BENEATH, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_SYMLINKS, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG,
} from '../../abi/flags.js';
import { AT_SYMLINK_NOFOLLOW, close, getdents64, type HostStat, openat2, readlinkAt, statAt, fstat } from '../../platform/host.js';
import { type DirEntry, type FileSystem, Inode, type Opened, type Stat } from '../../vfs/inode.js';
import { allocDev, makedev } from '../devices.js';

/** getdents64 buffer, reused (the sentry is single-threaded and readdir does not nest). */
const direntBuf = Buffer.allocUnsafe(32768);

const RESOLVE = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
const DIR_FD_CACHE = 256;

export interface HostFsOptions {
  readOnly: boolean;
}

export class HostFs implements FileSystem {
  readonly name = 'host';
  readonly dev = allocDev();
  readonly readOnly: boolean;
  readonly rootFd: number;
  readonly root: HostInode;
  private readonly devIndex = new Map<number, number>();
  /** O_PATH fds of recently used directories, least recently used first. */
  private readonly dirFds = new Map<HostInode, number>();

  constructor(
    readonly hostPath: string,
    opts: HostFsOptions,
  ) {
    this.readOnly = opts.readOnly;
    this.rootFd = openSync(hostPath, fsc.O_RDONLY | O_PATH | fsc.O_DIRECTORY | O_CLOEXEC);
    const st = fstat(this.rootFd);
    if (typeof st === 'number') throw new Error(`tsvisor: cannot stat ${hostPath}`);
    this.root = new HostInode(this, null, '', st);
  }

  /** Inode numbers stay unique across the host devices a layer spans. */
  mapIno(st: HostStat): number {
    return this.mapInoOn(st.devMajor, st.devMinor, st.ino);
  }

  mapInoOn(devMajor: number, devMinor: number, ino: number): number {
    const key = makedev(devMajor, devMinor);
    let idx = this.devIndex.get(key);
    if (idx === undefined) {
      idx = this.devIndex.size;
      this.devIndex.set(key, idx);
    }
    return idx === 0 ? ino : ino + idx * 2 ** 44;
  }

  dirFd(d: HostInode): number {
    if (!d.parent) return this.rootFd;
    const hit = this.dirFds.get(d);
    if (hit !== undefined) {
      this.dirFds.delete(d);
      this.dirFds.set(d, hit);
      return hit;
    }
    const pfd = this.dirFd(d.parent);
    if (pfd < 0) return pfd;
    const fd = openat2(pfd, d.name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, RESOLVE);
    if (fd < 0) return fd;
    this.dirFds.set(d, fd);
    if (this.dirFds.size > DIR_FD_CACHE) {
      const [oldest, ofd] = this.dirFds.entries().next().value as [HostInode, number];
      this.dirFds.delete(oldest);
      close(ofd);
    }
    return fd;
  }

  dispose(): void {
    for (const fd of this.dirFds.values()) close(fd);
    this.dirFds.clear();
    closeSync(this.rootFd);
  }
}

export class HostInode extends Inode {
  private st: HostStat;
  /** A symlink's target, kept when the layer is read-only (it cannot change under us). */
  private target: string | null = null;

  constructor(
    readonly hfs: HostFs,
    readonly parent: HostInode | null,
    readonly name: string,
    st: HostStat,
  ) {
    super(hfs);
    this.st = st;
  }

  override get mode(): number {
    return this.st.mode;
  }

  hostStat(): HostStat {
    return this.st;
  }

  stat(): Stat {
    const s = this.st;
    return {
      dev: this.fs.dev,
      ino: this.hfs.mapIno(s),
      mode: s.mode,
      nlink: s.nlink,
      uid: s.uid,
      gid: s.gid,
      rdev: makedev(s.rdevMajor, s.rdevMinor),
      size: s.size,
      blksize: s.blksize,
      blocks: s.blocks,
      atime: { sec: s.atimeSec, nsec: s.atimeNsec },
      mtime: { sec: s.mtimeSec, nsec: s.mtimeNsec },
      ctime: { sec: s.ctimeSec, nsec: s.ctimeNsec },
      btime: { sec: s.btimeSec, nsec: s.btimeNsec },
    };
  }

  override lookup(name: string): Inode | null | number {
    if ((this.st.mode & S_IFMT) !== S_IFDIR) return -E.ENOTDIR;
    const fd = this.hfs.dirFd(this);
    if (fd < 0) return fd;
    const st = statAt(fd, name, AT_SYMLINK_NOFOLLOW);
    if (st === -E.ENOENT) return null;
    if (typeof st === 'number') return st;
    return new HostInode(this.hfs, this, name, st);
  }

  override readdir(): DirEntry[] | number {
    const pfd = this.hfs.dirFd(this);
    if (pfd < 0) return pfd;
    const fd = openat2(pfd, '.', O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, RESOLVE);
    if (fd < 0) return fd;
    const out: DirEntry[] = [];
    const buf = direntBuf;
    const devSt = this.st;
    try {
      for (;;) {
        const n = getdents64(fd, buf);
        if (n < 0) return n;
        if (n === 0) break;
        for (let off = 0; off < n; ) {
          const reclen = buf.readUInt16LE(off + 16);
          const type = buf[off + 18]!;
          const end = buf.indexOf(0, off + 19);
          const name = buf.toString('latin1', off + 19, end < 0 || end > off + reclen ? off + reclen : end);
          if (name !== '.' && name !== '..') {
            const ino = Number(buf.readBigUInt64LE(off));
            out.push({ name, ino: this.hfs.mapInoOn(devSt.devMajor, devSt.devMinor, ino), type: type << 12 });
          }
          off += reclen;
        }
      }
    } finally {
      close(fd);
    }
    return out;
  }

  override readlink(): string | number {
    if ((this.st.mode & S_IFMT) !== S_IFLNK) return -E.EINVAL;
    if (!this.parent) return -E.EINVAL;
    if (this.target !== null) return this.target;
    const pfd = this.hfs.dirFd(this.parent);
    if (pfd < 0) return pfd;
    const t = readlinkAt(pfd, this.name);
    if (typeof t === 'string' && this.hfs.readOnly) this.target = t;
    return t;
  }

  override open(flags: number): Opened | number {
    const type = this.st.mode & S_IFMT;
    if (type === S_IFDIR) return -E.EISDIR;
    // Host FIFOs would block the sentry and host device nodes are not ours.
    if (type !== S_IFREG) return -E.ENXIO;
    const writing = (flags & O_ACCMODE) !== O_RDONLY || (flags & O_TRUNC) !== 0;
    if (writing && this.hfs.readOnly) return -E.EROFS;
    if (!this.parent) return -E.EISDIR;
    const pfd = this.hfs.dirFd(this.parent);
    if (pfd < 0) return pfd;
    const hostFlags = (flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECT | O_TRUNC)) | O_NOFOLLOW | O_CLOEXEC;
    const fd = openat2(pfd, this.name, hostFlags, 0, RESOLVE);
    return fd < 0 ? fd : { hostFd: fd };
  }
}
