// tmpfs: a filesystem held by the sentry. Names and metadata live here;
// regular file bytes live in host memfds (so guests read and write them at
// host speed, and mmap works). Also the upper layer of the overlay root.
//
// A size limit counts allocated pages, as Linux's tmpfs does: extending a
// file with truncate allocates nothing and never fails. Where the host lets
// us (`hostBacked`), the bytes of a size-limited tmpfs live in a host tmpfs
// of that size of our own (a detached mount, see tmpfsMount) instead of
// memfds, so the host enforces the limit on every write, the guest's native
// ones included. Otherwise they live in memfds and the sentry enforces the
// limit where it sees the allocation coming (writes it performs itself in
// the strict policy, fallocate, copy-up); writes and mmap stores the guest
// makes natively (the balanced policy) can go past it: see
// docs/filesystems.md.
import { E } from '../../abi/errno.js';
import { O_ACCMODE, O_APPEND, O_CLOEXEC, O_DIRECT, O_NONBLOCK, O_PATH, O_RDONLY, O_RDWR, O_TMPFILE, O_TRUNC, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK } from '../../abi/flags.js';
import { close, fstat, fstatfs, ftruncate, memfdCreate, openat2, reopen, tmpfsMount, tmpfsResize } from '../../platform/host.js';
import type { Creds } from '../../vfs/creds.js';
import {
  type DirEntry, type FileSystem, Inode, nowTimespec, type Opened, type SetAttr, type Stat, type StatfsInfo, type Timespec,
} from '../../vfs/inode.js';
import { allocDev } from '../devices.js';
import { Fifo } from './fifo.js';

const RENAME_NOREPLACE = 1;
const RENAME_EXCHANGE = 2;
const PAGE = 4096;
/** TmpFile.memfd once the bytes are gone (no name, nothing open). */
const FREED = -2;
const TMPFS_MAGIC = 0x01021994;

export interface TmpfsOptions {
  /** Filesystem type name (/proc/mounts, statfs). */
  name?: string;
  /** Byte limit for file contents (ENOSPC beyond); 0 = unlimited. */
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
  readOnly?: boolean;
  /** Keep the bytes of a size-limited tmpfs in a host tmpfs of that size, where the host allows it. */
  hostBacked?: boolean;
}

export class Tmpfs implements FileSystem {
  readonly name: string;
  readonly dev = allocDev();
  readOnly: boolean;
  /** Byte limit (0: none); a remount may change it. */
  sizeLimit: number;
  private nextIno = 2;
  readonly root: TmpDir;
  /** The host tmpfs (a mount fd) holding the bytes, or -1: memfds. */
  private backing = -1;

  constructor(opts: TmpfsOptions = {}, inoBase = 0) {
    this.name = opts.name ?? 'tmpfs';
    this.readOnly = opts.readOnly ?? false;
    this.sizeLimit = opts.size ?? 0;
    if (this.sizeLimit && opts.hostBacked) this.backing = Math.max(-1, tmpfsMount(this.sizeLimit));
    this.nextIno = inoBase + 2;
    this.root = new TmpDir(this, (opts.mode ?? 0o1777) | S_IFDIR, opts.uid ?? 0, opts.gid ?? 0);
    this.root.nlink = 2;
  }

  allocIno(): number {
    return this.nextIno++;
  }

  /** Files whose bytes exist (a memfd), while they have a name. */
  readonly files = new Set<TmpFile>();

  /** Whether the host enforces the size limit (the bytes live in a host tmpfs of that size). */
  get hostEnforced(): boolean {
    return this.backing >= 0;
  }

  /** A new anonymous host file for a TmpFile's bytes. */
  newFile(): number {
    if (this.backing >= 0) return openat2(this.backing, '.', O_TMPFILE | O_RDWR | O_CLOEXEC, 0o600, 0);
    return memfdCreate('tsvisor-tmpfs', 1 /* MFD_CLOEXEC */);
  }

  /** Changes the size limit (remount); EBUSY when more is in use. */
  resize(size: number): number {
    if (size && this.used() > size) return -E.EBUSY;
    if (this.backing >= 0) {
      const r = tmpfsResize(this.backing, size); // 0: no limit, as tmpfs's size=0
      if (r < 0) return r;
    }
    this.sizeLimit = size;
    return 0;
  }

  /**
   * The sandbox is done with the filesystem: every named file's bytes go, and
   * the host tmpfs is let go of (descriptions still open keep it alive).
   * Without it every Sandbox left its files' memfds open in the embedding
   * process (found by the fuzz harness, which compares fds before and after).
   */
  dispose(): void {
    for (const f of this.files) f.dispose();
    this.files.clear();
    if (this.backing >= 0) close(this.backing);
    this.backing = -1;
  }

