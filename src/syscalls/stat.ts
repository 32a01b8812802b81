// Metadata: stat family, statx, statfs, getdents. All of it comes from the
// sentry's inodes, so the numbers agree however a guest asks.
import { statfsSync } from 'node:fs';
import { E } from '../abi/errno.js';
import { AT_EMPTY_PATH, AT_NO_AUTOMOUNT, AT_STATX_SYNC_TYPE, AT_SYMLINK_NOFOLLOW, SEEK_CUR, SEEK_SET, STATX_BASIC_STATS, STATX_BTIME } from '../abi/flags.js';
import { archInfo } from '../abi/arch/index.js';
import { direntOldSize, direntSize, encodeDirent64, encodeDirentOld, encodeStatx, STATX_SIZE } from '../abi/structs.js';
import { major, minor } from '../fs/devices.js';
import { lseek } from '../platform/host.js';
import type { OpenFile } from '../vfs/file.js';
import { dtypeOf, type DirEntry, type Inode, type Stat } from '../vfs/inode.js';
import { fsnotify, IN_ACCESS } from '../vfs/fsnotify.js';
import { internalMountId, type Mount, type VPath } from '../vfs/mount.js';
import { walk } from '../vfs/namei.js';
import type { Call } from './call.js';
import { fileOf, startDir } from './common.js';
import type { SyscallFamily } from './types.js';

const ARCH = archInfo();

function statOf(inode: Inode): Stat | number {
  return inode.stat();
}

/** Resolves the target of a stat-like call (path or AT_EMPTY_PATH fd). */
function target(c: Call, dirfd: number, pathIdx: number, flags: number): { inode: Inode; mnt: Mount | null } | number {
  const path = c.readPath(pathIdx);
  if (typeof path === 'number') return path;
  if (path.length === 0) {
    if (flags & AT_EMPTY_PATH) {
      if (dirfd === -100) return { inode: c.task.fs.cwd.d.inode, mnt: c.task.fs.cwd.mnt };
      const f = fileOf(c, dirfd);
      if (typeof f === 'number') return f;
      return { inode: f.inode, mnt: f.path?.mnt ?? null };
    }
    return -E.ENOENT;
  }
  const start = startDir(c, dirfd, path);
  if (typeof start === 'number') return start;
  const p = walk(c.kernel.nameiContext(c.task), start, path, { follow: !(flags & AT_SYMLINK_NOFOLLOW) });
  if (typeof p === 'number') return p;
  return { inode: p.d.inode, mnt: p.mnt };
}

function putStat(c: Call, inode: Inode, addr: number): number {
  const st = statOf(inode);
  if (typeof st === 'number') return st;
  const b = c.raw(ARCH.statSize);
  ARCH.encodeStat(b, st);
  return c.write(addr, b);
}

/** stat(path, buf) */
function sysStat(c: Call): number {
  const t = target(c, -100, 0, 0);
  return typeof t === 'number' ? t : putStat(c, t.inode, c.ptr(1));
}

/** lstat(path, buf) */
function sysLstat(c: Call): number {
  const t = target(c, -100, 0, AT_SYMLINK_NOFOLLOW);
  return typeof t === 'number' ? t : putStat(c, t.inode, c.ptr(1));
}

/** fstat(fd, buf) */
function sysFstat(c: Call): number {
  const f = fileOf(c, c.int(0));
  return typeof f === 'number' ? f : putStat(c, f.inode, c.ptr(1));
}

/** newfstatat(dirfd, path, buf, flags) */
function sysNewfstatat(c: Call): number {
  const flags = c.int(3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) return -E.EINVAL;
  const t = target(c, c.int(0), 1, flags);
  return typeof t === 'number' ? t : putStat(c, t.inode, c.ptr(2));
}

/** statx(dirfd, path, flags, mask, buf) */
function sysStatx(c: Call): number {
  const flags = c.int(2);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) return -E.EINVAL;
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) return -E.EINVAL;
  if (c.uint(3) & 0x80000000) return -E.EINVAL; // STATX__RESERVED
  const t = target(c, c.int(0), 1, flags);
  if (typeof t === 'number') return t;
  const st = statOf(t.inode);
  if (typeof st === 'number') return st;
  const b = c.out(STATX_SIZE);
  encodeStatx(b, st, STATX_BASIC_STATS | STATX_BTIME, major(st.dev), minor(st.dev), major(st.rdev), minor(st.rdev), t.mnt?.id ?? internalMountId(t.inode.fs.name));
  return c.write(c.ptr(4), b);
}

const MAGIC: Record<string, number> = {
  overlay: 0x794c7630,
  tmpfs: 0x01021994,
  devtmpfs: 0x01021994,
  proc: 0x9fa0,
  sysfs: 0x62656572,
  host: 0xef53,
  pipefs: 0x50495045,
};

const ST_RDONLY = 1;
const ST_NOSUID = 2;
const ST_NODEV = 4;
const ST_NOEXEC = 8;

