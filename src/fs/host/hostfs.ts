// A host directory tree seen through the sentry: the lower layer of the
// overlay root (read-only), image layers (read-only), bind mounts (read-only
// or writable) and an on-disk upper layer (writable, ownership kept by the
// sentry). Every host access is fd-relative: children are looked up with
// statx on the parent's O_PATH fd by a single component, opened with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), and
// changed with the *at calls on the parent's fd and one name (or on the
// object's own fd), so a host path string is never built from guest input and
// symlinks are only ever followed by the sentry.
//
// A read-only tree cannot change under us (we assume nobody changes the host
// directory while a sandbox uses it as a layer), so its metadata and symlink
// targets are cached. A writable one can change under us (by the guest, and
// by host processes sharing the directory): it caches nothing but the name
// tree and re-stats on demand.
import { openSync, closeSync, constants as fsc } from 'node:fs';
import { E } from '../../abi/errno.js';
import {
  AT_REMOVEDIR, F_DUPFD_CLOEXEC, O_ACCMODE, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_NONBLOCK,
  O_PATH, O_RDONLY, O_TRUNC, O_WRONLY, RESOLVE_BENEATH, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_SYMLINKS, S_IFDIR, S_IFIFO, S_IFLNK,
  S_IFMT, S_IFREG, S_ISGID, S_ISUID, SEEK_SET,
} from '../../abi/flags.js';
import {
  AT_SYMLINK_NOFOLLOW, close, fchmod, fchmodat, fchownat, fcntl, fstat, fstatfs, ftruncate, getdents64, type HostStat, linkat, lseek, mkdirat,
  mknodat, openat2, readlinkAt, renameat2, reopen, statAt, symlinkat, unlinkat, UTIME_NOW, UTIME_OMIT, utimensat, xattrGet,
  xattrRemove, xattrSet,
} from '../../platform/host.js';
import type { Creds } from '../../vfs/creds.js';
import {
  type DirEntry, type FileSystem, Inode, type Opened, type SetAttr, type Stat, type StatfsInfo, type Timespec,
} from '../../vfs/inode.js';
import { allocDev, makedev } from '../devices.js';
import { Fifo } from '../tmpfs/fifo.js';

/** getdents64 buffer, reused (the sentry is single-threaded and readdir does not nest). */
const direntBuf = Buffer.allocUnsafe(32768);

const RESOLVE = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
const DIR_FD_CACHE = 256;
const RENAME_NOREPLACE = 1;
const RENAME_EXCHANGE = 2;
/** Where a tree whose ownership the sentry keeps (an on-disk upper layer) stores it. */
export const OWNER_XATTR = 'user.tsvisor.stat';

/**
 * Host (device, inode) pairs made into inode numbers that stay unique across
 * every tree sharing the map (the layers and upper directory of one overlay
 * may sit on several host devices).
 */
export class InoMap {
  private readonly devIndex = new Map<number, number>();

  map(devMajor: number, devMinor: number, ino: number): number {
    const key = makedev(devMajor, devMinor);
    let idx = this.devIndex.get(key);
    if (idx === undefined) {
      idx = this.devIndex.size;
      this.devIndex.set(key, idx);
    }
    return idx === 0 ? ino : ino + idx * 2 ** 44;
  }
}

/** A name a tree never shows: `name` in the directory with host identity (dev, ino). */
export interface HiddenName {
  devMajor: number;
  devMinor: number;
  ino: number;
  name: string;
}

export interface HostFsOptions {
  readOnly: boolean;
  /**
   * 'host' (default): the host's owners and modes are the guest's. 'sentry':
   * the host objects belong to the sentry's host user with modes that keep
   * them usable by it, and the guest's owners and modes are kept in an xattr
   * (OWNER_XATTR) or, where the host takes none (symlinks, FIFOs), in memory.
   * For the overlay's on-disk upper layer, whose owners a non-root host user
   * could not set, and which must never hold set-id files on the host.
   */
  ownership?: 'host' | 'sentry';
  /** Names never shown nor usable (the upper directory, when it lies inside this tree). */
  hide?: HiddenName[];
  inoMap?: InoMap;
  /** What statfs reports as the type (default: the host's). */
  name?: string;
}