  /** Bytes the files allocated (for size limits and statfs). */
  used(): number {
    if (this.backing >= 0) {
      const s = fstatfs(this.backing);
      if (typeof s !== 'number') return (s.blocks - s.bfree) * s.bsize;
    }
    let total = 0;
    for (const f of this.files) total += f.allocated();
    return total;
  }

  /** 0 when `bytes` more fit under the size limit, else -ENOSPC. */
  spaceFor(bytes: number): number {
    if (!this.sizeLimit || bytes <= 0) return 0;
    return this.used() + bytes > this.sizeLimit ? -E.ENOSPC : 0;
  }

  /** A size-limited tmpfs reports its own sizes; an unlimited one has none (the host root's are shown). */
  statfs(): StatfsInfo | number {
    if (!this.sizeLimit) return -E.ENOSYS;
    const blocks = Math.floor(this.sizeLimit / PAGE);
    const free = Math.max(0, blocks - Math.ceil(this.used() / PAGE));
    return { type: TMPFS_MAGIC, bsize: PAGE, blocks, bfree: free, bavail: free, files: blocks, ffree: free, namelen: 255 };
  }
}

/**
 * Regular files by the host inode number of their memfd, for /proc/PID/maps
 * (where a mapping names the memfd). Weak: a file nothing refers to any more
 * goes, and its memfd is closed then (the bytes of a removed file are freed
 * once no guest fd or mapping holds them either).
 */
const byHostIno = new Map<number, WeakRef<TmpFile>>();
const memfds = new FinalizationRegistry<{ fd: number; ino: number }>(({ fd, ino }) => {
  close(fd);
  const w = byHostIno.get(ino);
  if (w && w.deref() === undefined) byHostIno.delete(ino);
});

/** The tmpfs file whose bytes live in the memfd with host inode number `ino`. */
export function tmpFileByHostIno(ino: number): TmpFile | undefined {
  return byHostIno.get(ino)?.deref();
}

export abstract class TmpInode extends Inode {
  ino: number;
  nlink = 1;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  btime: Timespec;
  xattrs: Map<string, Buffer> | null = null;

  constructor(
    readonly tfs: Tmpfs,
    public modeBits: number,
    public uid: number,
    public gid: number,
  ) {
    super(tfs);
    this.ino = tfs.allocIno();
    const now = nowTimespec();
    this.atime = this.mtime = this.ctime = this.btime = now;
  }

  override get mode(): number {
    return this.modeBits;
  }

  size(): number {
    return 0;
  }

  stat(): Stat | number {
    const size = this.size();
    return {
      dev: this.fs.dev,
      ino: this.ino,
      mode: this.modeBits,
      nlink: this.nlink,
      uid: this.uid,
      gid: this.gid,
      rdev: 0,
      size,
      blksize: 4096,
      blocks: Math.ceil(size / 512),
      atime: this.atime,
      mtime: this.mtime,
      ctime: this.ctime,
      btime: this.btime,
    };
  }

  override setattr(a: SetAttr): number {
    if (this.tfs.readOnly) return -E.EROFS;
    const now = nowTimespec();
    if (a.mode !== undefined) this.modeBits = (this.modeBits & S_IFMT) | (a.mode & 0o7777);
    if (a.uid !== undefined && a.uid >= 0) this.uid = a.uid;
    if (a.gid !== undefined && a.gid >= 0) this.gid = a.gid;
    if (a.atime !== undefined) this.atime = a.atime === 'now' ? now : a.atime;
    if (a.mtime !== undefined) this.mtime = a.mtime === 'now' ? now : a.mtime;
    if (a.size !== undefined) {
      const r = this.truncate(a.size);
      if (r < 0) return r;
      this.mtime = now;
    }
    this.ctime = now;
    return 0;
  }

  truncate(_size: number): number {
    return -E.EINVAL;
  }

  /** Called when the last name of the object went. */
  unlinked(): void {}

  /** Drops one name; the last one calls unlinked(). */
  dropLink(): void {
    this.nlink--;
    this.ctime = nowTimespec();
    if (this.nlink <= 0) this.unlinked();
  }

  touch(): void {
    this.mtime = this.ctime = nowTimespec();
  }
}