function putStatfs(c: Call, inode: Inode, mnt: Mount | null, addr: number): number {
  const b = c.out(120);
  const fsName = inode.fs.name;
  let magic = MAGIC[fsName] ?? 0x01021994;
  let bsize = 4096;
  let blocks = 0;
  let bfree = 0;
  let bavail = 0;
  let files = 0;
  let ffree = 0;
  let namelen = 255;
  // A filesystem with sizes of its own (a bind's host filesystem, a
  // size-limited tmpfs) reports them; the others the host root's.
  const own = inode.fs.statfs?.();
  if (own && typeof own !== 'number') {
    if (own.type) magic = own.type;
    ({ bsize, blocks, bfree, bavail, files, ffree, namelen } = own);
  } else {
    try {
      const s = statfsSync('/');
      blocks = s.blocks * (s.bsize / 4096);
      bfree = s.bfree * (s.bsize / 4096);
      bavail = s.bavail * (s.bsize / 4096);
      files = s.files;
      ffree = s.ffree;
    } catch {
      // leave zeros
    }
  }
  b.writeBigInt64LE(BigInt(magic), 0);
  b.writeBigInt64LE(BigInt(bsize), 8);
  b.writeBigInt64LE(BigInt(Math.floor(blocks)), 16);
  b.writeBigInt64LE(BigInt(Math.floor(bfree)), 24);
  b.writeBigInt64LE(BigInt(Math.floor(bavail)), 32);
  b.writeBigInt64LE(BigInt(files), 40);
  b.writeBigInt64LE(BigInt(ffree), 48);
  b.writeInt32LE(inode.fs.dev & 0x7fffffff, 56);
  b.writeBigInt64LE(BigInt(namelen), 64);
  b.writeBigInt64LE(BigInt(bsize), 72);
  let fl = 0;
  if (mnt?.opts.readOnly || inode.fs.readOnly) fl |= ST_RDONLY;
  if (mnt?.opts.nosuid) fl |= ST_NOSUID;
  if (mnt?.opts.nodev) fl |= ST_NODEV;
  if (mnt?.opts.noexec) fl |= ST_NOEXEC;
  b.writeBigInt64LE(BigInt(fl | 0x20 /* ST_VALID */), 80);
  return c.write(addr, b);
}

/** statfs(path, buf) */
function sysStatfs(c: Call): number {
  const t = target(c, -100, 0, 0);
  return typeof t === 'number' ? t : putStatfs(c, t.inode, t.mnt, c.ptr(1));
}

/** fstatfs(fd, buf) */
function sysFstatfs(c: Call): number {
  const f = fileOf(c, c.int(0));
  return typeof f === 'number' ? f : putStatfs(c, f.inode, f.path?.mnt ?? null, c.ptr(1));
}

let scratch = Buffer.allocUnsafe(65536);

/** A reusable buffer for getdents output (records are zero-filled as written). */
function outBuffer(n: number): Buffer {
  if (scratch.length < n) scratch = Buffer.allocUnsafe(Math.max(n, scratch.length * 2));
  return scratch;
}

/** ".", "..", then the directory's entries: taken when reading starts over. */
function snapshot(f: OpenFile): DirEntry[] | number {
  const ls = f.inode.readdir();
  if (typeof ls === 'number') return ls;
  const self = f.inode.stat();
  const ino = typeof self === 'number' ? 0 : self.ino;
  let parentIno = ino;
  const p: VPath | null = f.path;
  if (p) {
    const pd = p.d === p.mnt.root ? p.mnt.mountpoint?.parent ?? p.mnt.mountpoint : p.d.parent;
    const ps = pd?.inode.stat();
    if (ps && typeof ps !== 'number') parentIno = ps.ino;
  }
  return [{ name: '.', ino, type: 0o040000 }, { name: '..', ino: parentIno, type: 0o040000 }, ...ls];
}

function getdents(c: Call, old: boolean): number {
  const f = fileOf(c, c.int(0));
  if (typeof f === 'number') return f;
  if (f.kind !== 'dir') return f.kind === 'special' ? -E.EBADF : -E.ENOTDIR;
  if (f.path?.d.unlinked) return -E.ENOENT;
  const count = Math.min(c.uint(2), 1 << 20);
  // The guest's host fd carries the position: lseek/rewinddir run natively.
  let pos = lseek(f.hostFd, 0, SEEK_CUR);
  if (pos < 0) return pos;
  const start = pos;
  if (pos === 0 || !f.dirSnapshot) {
    const s = snapshot(f);
    if (typeof s === 'number') return s;
    f.dirSnapshot = s;
  }
  const ents = f.dirSnapshot;
  const b = outBuffer(count);
  let off = 0;
  while (pos < ents.length) {
    const e = ents[pos]!;
    const len = old ? direntOldSize(e.name) : direntSize(e.name);
    if (off + len > count) break;
    if (old) encodeDirentOld(b, off, e.ino, pos + 1, dtypeOf(e.type), e.name);
    else encodeDirent64(b, off, e.ino, pos + 1, dtypeOf(e.type), e.name);
    off += len;
    pos++;
  }
  if (off === 0 && pos < ents.length) return -E.EINVAL;
  const w = c.write(c.ptr(1), b.subarray(0, off));
  if (w < 0) return w;
  // At the end (the last call of every listing) the position stays as it is.
  if (pos !== start) lseek(f.hostFd, pos, SEEK_SET);
  // iterate_dir reports each read of a directory (fsnotify_access).
  if (fsnotify.active) fsnotify.event(f.path?.d ?? null, f.inode, IN_ACCESS);
  return off;
}

export const statSyscalls: SyscallFamily = {
  stat: { fn: sysStat, args: 'path,ptr' },
  lstat: { fn: sysLstat, args: 'path,ptr' },
  fstat: { fn: sysFstat, args: 'fd,ptr' },
  newfstatat: { fn: sysNewfstatat, args: 'atfd,path,ptr,hex' },
  statx: { fn: sysStatx, args: 'atfd,path,hex,hex,ptr' },
  statfs: { fn: sysStatfs, args: 'path,ptr', partial: 'the overlay root, proc, dev and unlimited tmpfs report the host root filesystem\'s block counts' },
  fstatfs: { fn: sysFstatfs, args: 'fd,ptr', partial: 'the overlay root, proc, dev and unlimited tmpfs report the host root filesystem\'s block counts' },
  getdents64: { fn: (c) => getdents(c, false), args: 'fd,ptr,uint' },
  getdents: { fn: (c) => getdents(c, true), args: 'fd,ptr,uint' },
};