/** The guest's owner and mode of an object of a 'sentry'-owned tree. */
interface Owner {
  uid: number;
  gid: number;
  /** Permission bits (07777). */
  perm: number;
}

export class HostFs implements FileSystem {
  readonly name: string;
  readonly dev = allocDev();
  readonly readOnly: boolean;
  readonly rootFd: number;
  readonly root: HostInode;
  readonly sentryOwned: boolean;
  readonly inoMap: InoMap;
  private readonly hide: HiddenName[];
  /**
   * fds of recently used directories, least recently used first: O_PATH, or
   * O_RDONLY once the directory was listed (then `listable` has it).
   */
  private readonly dirFds = new Map<HostInode, number>();
  private readonly listable = new Set<HostInode>();
  /** FIFOs made in a writable tree: their bytes go through the sentry's pipes (key: objKey). */
  readonly fifos = new Map<string, Fifo>();
  /** 'sentry' ownership of objects that take no user xattr (symlinks, FIFOs), by objKey. */
  readonly owners = new Map<string, Owner>();
  /** The host refused user xattrs (ENOTSUP): owners are kept in memory only. */
  xattrsUnsupported = false;

  constructor(
    readonly hostPath: string,
    opts: HostFsOptions,
  ) {
    this.readOnly = opts.readOnly;
    this.sentryOwned = opts.ownership === 'sentry';
    this.hide = opts.hide ?? [];
    this.inoMap = opts.inoMap ?? new InoMap();
    this.name = opts.name ?? 'host';
    this.rootFd = openSync(hostPath, fsc.O_RDONLY | O_PATH | fsc.O_DIRECTORY | O_CLOEXEC);
    const st = fstat(this.rootFd);
    if (typeof st === 'number') throw new Error(`tsvisor: cannot stat ${hostPath}`);
    this.root = new HostInode(this, null, '', st);
  }

  /** Inode numbers stay unique across the host devices a layer spans. */
  mapIno(st: HostStat): number {
    return this.inoMap.map(st.devMajor, st.devMinor, st.ino);
  }

  mapInoOn(devMajor: number, devMinor: number, ino: number): number {
    return this.inoMap.map(devMajor, devMinor, ino);
  }

  /** Whether `name` in directory `d` is one this tree never shows. */
  hidden(d: HostInode, name: string): boolean {
    if (!this.hide.length) return false;
    const s = d.known();
    for (const h of this.hide) if (h.name === name && h.ino === s.ino && h.devMajor === s.devMajor && h.devMinor === s.devMinor) return true;
    return false;
  }

  dirFd(d: HostInode): number {
    if (!d.parent) return this.rootFd;
    const hit = this.dirFds.get(d);
    if (hit !== undefined) {
      this.dirFds.delete(d);
      this.dirFds.set(d, hit);
      return hit;
    }
    if (d.removed) return -E.ENOENT;
    const pfd = this.dirFd(d.parent);
    if (pfd < 0) return pfd;
    const fd = openat2(pfd, d.name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, RESOLVE);
    if (fd < 0) return fd;
    this.keep(d, fd);
    return fd;
  }

  private keep(d: HostInode, fd: number): void {
    this.dirFds.set(d, fd);
    if (this.dirFds.size > DIR_FD_CACHE) {
      const [oldest, ofd] = this.dirFds.entries().next().value as [HostInode, number];
      this.dirFds.delete(oldest);
      this.listable.delete(oldest);
      close(ofd);
    }
  }

  /**
   * A readable fd of directory `d` at offset 0 for listing it, or -errno.
   * It is kept as the directory's fd (it serves lookups as the O_PATH one
   * did), so listing a directory costs one open instead of an O_PATH open
   * and a reopen of ".", and listing it again none. The caller must not
   * close it. The root's is a fresh open the caller closes (`own`).
   */
  listFd(d: HostInode): { fd: number; own: boolean } | number {
    if (!d.parent) {
      const fd = openat2(this.rootFd, '.', O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, RESOLVE);
      return fd < 0 ? fd : { fd, own: true };
    }
    const hit = this.dirFds.get(d);
    if (hit !== undefined && this.listable.has(d)) {
      this.dirFds.delete(d);
      this.dirFds.set(d, hit);
      const r = lseek(hit, 0, SEEK_SET);
      return r < 0 ? r : { fd: hit, own: false };
    }
    let fd: number;
    if (hit !== undefined) {
      // The kept O_PATH fd is the object this inode is, even if a host
      // process gave its name to another since: reopen that, not the name.
      fd = openat2(hit, '.', O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, RESOLVE);
      if (fd < 0) return fd;
      this.dirFds.delete(d);
      close(hit);
    } else {
      if (d.removed) return -E.ENOENT;
      const pfd = this.dirFd(d.parent);
      if (pfd < 0) return pfd;
      fd = openat2(pfd, d.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0, RESOLVE);
      if (fd < 0) return fd;
    }
    this.keep(d, fd);
    this.listable.add(d);
    return { fd, own: false };
  }