export class TmpFile extends TmpInode {
  /** The memfd holding the bytes; created on first use, FREED once the file is gone. */
  private memfd = -1;
  /** Host mtime last seen: writes by the guest go straight to the memfd. */
  private hostMtime = 0;
  constructor(tfs: Tmpfs, mode: number, uid: number, gid: number) {
    super(tfs, (mode & 0o7777) | S_IFREG, uid, gid);
  }

  /** Open descriptions made by open() and not released yet. */
  private opens = 0;

  fd(): number {
    if (this.memfd === FREED) return -E.ENOENT;
    if (this.memfd < 0) {
      const fd = this.tfs.newFile();
      if (fd < 0) return fd;
      this.track(fd);
      if (this.nlink > 0) this.tfs.files.add(this);
    }
    return this.memfd;
  }

  private track(fd: number): void {
    this.memfd = fd;
    const h = fstat(fd);
    const ino = typeof h === 'number' ? -1 : h.ino;
    if (ino >= 0) byHostIno.set(ino, new WeakRef(this));
    memfds.register(this, { fd, ino }, this);
  }

  /** Bytes the memfd allocated. */
  allocated(): number {
    if (this.memfd < 0) return 0;
    const st = fstat(this.memfd);
    return typeof st === 'number' ? 0 : st.blocks * 512;
  }

  /** The file lost its last name: its bytes go with its last open description, as on Linux. */
  override unlinked(): void {
    this.tfs.files.delete(this);
    this.maybeFree();
  }

  private maybeFree(): void {
    if (this.nlink <= 0 && this.opens === 0) this.dispose();
  }

  /** The bytes go now (no name and nothing open, or the sandbox is gone); guest fds still open keep their own reference. */
  dispose(): void {
    if (this.memfd < 0) return;
    memfds.unregister(this);
    const h = fstat(this.memfd);
    if (typeof h !== 'number') byHostIno.delete(h.ino);
    close(this.memfd);
    this.memfd = FREED;
  }

  /**
   * How many of `len` bytes written at `pos` fit under the size limit (the
   * file counted as dense up to its size), or -ENOSPC when none do.
   */
  override writable(pos: number, len: number): number {
    // The host tmpfs behind the bytes answers ENOSPC itself, exactly.
    if (!this.tfs.sizeLimit || this.tfs.hostEnforced || len <= 0) return len;
    if (pos < 0) pos = this.size();
    const have = Math.max(Math.ceil(this.size() / PAGE) * PAGE, this.allocated());
    if (pos + len <= have) return len;
    const room = this.tfs.sizeLimit - this.tfs.used();
    const fit = Math.floor((have + Math.max(0, room)) / PAGE) * PAGE - pos;
    if (fit <= 0) return -E.ENOSPC;
    return Math.min(len, fit);
  }

  override size(): number {
    if (this.memfd < 0) return 0;
    const st = fstat(this.memfd);
    return typeof st === 'number' ? 0 : st.size;
  }

  override stat(): Stat | number {
    const st = super.stat();
    if (typeof st === 'number' || this.memfd < 0) return st;
    const h = fstat(this.memfd);
    if (typeof h === 'number') return st;
    st.blocks = h.blocks; // what the memfd really allocated, as a tmpfs reports it
    // Guest writes change the memfd's times, not ours: take the newer.
    const hm = h.mtimeSec * 1e9 + h.mtimeNsec;
    if (hm > this.hostMtime) {
      this.hostMtime = hm;
      const t = { sec: h.mtimeSec, nsec: h.mtimeNsec };
      if (hm > this.mtime.sec * 1e9 + this.mtime.nsec) this.mtime = t;
      if (hm > this.ctime.sec * 1e9 + this.ctime.nsec) this.ctime = t;
      st.mtime = this.mtime;
      st.ctime = this.ctime;
    }
    return st;
  }

  override open(flags: number): Opened | number {
    const fd = this.fd();
    if (fd < 0) return fd;
    const host = reopen(fd, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECT | O_TRUNC));
    if (host < 0) return host;
    if (flags & O_TRUNC && (flags & O_ACCMODE) !== O_RDONLY) this.touch();
    this.opens++;
    return { hostFd: host };
  }

  override release(flags: number): void {
    // O_PATH descriptions never came through open().
    if (flags & O_PATH || this.opens === 0) return;
    this.opens--;
    this.maybeFree();
  }

  override truncate(size: number): number {
    if (size < 0) return -E.EINVAL;
    // Extending allocates nothing (a hole), as on Linux: no size check.
    const fd = this.fd();
    return fd < 0 ? fd : ftruncate(fd, size);
  }

  /** Replaces the contents with a copy of another host fd's (overlay copy-up). */
  adoptMemfd(fd: number): void {
    this.track(fd);
    if (this.nlink > 0) this.tfs.files.add(this);
    const h = fstat(fd);
    if (typeof h !== 'number') this.hostMtime = h.mtimeSec * 1e9 + h.mtimeNsec;
  }
}