  /** Forgets a directory's cached fd (it was removed). */
  dropDirFd(d: HostInode): void {
    const fd = this.dirFds.get(d);
    if (fd === undefined) return;
    this.dirFds.delete(d);
    this.listable.delete(d);
    close(fd);
  }

  statfs(): StatfsInfo | number {
    return fstatfs(this.rootFd);
  }

  /** The host permission bits a 'sentry'-owned object gets: usable by us, never set-id. */
  hostPerm(type: number, perm: number): number {
    const keep = perm & 0o755;
    if (type === S_IFDIR) return keep | 0o700;
    if (type === S_IFREG) return keep | 0o600;
    return keep;
  }

  private disposed = false;

  /** Closes the host fds; a second call does nothing (a tree can be reached through more than one mount). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const fd of this.dirFds.values()) close(fd);
    this.dirFds.clear();
    this.listable.clear();
    closeSync(this.rootFd);
  }
}

/** Same host object: inode numbers are reused at once, birth times (where the host has them) tell them apart. */
function sameObject(a: HostStat, b: HostStat): boolean {
  return a.ino === b.ino && a.devMajor === b.devMajor && a.devMinor === b.devMinor && a.btimeSec === b.btimeSec && a.btimeNsec === b.btimeNsec;
}

function objKey(s: HostStat): string {
  return `${s.devMajor}:${s.devMinor}:${s.ino}:${s.btimeSec}.${s.btimeNsec}`;
}

export class HostInode extends Inode {
  /** Last stat seen: all of it for a read-only tree; type and identity for a writable one. */
  private st: HostStat;
  /** A symlink's target, kept when the layer is read-only (it cannot change under us). */
  private target: string | null = null;
  /** Its name was removed through us: it lives on through open files (or as a cwd). */
  removed = false;
  /** Writable trees: children looked up so far, so rename and unlink reach the inode a dentry holds. */
  private kids: Map<string, HostInode> | null = null;
  /** Writable trees: an fd of the object while the guest has it open (stat after unlink). */
  private handle = -1;
  private opens = 0;
  /** 'sentry'-owned trees: the guest's owner and mode (undefined: not read yet; null: the host's). */
  private owner: Owner | null | undefined = undefined;
  /**
   * A file just made with a mode its owner cannot write (git's 0444
   * objects, cp of a read-only file): Linux lets the creating open write
   * anyway, a host that is not root would not. The host file keeps owner
   * rw until that first open, then gets this mode (-1: none pending).
   */
  private pendingPerm = -1;

  constructor(
    readonly hfs: HostFs,
    public parent: HostInode | null,
    public name: string,
    st: HostStat,
  ) {
    super(hfs);
    this.st = st;
  }

  override get mode(): number {
    if (this.pendingPerm >= 0) return (this.st.mode & S_IFMT) | this.pendingPerm;
    if (this.hfs.sentryOwned) {
      const o = this.ownerOf();
      if (o) return (this.st.mode & S_IFMT) | o.perm;
    }
    return this.st.mode;
  }

  /** The last stat seen, without asking the host (type and identity never change). */
  known(): HostStat {
    return this.st;
  }

  /** The host's current stat (cached for a read-only tree). */
  hostStat(): HostStat {
    if (this.hfs.readOnly) return this.st;
    let s: HostStat | number;
    if (this.handle >= 0) s = fstat(this.handle);
    else if (!this.parent) s = fstat(this.hfs.rootFd);
    else if (this.removed) s = -E.ENOENT;
    else {
      const pfd = this.hfs.dirFd(this.parent);
      s = pfd < 0 ? pfd : statAt(pfd, this.name, AT_SYMLINK_NOFOLLOW);
      // Another object under our name now (a host process replaced it): ours is gone.
      if (typeof s !== 'number' && !sameObject(s, this.st)) s = -E.ENOENT;
    }
    if (typeof s === 'number') return { ...this.st, nlink: 0 };
    this.st = s;
    return s;
  }

  stat(): Stat {
    const s = this.hostStat();
    const st: Stat = {
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
    if (this.hfs.sentryOwned) {
      const o = this.ownerOf();
      if (o) {
        st.uid = o.uid;
        st.gid = o.gid;
        st.mode = (s.mode & S_IFMT) | o.perm;
      }
    }
    if (this.pendingPerm >= 0) st.mode = (s.mode & S_IFMT) | this.pendingPerm;
    return st;
  }

  /**
   * A writable tree shared with the host is looked up again at every walk
   * (a host process may have removed or replaced the name); lookup hands back
   * the same inode while the host object is the same. The sentry is the only
   * writer of a tree it owns ('sentry' ownership: the on-disk upper layer).
   */
  override get cacheable(): boolean {
    return this.hfs.readOnly || this.hfs.sentryOwned;
  }

  // ---- names ----

  override lookup(name: string): Inode | null | number {
    if ((this.st.mode & S_IFMT) !== S_IFDIR) return -E.ENOTDIR;
    if (this.hfs.hidden(this, name)) return null;
    const fd = this.hfs.dirFd(this);
    if (fd < 0) return fd;
    const st = statAt(fd, name, AT_SYMLINK_NOFOLLOW);
    if (st === -E.ENOENT) {
      this.kids?.delete(name);
      return null;
    }
    if (typeof st === 'number') return st;
    if (this.hfs.readOnly) return new HostInode(this.hfs, this, name, st);
    this.kids ??= new Map();
    const hit = this.kids.get(name);
    if (hit && sameObject(hit.st, st)) {
      hit.st = st;
      return hit;
    }
    const n = new HostInode(this.hfs, this, name, st);
    this.kids.set(name, n);
    return n;
  }

  override readdir(): DirEntry[] | number {
    if ((this.st.mode & S_IFMT) !== S_IFDIR) return -E.ENOTDIR;
    const l = this.hfs.listFd(this);
    if (typeof l === 'number') return l;
    const out: DirEntry[] = [];
    try {
      for (;;) {
        const n = getdents64(l.fd, direntBuf);
        if (n < 0) return n;
        if (n === 0) break;
        this.decodeDirents(n, out);
      }
    } finally {
      if (l.own) close(l.fd);
    }
    return out;
  }

  /**
   * Appends the records of direntBuf[0, n) to `out`, without "." and ".."
   * and the hidden names. Once per entry of every listing: plain reads, no
   * BigInt, no native call but the one that makes the name.
   */
  private decodeDirents(n: number, out: DirEntry[]): void {
    const buf = direntBuf;
    const { devMajor, devMinor } = this.st;
    const hfs = this.hfs;
    for (let off = 0; off < n; ) {
      const reclen = buf.readUInt16LE(off + 16);
      if (reclen < 20 || off + reclen > n) break; // a malformed record: the host's, never the guest's
      // The name ends at its NUL (the padding after it is not always zeroed).
      const recEnd = off + reclen;
      let end = off + 19;
      while (end < recEnd && buf[end] !== 0) end++;
      const name = buf.toString('latin1', off + 19, end);
      if (name !== '.' && name !== '..' && !hfs.hidden(this, name)) {
        const ino = buf.readUInt32LE(off) + buf.readUInt32LE(off + 4) * 2 ** 32;
        out.push({ name, ino: hfs.mapInoOn(devMajor, devMinor, ino), type: buf[off + 18]! << 12 });
      }
      off += reclen;
    }
  }

  override readlink(): string | number {
    if ((this.st.mode & S_IFMT) !== S_IFLNK) return -E.EINVAL;
    if (!this.parent) return -E.EINVAL;
    if (this.target !== null) return this.target;
    if (this.removed) return -E.ENOENT;
    const pfd = this.hfs.dirFd(this.parent);
    if (pfd < 0) return pfd;
    const t = readlinkAt(pfd, this.name);
    if (typeof t === 'string' && this.hfs.readOnly) this.target = t;
    return t;
  }

  override open(flags: number): Opened | number {
    const type = this.st.mode & S_IFMT;
    if (type === S_IFDIR) return -E.EISDIR;
    // A FIFO made in a writable tree is a name whose bytes go through a pipe
    // of the sentry's (the host FIFO would block the sentry, and its other end
    // may be a host process). Host FIFOs of read-only layers and host device
    // nodes are not the sandbox's.
    if (type === S_IFIFO && !this.hfs.readOnly) {
      const key = objKey(this.st);
      let f = this.hfs.fifos.get(key);
      if (!f) this.hfs.fifos.set(key, (f = new Fifo()));
      return f.open(flags);
    }
    if (type !== S_IFREG) return -E.ENXIO;
    const writing = (flags & O_ACCMODE) !== O_RDONLY || (flags & O_TRUNC) !== 0;
    if (writing && this.hfs.readOnly) return -E.EROFS;
    const hostFlags = (flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECT | O_TRUNC)) | O_NOFOLLOW | O_CLOEXEC;
    let fd: number;
    if (this.handle >= 0) {
      // Open again (/proc/self/fd/N of a file whose name is gone): the object itself.
      fd = reopen(this.handle, hostFlags & ~O_NOFOLLOW);
    } else {
      if (!this.parent) return -E.EISDIR;
      if (this.removed) return -E.ENOENT;
      const pfd = this.hfs.dirFd(this.parent);
      if (pfd < 0) return pfd;
      fd = openat2(pfd, this.name, hostFlags, 0, RESOLVE);
    }
    if (fd < 0) return fd;
    if (this.pendingPerm >= 0) {
      fchmod(fd, this.pendingPerm);
      this.pendingPerm = -1;
    }
    if (!this.hfs.readOnly) {
      if (this.handle < 0) this.handle = fcntl(fd, F_DUPFD_CLOEXEC, 0);
      this.opens++;
    }
    return { hostFd: fd };
  }