export class TmpSymlink extends TmpInode {
  constructor(
    tfs: Tmpfs,
    public target: string,
    uid: number,
    gid: number,
  ) {
    super(tfs, S_IFLNK | 0o777, uid, gid);
  }

  override size(): number {
    return this.target.length;
  }

  override readlink(): string {
    this.atime = nowTimespec();
    return this.target;
  }
}

/** FIFOs and socket files: names only; their bytes live in pipes and sockets. */
export class TmpNode extends TmpInode {
  /** A FIFO's pipe and open counts, made at its first open. */
  private fifo: Fifo | null = null;

  constructor(tfs: Tmpfs, mode: number, uid: number, gid: number, readonly rdev = 0) {
    super(tfs, mode, uid, gid);
  }

  override open(flags: number): Opened | number {
    if ((this.modeBits & S_IFMT) !== S_IFIFO) return -E.ENXIO;
    this.fifo ??= new Fifo();
    return this.fifo.open(flags);
  }

  override release(flags: number): void {
    this.fifo?.release(flags);
  }

  override stat(): Stat | number {
    const st = super.stat();
    if (typeof st !== 'number') st.rdev = this.rdev;
    return st;
  }
}

/** A directory entry that hides a lower-layer name (overlay upper layers only). */
export class Whiteout extends TmpInode {
  constructor(tfs: Tmpfs) {
    super(tfs, 0o020000, 0, 0); // character device 0/0, as overlayfs stores them
  }
}

export class TmpDir extends TmpInode {
  readonly entries = new Map<string, TmpInode>();
  /**
   * Overlay upper layers only: the lower directory this one merges with. Set
   * at copy-up and kept across renames; absent for directories made in the
   * upper layer, which therefore hide whatever the lower had at their name.
   */
  lowerOrigin: Inode | null = null;

  constructor(tfs: Tmpfs, mode: number, uid: number, gid: number) {
    super(tfs, (mode & 0o7777) | S_IFDIR, uid, gid);
    this.nlink = 2;
  }

  override size(): number {
    return 4096;
  }

  override lookup(name: string): Inode | null {
    const e = this.entries.get(name);
    return e && !(e instanceof Whiteout) ? e : null;
  }

  override readdir(): DirEntry[] {
    const out: DirEntry[] = [];
    for (const [name, e] of this.entries) if (!(e instanceof Whiteout)) out.push({ name, ino: e.ino, type: e.mode & S_IFMT });
    return out;
  }

  override open(_flags: number): Opened | number {
    return -E.EISDIR; // the VFS gives directories a placeholder host fd
  }

  private add(name: string, node: TmpInode): TmpInode | number {
    if (this.tfs.readOnly) return -E.EROFS;
    if (this.nlink === 0) return -E.ENOENT; // removed: Linux's IS_DEADDIR
    const cur = this.entries.get(name);
    if (cur && !(cur instanceof Whiteout)) return -E.EEXIST;
    this.entries.set(name, node);
    this.touch();
    return node;
  }

  override create(name: string, mode: number, creds: Creds): Inode | number {
    return this.add(name, new TmpFile(this.tfs, mode, creds.fsuid, this.groupFor(creds)));
  }

  override tmpfile(mode: number, creds: Creds): Inode | number {
    // A removed directory still makes one: vfs_tmpfile does not check IS_DEADDIR.
    if (this.tfs.readOnly) return -E.EROFS;
    const f = new TmpFile(this.tfs, mode, creds.fsuid, this.groupFor(creds));
    f.nlink = 0;
    return f;
  }

  override mkdir(name: string, mode: number, creds: Creds): Inode | number {
    const d = new TmpDir(this.tfs, mode | (this.modeBits & 0o2000), creds.fsuid, this.groupFor(creds));
    const r = this.add(name, d);
    if (typeof r !== 'number') this.nlink++;
    return r;
  }

  override mknod(name: string, mode: number, rdev: number, creds: Creds): Inode | number {
    const t = mode & S_IFMT;
    if (t === S_IFREG || t === 0) return this.create(name, mode, creds);
    if (t !== S_IFIFO && t !== S_IFSOCK) return -E.EPERM;
    return this.add(name, new TmpNode(this.tfs, mode, creds.fsuid, this.groupFor(creds), rdev));
  }