  override release(flags: number): void {
    const type = this.st.mode & S_IFMT;
    if (type === S_IFIFO) {
      this.hfs.fifos.get(objKey(this.st))?.release(flags);
      return;
    }
    // Directories and O_PATH opens never came through open().
    if (type !== S_IFREG || flags & O_PATH || this.opens === 0) return;
    if (--this.opens === 0 && this.handle >= 0) {
      close(this.handle);
      this.handle = -1;
    }
  }

  // ---- changing the tree (writable trees) ----

  /** The directory fd for a change here, or -errno. */
  private changeFd(name: string): number {
    if (this.hfs.readOnly) return -E.EROFS;
    if ((this.st.mode & S_IFMT) !== S_IFDIR) return -E.ENOTDIR;
    if (this.removed) return -E.ENOENT;
    if (this.hfs.hidden(this, name)) return -E.EBUSY;
    return this.hfs.dirFd(this);
  }

  /** The group a new object gets: the directory's when it is set-group-ID, as Linux does. */
  private groupFor(creds: Creds): number {
    const st = this.stat();
    return st.mode & S_ISGID ? st.gid : creds.fsgid;
  }

  /**
   * After the host made `name` (as the sentry's host user, under its umask):
   * give it the mode and owner Linux would have given the guest's object.
   */
  /**
   * The host mode a new object is made with, and the mode to give it at its
   * first open (-1: none): what the guest asked for, adjusted for the host.
   */
  private hostCreateMode(type: number, perm: number, opening: boolean): { hp: number; pending: number } {
    if (type === S_IFDIR && this.stat().mode & S_ISGID) perm |= S_ISGID;
    if (this.hfs.sentryOwned) return { hp: this.hfs.hostPerm(type, perm), pending: -1 };
    // Set-id bits never reach the host through a bind (see docs/filesystems.md).
    if (type === S_IFREG) perm &= ~(S_ISUID | S_ISGID);
    const pending = opening && (perm & 0o600) !== 0o600 ? perm : -1;
    return { hp: pending >= 0 ? perm | 0o600 : perm, pending };
  }

  /**
   * After the host made `name` with mode `hp` (as the sentry's host user,
   * under its umask): give it the mode and owner Linux would have given the
   * guest's object.
   */
  private finishCreate(dfd: number, name: string, type: number, perm: number, creds: Creds, hp: number, pending: number): HostInode | number {
    let st = statAt(dfd, name, AT_SYMLINK_NOFOLLOW);
    if (typeof st === 'number') return st;
    const uid = creds.fsuid;
    const gid = this.groupFor(creds);
    let changed = false;
    // The host's umask may have taken bits away.
    if (type !== S_IFLNK && (st.mode & 0o7777) !== hp) {
      const r = fchmodat(dfd, name, hp);
      if (r < 0) return r;
      changed = true;
    }
    // The creator owns it where the host lets us (a non-root host user keeps its own ids).
    if (!this.hfs.sentryOwned && (st.uid !== uid || st.gid !== gid)) {
      const r = fchownat(dfd, name, uid, gid);
      if (r < 0 && r !== -E.EPERM) return r;
      changed ||= r === 0;
    }
    if (changed) {
      st = statAt(dfd, name, AT_SYMLINK_NOFOLLOW);
      if (typeof st === 'number') return st;
    }
    const n = new HostInode(this.hfs, this, name, st);
    n.pendingPerm = pending;
    if (this.hfs.sentryOwned) {
      if (type === S_IFDIR && this.stat().mode & S_ISGID) perm |= S_ISGID;
      const r = n.setOwner({ uid, gid, perm }, true);
      if (r < 0) return r;
    }
    this.kids ??= new Map();
    this.kids.set(name, n);
    return n;
  }

  override create(name: string, mode: number, creds: Creds): Inode | number {
    // The VFS opens what open(O_CREAT) made right after this.
    return this.createFile(name, mode, creds, true);
  }

  private createFile(name: string, mode: number, creds: Creds, opening: boolean): Inode | number {
    const dfd = this.changeFd(name);
    if (dfd < 0) return dfd;
    const { hp, pending } = this.hostCreateMode(S_IFREG, mode & 0o7777, opening);
    const fd = openat2(dfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, hp, RESOLVE);
    if (fd < 0) return fd;
    close(fd);
    return this.finishCreate(dfd, name, S_IFREG, mode & 0o7777, creds, hp, pending);
  }

  override mkdir(name: string, mode: number, creds: Creds): Inode | number {
    const dfd = this.changeFd(name);
    if (dfd < 0) return dfd;
    const { hp } = this.hostCreateMode(S_IFDIR, mode & 0o7777, false);
    const r = mkdirat(dfd, name, hp);
    if (r < 0) return r;
    return this.finishCreate(dfd, name, S_IFDIR, mode & 0o7777, creds, hp, -1);
  }

  override mknod(name: string, mode: number, _rdev: number, creds: Creds): Inode | number {
    const t = mode & S_IFMT;
    if (t === S_IFREG || t === 0) return this.createFile(name, mode, creds, false);
    // Only FIFOs: the bytes of anything else are not the sandbox's to make.
    if (t !== S_IFIFO) return this.hfs.readOnly ? -E.EROFS : -E.EPERM;
    const dfd = this.changeFd(name);
    if (dfd < 0) return dfd;
    const { hp } = this.hostCreateMode(S_IFIFO, mode & 0o7777, false);
    const r = mknodat(dfd, name, S_IFIFO | hp, 0);
    if (r < 0) return r;
    return this.finishCreate(dfd, name, S_IFIFO, mode & 0o7777, creds, hp, -1);
  }

  override symlink(name: string, target: string, creds: Creds): Inode | number {
    const dfd = this.changeFd(name);
    if (dfd < 0) return dfd;
    const r = symlinkat(target, dfd, name);
    if (r < 0) return r;
    return this.finishCreate(dfd, name, S_IFLNK, 0o777, creds, 0o777, -1);
  }

  override link(name: string, target: Inode): number {
    if (!(target instanceof HostInode) || target.hfs !== this.hfs) return -E.EXDEV;
    const dfd = this.changeFd(name);
    if (dfd < 0) return dfd;
    if (!target.parent || target.removed) return -E.ENOENT;
    const tfd = this.hfs.dirFd(target.parent);
    if (tfd < 0) return tfd;
    // The new name gets an inode of its own at its next lookup: each knows
    // its own (parent, name), and both re-stat the one host object.
    return linkat(tfd, target.name, dfd, name);
  }