  override symlink(name: string, target: string, creds: Creds): Inode | number {
    return this.add(name, new TmpSymlink(this.tfs, target, creds.fsuid, this.groupFor(creds)));
  }

  override link(name: string, target: Inode): number {
    if (!(target instanceof TmpInode) || target.tfs !== this.tfs) return -E.EXDEV;
    if (target instanceof TmpDir) return -E.EPERM;
    const r = this.add(name, target);
    if (typeof r === 'number') return r;
    target.nlink++;
    target.ctime = nowTimespec();
    return 0;
  }

  /** Removes an entry without type checks (overlay uses it to place whiteouts). */
  removeEntry(name: string): TmpInode | undefined {
    const e = this.entries.get(name);
    this.entries.delete(name);
    return e;
  }

  setWhiteout(name: string): void {
    this.entries.set(name, new Whiteout(this.tfs));
    this.touch();
  }

  override unlink(name: string): number {
    if (this.tfs.readOnly) return -E.EROFS;
    const e = this.entries.get(name);
    if (!e || e instanceof Whiteout) return -E.ENOENT;
    if (e instanceof TmpDir) return -E.EISDIR;
    this.entries.delete(name);
    e.dropLink();
    this.touch();
    return 0;
  }

  override rmdir(name: string): number {
    if (this.tfs.readOnly) return -E.EROFS;
    const e = this.entries.get(name);
    if (!e || e instanceof Whiteout) return -E.ENOENT;
    if (!(e instanceof TmpDir)) return -E.ENOTDIR;
    if (e.readdir().length) return -E.ENOTEMPTY;
    this.entries.delete(name);
    e.nlink = 0;
    this.nlink--;
    this.touch();
    return 0;
  }

  override rename(name: string, newDir: Inode, newName: string, flags: number): number {
    if (this.tfs.readOnly) return -E.EROFS;
    if (!(newDir instanceof TmpDir) || newDir.tfs !== this.tfs) return -E.EXDEV;
    const src = this.lookup(name) as TmpInode | null;
    if (!src) return -E.ENOENT;
    if (newDir.nlink === 0) return -E.ENOENT; // a removed directory
    const dst = newDir.lookup(newName) as TmpInode | null;
    // The order of Linux's do_renameat2 and vfs_rename.
    if (flags & RENAME_NOREPLACE && dst) return -E.EEXIST;
    if (flags & RENAME_EXCHANGE && !dst) return -E.ENOENT;
    // The source must not be an ancestor of the target, nor the target of the source.
    if (src instanceof TmpDir && isAncestor(src, newDir)) return -E.EINVAL;
    if (dst instanceof TmpDir && isAncestor(dst, this)) return flags & RENAME_EXCHANGE ? -E.EINVAL : -E.ENOTEMPTY;
    if (dst === src) return 0;
    if (flags & RENAME_EXCHANGE) {
      this.entries.set(name, dst!);
      newDir.entries.set(newName, src);
      if (src instanceof TmpDir !== dst instanceof TmpDir) {
        const d = src instanceof TmpDir ? 1 : -1;
        this.nlink -= d;
        newDir.nlink += d;
      }
      this.touch();
      newDir.touch();
      return 0;
    }
    if (dst) {
      if (src instanceof TmpDir) {
        if (!(dst instanceof TmpDir)) return -E.ENOTDIR;
        if (dst.readdir().length) return -E.ENOTEMPTY;
        newDir.nlink--;
        dst.nlink = 0; // its own "." goes with it, as in rmdir
      } else if (dst instanceof TmpDir) {
        return -E.EISDIR;
      } else {
        dst.dropLink();
      }
      dst.ctime = nowTimespec();
    }
    this.entries.delete(name);
    newDir.entries.set(newName, src);
    if (src instanceof TmpDir && newDir !== this) {
      this.nlink--;
      newDir.nlink++;
    }
    src.ctime = nowTimespec();
    this.touch();
    newDir.touch();
    return 0;
  }

  private groupFor(creds: Creds): number {
    return this.modeBits & 0o2000 ? this.gid : creds.fsgid;
  }
}

function isAncestor(a: TmpDir, b: TmpDir): boolean {
  // Without parent pointers, search a's subtree for b.
  const stack: TmpDir[] = [a];
  while (stack.length) {
    const d = stack.pop()!;
    if (d === b) return true;
    for (const c of d.entries.values()) if (c instanceof TmpDir) stack.push(c);
  }
  return false;
}