  private removeName(name: string, dir: boolean): number {
    const dfd = this.changeFd(name);
    if (dfd < 0) return dfd;
    const r = unlinkat(dfd, name, dir ? AT_REMOVEDIR : 0);
    if (r < 0) return r;
    const k = this.kids?.get(name);
    if (k) {
      this.kids!.delete(name);
      k.removed = true;
      if (dir) this.hfs.dropDirFd(k);
    }
    return 0;
  }

  override unlink(name: string): number {
    return this.removeName(name, false);
  }

  override rmdir(name: string): number {
    return this.removeName(name, true);
  }

  override rename(name: string, newDir: Inode, newName: string, flags: number): number {
    if (!(newDir instanceof HostInode) || newDir.hfs !== this.hfs) return -E.EXDEV;
    const dfd = this.changeFd(name);
    if (dfd < 0) return dfd;
    const nfd = newDir.changeFd(newName);
    if (nfd < 0) return nfd;
    const src = this.lookup(name);
    if (src === null) return -E.ENOENT;
    if (typeof src === 'number') return src;
    const dst = newDir.lookup(newName);
    if (typeof dst === 'number') return dst;
    const r = renameat2(dfd, name, nfd, newName, flags & (RENAME_NOREPLACE | RENAME_EXCHANGE));
    if (r < 0) return r;
    const s = src as HostInode;
    const d = dst as HostInode | null;
    // Two names of one file: rename does nothing (vfs_rename).
    if (d && sameObject(d.st, s.st)) return 0;
    this.kids?.delete(name);
    newDir.kids ??= new Map();
    if (d && flags & RENAME_EXCHANGE) {
      d.parent = this;
      d.name = name;
      this.kids ??= new Map();
      this.kids.set(name, d);
    } else if (d) {
      d.removed = true;
      if (d.isDir()) this.hfs.dropDirFd(d);
    }
    s.parent = newDir;
    s.name = newName;
    newDir.kids.set(newName, s);
    return 0;
  }

  // ---- attributes ----

  /** An O_PATH fd of this object itself (to be closed by the caller when `owned`). */
  private objectFd(): { fd: number; owned: boolean } | number {
    if (this.handle >= 0) return { fd: this.handle, owned: false };
    if (!this.parent) return { fd: this.hfs.rootFd, owned: false };
    if (this.removed) return -E.ENOENT;
    if ((this.st.mode & S_IFMT) === S_IFDIR) {
      const fd = this.hfs.dirFd(this);
      return fd < 0 ? fd : { fd, owned: false };
    }
    const pfd = this.hfs.dirFd(this.parent);
    if (pfd < 0) return pfd;
    const fd = openat2(pfd, this.name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, RESOLVE);
    if (fd < 0) return fd;
    // Another object under our name (replaced by a host process): not ours to change.
    const s = fstat(fd);
    if (typeof s === 'number' || !sameObject(s, this.st)) {
      close(fd);
      return -E.ENOENT;
    }
    return { fd, owned: true };
  }

  override setattr(a: SetAttr): number {
    if (this.hfs.readOnly) return -E.EROFS;
    const o = this.objectFd();
    if (typeof o === 'number') return o;
    try {
      return this.setattrOn(o.fd, a);
    } finally {
      if (o.owned) close(o.fd);
    }
  }

  private setattrOn(fd: number, a: SetAttr): number {
    const type = this.st.mode & S_IFMT;
    if (a.mode !== undefined) this.pendingPerm = -1;
    if (a.size !== undefined) {
      if (type !== S_IFREG) return type === S_IFDIR ? -E.EISDIR : -E.EINVAL;
      const w = reopen(fd, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (w < 0) return w;
      const r = ftruncate(w, a.size);
      close(w);
      if (r < 0) return r;
    }
    if (a.atime !== undefined || a.mtime !== undefined) {
      const t = (x: Timespec | 'now' | undefined): [number, number] => (x === undefined ? [0, UTIME_OMIT] : x === 'now' ? [0, UTIME_NOW] : [x.sec, x.nsec]);
      const [as, an] = t(a.atime);
      const [ms, mn] = t(a.mtime);
      const r = utimensat(fd, '', as, an, ms, mn);
      if (r < 0) return r;
    }
    if (a.mode === undefined && a.uid === undefined && a.gid === undefined) return 0;
    if (this.hfs.sentryOwned) {
      const cur = this.stat();
      const next: Owner = {
        uid: a.uid !== undefined && a.uid >= 0 ? a.uid : cur.uid,
        gid: a.gid !== undefined && a.gid >= 0 ? a.gid : cur.gid,
        perm: a.mode !== undefined ? a.mode & 0o7777 : cur.mode & 0o7777,
      };
      if (a.mode !== undefined && type !== S_IFLNK) {
        const hp = this.hfs.hostPerm(type, next.perm);
        if ((this.st.mode & 0o7777) !== hp) {
          const r = fchmodat(fd, '', hp);
          if (r < 0) return r;
        }
      }
      return this.setOwner(next);
    }
    if (a.uid !== undefined || a.gid !== undefined) {
      // A non-root host user gets EPERM here, as an unprivileged owner would.
      const r = fchownat(fd, '', a.uid ?? -1, a.gid ?? -1);
      if (r < 0) return r;
    }
    if (a.mode !== undefined) {
      let m = a.mode & 0o7777;
      if (type === S_IFREG) m &= ~(S_ISUID | S_ISGID);
      const r = fchmodat(fd, '', m);
      if (r < 0) return r;
    }
    return 0;
  }

  // ---- 'sentry' ownership ----

  /** Whether the host takes user xattrs on this object (Linux: regular files and directories only). */
  private takesXattr(): boolean {
    const t = this.st.mode & S_IFMT;
    return (t === S_IFREG || t === S_IFDIR) && !this.hfs.xattrsUnsupported;
  }

  private ownerOf(): Owner | null {
    if (this.owner !== undefined) return this.owner;
    this.owner = null;
    const mem = this.hfs.owners.get(objKey(this.st));
    if (mem) return (this.owner = mem);
    if (!this.takesXattr()) return null;
    const o = this.objectFd();
    if (typeof o === 'number') return null;
    const v = xattrGet(o.fd, OWNER_XATTR);
    if (o.owned) close(o.fd);
    if (typeof v === 'number') {
      if (v === -E.EOPNOTSUPP) this.hfs.xattrsUnsupported = true;
      return null;
    }
    const m = /^(\d+):(\d+):([0-7]+)$/.exec(v.toString('latin1'));
    if (m) this.owner = { uid: Number(m[1]), gid: Number(m[2]), perm: parseInt(m[3]!, 8) & 0o7777 };
    return this.owner;
  }

  /** Whether the guest's owner and mode are recorded (else the host's show). */
  ownerRecorded(): boolean {
    return this.ownerOf() !== null;
  }

  /**
   * Records the guest's owner and mode: nothing when the host's own say the
   * same (root on the host making root's files), else an xattr, else memory.
   * `fresh`: the object was just made (it has no record to remove).
   */
  setOwner(o: Owner, fresh = false): number {
    const s = this.hostStat();
    const same = o.uid === s.uid && o.gid === s.gid && o.perm === (s.mode & 0o7777);
    if (same && fresh) {
      this.owner = null;
      return 0;
    }
    if (this.takesXattr()) {
      const at = this.objectFd();
      if (typeof at === 'number') return at;
      const r = same
        ? xattrRemove(at.fd, OWNER_XATTR)
        : xattrSet(at.fd, OWNER_XATTR, Buffer.from(`${o.uid}:${o.gid}:0${o.perm.toString(8)}`, 'latin1'));
      if (at.owned) close(at.fd);
      if (r === -E.EOPNOTSUPP) this.hfs.xattrsUnsupported = true;
      else if (r < 0 && r !== -E.ENODATA) return r;
      if (r >= 0 || r === -E.ENODATA) {
        this.owner = same ? null : o;
        return 0;
      }
    }
    // No xattr here: kept in memory for this run (see docs/filesystems.md).
    if (same) this.hfs.owners.delete(objKey(s));
    else this.hfs.owners.set(objKey(s), o);
    this.owner = same ? null : o;
    return 0;
  }
}
