// Calls that name and change the tree: mkdir, unlink, rmdir, rename, link,
// symlink, readlink, mknod, chdir, getcwd, chroot, access, chmod, chown,
// utimes, truncate, umask. Each resolves through namei, checks what Linux
// checks, asks the filesystem, and keeps the dentry cache in step.
import { E } from '../abi/errno.js';
import {
  AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW, F_OK, R_OK, S_IFDIR,
  S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK, S_ISGID, S_ISUID, S_ISVTX, W_OK, X_OK,
} from '../abi/flags.js';
import { CAP_CHOWN, CAP_FOWNER, CAP_FSETID, CAP_MKNOD, CAP_SYS_CHROOT, type Creds } from '../vfs/creds.js';
import type { SetAttr, Timespec } from '../vfs/inode.js';
import { fsnotify } from '../vfs/fsnotify.js';
import { pathOf, type VPath } from '../vfs/mount.js';
import { walk, walkParent, type ParentResult } from '../vfs/namei.js';
import { MAY_EXEC, MAY_READ, MAY_WRITE, permission } from '../vfs/perm.js';
import type { Call } from './call.js';
import { emptyPathTarget, fileOf, ioFileOf, startDir } from './common.js';
import type { SyscallFamily } from './types.js';

const RENAME_NOREPLACE = 1;
const RENAME_EXCHANGE = 2;
const RENAME_WHITEOUT = 4;
const UTIME_NOW = (1 << 30) - 1;
const UTIME_OMIT = (1 << 30) - 2;

function parentOf(c: Call, dirfd: number, pathIdx: number): ParentResult | number {
  const path = c.readPath(pathIdx);
  if (typeof path === 'number') return path;
  const start = startDir(c, dirfd, path);
  if (typeof start === 'number') return start;
  return walkParent(c.kernel.nameiContext(c.task), start, path);
}

function resolve(c: Call, dirfd: number, pathIdx: number, follow: boolean, flags = 0): VPath | number {
  const path = c.readPath(pathIdx);
  if (typeof path === 'number') return path;
  if (path.length === 0) {
    const t = emptyPathTarget(c, dirfd, flags);
    return t === null ? -E.ENOENT : t;
  }
  const start = startDir(c, dirfd, path);
  if (typeof start === 'number') return start;
  return walk(c.kernel.nameiContext(c.task), start, path, { follow });
}

/** May the caller add or remove names in this directory? */
function mayModifyDir(c: Call, dir: VPath): number {
  if (dir.mnt.opts.readOnly || dir.d.inode.fs.readOnly) return -E.EROFS;
  const st = dir.d.inode.stat();
  if (typeof st === 'number') return st;
  return permission(st, c.task.creds, MAY_WRITE | MAY_EXEC);
}

/** The sticky bit: only the owner of the file or of the directory may remove it. */
function stickyOk(creds: Creds, dir: VPath, victimUid: number): boolean {
  const st = dir.d.inode.stat();
  if (typeof st === 'number' || !(st.mode & S_ISVTX)) return true;
  return creds.fsuid === victimUid || creds.fsuid === st.uid || creds.hasCap(CAP_FOWNER);
}

function isMountpoint(dir: VPath, name: string): boolean {
  const d = dir.d.children.get(name);
  return !!d && dir.mnt.children.has(d);
}

// ---- create ----

function mkdirAt(c: Call, dirfd: number, pathIdx: number, mode: number): number {
  const pr = parentOf(c, dirfd, pathIdx);
  if (typeof pr === 'number') return pr;
  if (pr.name === '' || pr.name === '.' || pr.name === '..') return -E.EEXIST;
  const ex = pr.dir.d.child(pr.name);
  if (typeof ex === 'number') return ex;
  if (ex) return -E.EEXIST;
  const ok = mayModifyDir(c, pr.dir);
  if (ok < 0) return ok;
  const inode = pr.dir.d.inode.mkdir(pr.name, mode & ~c.task.fs.umask & 0o1777, c.task.creds);
  if (typeof inode === 'number') return inode;
  pr.dir.d.add(pr.name, inode);
  fsnotify.created(pr.dir.d.inode, pr.name, inode);
  return 0;
}

function mknodAt(c: Call, dirfd: number, pathIdx: number, mode: number, dev: number): number {
  const type = mode & S_IFMT;
  if (type !== 0 && type !== S_IFREG && type !== S_IFIFO && type !== S_IFSOCK) {
    return c.task.creds.hasCap(CAP_MKNOD) ? -E.EPERM : -E.EPERM;
  }
  const pr = parentOf(c, dirfd, pathIdx);
  if (typeof pr === 'number') return pr;
  if (pr.name === '' || pr.name === '.' || pr.name === '..') return -E.EEXIST;
  const ex = pr.dir.d.child(pr.name);
  if (typeof ex === 'number') return ex;
  if (ex) return -E.EEXIST;
  // A trailing slash asks for a directory: nothing else is created there.
  if (pr.trailingSlash) return -E.ENOENT;
  const ok = mayModifyDir(c, pr.dir);
  if (ok < 0) return ok;
  const m = (type || S_IFREG) | (mode & ~c.task.fs.umask & 0o7777);
  const inode = pr.dir.d.inode.mknod(pr.name, m, dev, c.task.creds);
  if (typeof inode === 'number') return inode;
  pr.dir.d.add(pr.name, inode);
  fsnotify.created(pr.dir.d.inode, pr.name, inode);
  return 0;
}

function symlinkAt(c: Call, targetIdx: number, dirfd: number, pathIdx: number): number {
  const target = c.readPath(targetIdx);
  if (typeof target === 'number') return target;
  if (target.length === 0) return -E.ENOENT;
  const pr = parentOf(c, dirfd, pathIdx);
  if (typeof pr === 'number') return pr;
  if (pr.name === '' || pr.name === '.' || pr.name === '..') return -E.EEXIST;
  const ex = pr.dir.d.child(pr.name);
  if (typeof ex === 'number') return ex;
  if (ex) return -E.EEXIST;
  if (pr.trailingSlash) return -E.ENOENT;
  const ok = mayModifyDir(c, pr.dir);
  if (ok < 0) return ok;
  const inode = pr.dir.d.inode.symlink(pr.name, target, c.task.creds);
  if (typeof inode === 'number') return inode;
  pr.dir.d.add(pr.name, inode);
  fsnotify.created(pr.dir.d.inode, pr.name, inode);
  return 0;
}

function linkAt(c: Call, olddirfd: number, oldIdx: number, newdirfd: number, newIdx: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
  const src = resolve(c, olddirfd, oldIdx, (flags & AT_SYMLINK_FOLLOW) !== 0, flags);
  if (typeof src === 'number') return src;
  if (src.d.inode.isDir()) return -E.EPERM;
  const pr = parentOf(c, newdirfd, newIdx);
  if (typeof pr === 'number') return pr;
  if (pr.name === '' || pr.name === '.' || pr.name === '..') return -E.EEXIST;
  const ex = pr.dir.d.child(pr.name);
  if (typeof ex === 'number') return ex;
  if (ex) return -E.EEXIST;
  if (pr.trailingSlash) return -E.ENOENT;
  if (src.mnt !== pr.dir.mnt) return -E.EXDEV;
  const ok = mayModifyDir(c, pr.dir);
  if (ok < 0) return ok;
  // A file with no name left (through /proc/self/fd or AT_EMPTY_PATH) gets none back, unless
  // it is an O_TMPFILE file opened without O_EXCL, and then once (vfs_link, I_LINKABLE).
  const sst = src.d.inode.stat();
  if (typeof sst === 'number') return sst;
  if (sst.nlink === 0 && !src.d.inode.linkable) return -E.ENOENT;
  const r = pr.dir.d.inode.link(pr.name, src.d.inode);
  if (r < 0) return r;
  src.d.inode.linkable = false;
  const child = pr.dir.d.inode.lookup(pr.name);
  if (child && typeof child !== 'number') pr.dir.d.add(pr.name, child);
  fsnotify.linked(pr.dir.d.inode, pr.name, src.d.inode);
  return 0;
}

// ---- remove, rename ----

function unlinkAt(c: Call, dirfd: number, pathIdx: number, flags: number): number {
  if (flags & ~AT_REMOVEDIR) return -E.EINVAL;
  const dir = (flags & AT_REMOVEDIR) !== 0;
  const pr = parentOf(c, dirfd, pathIdx);
  if (typeof pr === 'number') return pr;
  if (dir) {
    // do_rmdir: LAST_DOT, LAST_DOTDOT, LAST_ROOT.
    if (pr.name === '.') return -E.EINVAL;
    if (pr.name === '..') return -E.ENOTEMPTY;
    if (pr.name === '') return -E.EBUSY;
  } else if (pr.name === '' || pr.name === '.' || pr.name === '..') {
    return -E.EISDIR;
  }
  const ch = pr.dir.d.child(pr.name);
  if (typeof ch === 'number') return ch;
  if (!ch) return -E.ENOENT;
  if (!dir && pr.trailingSlash && !ch.inode.isDir()) return -E.ENOTDIR;
  const ok = mayModifyDir(c, pr.dir);
  if (ok < 0) return ok;
  const st = ch.inode.stat();
  if (typeof st === 'number') return st;
  if (!stickyOk(c.task.creds, pr.dir, st.uid)) return -E.EPERM;
  if (isMountpoint(pr.dir, pr.name)) return -E.EBUSY;
  const key = fsnotify.active ? fsnotify.keyOf(ch.inode) : null;
  const r = dir ? pr.dir.d.inode.rmdir(pr.name) : pr.dir.d.inode.unlink(pr.name);
  if (r < 0) return r;
  pr.dir.d.drop(pr.name);
  fsnotify.removed(pr.dir.d.inode, pr.name, ch.inode, key);
  return 0;
}

function renameAt(c: Call, olddirfd: number, oldIdx: number, newdirfd: number, newIdx: number, flags: number): number {
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -E.EINVAL;
  if (flags & RENAME_EXCHANGE && flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) return -E.EINVAL;
  if (flags & RENAME_WHITEOUT) return -E.EINVAL;
  const op = parentOf(c, olddirfd, oldIdx);
  if (typeof op === 'number') return op;
  const np = parentOf(c, newdirfd, newIdx);
  if (typeof np === 'number') return np;
  // Linux's order (do_renameat2): mounts, then "", "." and ".." on either side.
  if (op.dir.mnt !== np.dir.mnt) return -E.EXDEV;
  const bad = (n: string) => n === '' || n === '.' || n === '..';
  if (bad(op.name)) return -E.EBUSY;
  if (bad(np.name)) return flags & RENAME_NOREPLACE ? -E.EEXIST : -E.EBUSY;
  const src = op.dir.d.child(op.name);
  if (typeof src === 'number') return src;
  if (!src) return -E.ENOENT;
  const dst = np.dir.d.child(np.name);
  if (typeof dst === 'number') return dst;
  // Before the same-inode shortcut of the filesystems.
  if (dst && flags & RENAME_NOREPLACE) return -E.EEXIST;
  if ((op.trailingSlash || np.trailingSlash) && !src.inode.isDir()) return -E.ENOTDIR;
  let ok = mayModifyDir(c, op.dir);
  if (ok < 0) return ok;
  ok = mayModifyDir(c, np.dir);
  if (ok < 0) return ok;
  const sst = src.inode.stat();
  if (typeof sst === 'number') return sst;
  if (!stickyOk(c.task.creds, op.dir, sst.uid)) return -E.EPERM;
  if (dst) {
    const dstSt = dst.inode.stat();
    if (typeof dstSt === 'number') return dstSt;
    if (!stickyOk(c.task.creds, np.dir, dstSt.uid)) return -E.EPERM;
    if (isMountpoint(np.dir, np.name)) return -E.EBUSY;
  }
  if (isMountpoint(op.dir, op.name)) return -E.EBUSY;
  // A directory cannot move below itself.
  if (src.inode.isDir()) {
    for (let d = np.dir.d as typeof src | null; d; d = d.parent) if (d === src) return -E.EINVAL;
  }
  const dstKey = dst && fsnotify.active ? fsnotify.keyOf(dst.inode) : null;
  const r = op.dir.d.inode.rename(op.name, np.dir.d.inode, np.name, flags);
  if (r < 0) return r;
  // Move the cached dentry so open fds and cwds keep a correct path.
  op.dir.d.children.delete(op.name);
  if (flags & RENAME_EXCHANGE && dst) {
    np.dir.d.children.delete(np.name);
    dst.parent = op.dir.d;
    dst.name = op.name;
    op.dir.d.children.set(op.name, dst);
  } else if (dst) {
    np.dir.d.drop(np.name);
  }
  src.parent = np.dir.d;
  src.name = np.name;
  np.dir.d.children.set(np.name, src);
  if (fsnotify.active && src.inode !== dst?.inode) {
    const exchange = (flags & RENAME_EXCHANGE) !== 0;
    fsnotify.renamed(op.dir.d.inode, op.name, np.dir.d.inode, np.name, src.inode, exchange ? null : (dst?.inode ?? null), dstKey);
    if (exchange && dst) fsnotify.renamed(np.dir.d.inode, np.name, op.dir.d.inode, op.name, dst.inode, null, null);
  }
  return 0;
}

// ---- read the tree ----

function readlinkAt(c: Call, dirfd: number, pathIdx: number, bufIdx: number, sizeIdx: number): number {
  const size = c.int(sizeIdx);
  if (size <= 0) return -E.EINVAL;
  const p = resolve(c, dirfd, pathIdx, false, AT_EMPTY_PATH);
  if (typeof p === 'number') return p;
  if (!p.d.inode.isSymlink()) return -E.EINVAL;
  const t = p.d.inode.readlink();
  if (typeof t === 'number') return t;
  const b = Buffer.from(t, 'latin1').subarray(0, size);
  const w = c.write(c.ptr(bufIdx), b);
  return w < 0 ? w : b.length;
}

/** getcwd(buf, size) */
function sysGetcwd(c: Call): number {
  const fs = c.task.fs;
  if (fs.cwd.d.unlinked) return -E.ENOENT;
  let s = pathOf(fs.cwd, fs.root);
  if (!isBelow(fs.cwd, fs.root)) s = '(unreachable)' + s;
  const b = Buffer.from(s + '\0', 'latin1');
  if (b.length > c.ptr(1)) return -E.ERANGE;
  const w = c.write(c.ptr(0), b);
  return w < 0 ? w : b.length;
}

function isBelow(p: VPath, root: VPath): boolean {
  let { mnt, d } = p;
  for (let i = 0; i < 4096; i++) {
    if (mnt === root.mnt && d === root.d) return true;
    if (d === mnt.root) {
      if (!mnt.parent || !mnt.mountpoint) return false;
      d = mnt.mountpoint;
      mnt = mnt.parent;
      continue;
    }
    if (!d.parent) return false;
    d = d.parent;
  }
  return false;
}

function chdirTo(c: Call, p: VPath): number {
  if (!p.d.inode.isDir()) return -E.ENOTDIR;
  const st = p.d.inode.stat();
  if (typeof st === 'number') return st;
  const ok = permission(st, c.task.creds, MAY_EXEC);
  if (ok < 0) return ok;
  c.task.fs.cwd = p;
  return 0;
}

/** chdir(path) */
function sysChdir(c: Call): number {
  const p = resolve(c, AT_FDCWD, 0, true);
  return typeof p === 'number' ? p : chdirTo(c, p);
}

/** fchdir(fd) */
function sysFchdir(c: Call): number {
  const f = fileOf(c, c.int(0));
  if (typeof f === 'number') return f;
  if (!f.path) return -E.ENOTDIR;
  return chdirTo(c, f.path);
}

/** chroot(path): root inside may change its root within the sandbox. */
function sysChroot(c: Call): number {
  if (!c.task.creds.hasCap(CAP_SYS_CHROOT)) return -E.EPERM;
  const p = resolve(c, AT_FDCWD, 0, true);
  if (typeof p === 'number') return p;
  if (!p.d.inode.isDir()) return -E.ENOTDIR;
  c.task.fs.root = p;
  return 0;
}

/** access(path, mode) and friends: checks with the real ids unless AT_EACCESS. */
function accessAt(c: Call, dirfd: number, pathIdx: number, mode: number, flags: number): number {
  if (mode & ~(R_OK | W_OK | X_OK)) return -E.EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
  const p = resolve(c, dirfd, pathIdx, !(flags & AT_SYMLINK_NOFOLLOW), flags);
  if (typeof p === 'number') return p;
  if (mode === F_OK) return 0;
  const st = p.d.inode.stat();
  if (typeof st === 'number') return st;
  let creds = c.task.creds;
  if (!(flags & AT_EACCESS)) {
    creds = creds.clone();
    creds.fsuid = creds.uid;
    creds.fsgid = creds.gid;
    if (creds.uid !== 0) creds.capEffective = 0n;
  }
  if (mode & W_OK && (p.mnt.opts.readOnly || p.d.inode.fs.readOnly)) {
    const t = st.mode & S_IFMT;
    if (t === S_IFREG || t === S_IFDIR || t === 0o120000) return -E.EROFS;
  }
  let mask = 0;
  if (mode & R_OK) mask |= MAY_READ;
  if (mode & W_OK) mask |= MAY_WRITE;
  if (mode & X_OK) mask |= MAY_EXEC;
  return permission(st, creds, mask);
}

// ---- attributes ----

/** The one place attributes change by path or fd: the filesystem, then the notifier. */
function setattr(p: VPath, a: SetAttr): number {
  if (p.mnt.opts.readOnly) return -E.EROFS;
  const r = p.d.inode.setattr(a);
  if (r === 0) {
    fsnotify.changed(p.d, p.d.inode, {
      mode: a.mode !== undefined,
      owner: a.uid !== undefined || a.gid !== undefined,
      size: a.size !== undefined,
      atime: a.atime !== undefined,
      mtime: a.mtime !== undefined,
    });
  }
  return r;
}

function chmodInode(c: Call, p: VPath, mode: number): number {
  const st = p.d.inode.stat();
  if (typeof st === 'number') return st;
  const creds = c.task.creds;
  if (creds.fsuid !== st.uid && !creds.hasCap(CAP_FOWNER)) return -E.EPERM;
  let m = mode & 0o7777;
  if (m & S_ISGID && !creds.inGroup(st.gid) && !creds.hasCap(CAP_FSETID)) m &= ~S_ISGID;
  return setattr(p, { mode: m });
}

function chownInode(c: Call, p: VPath, uid: number, gid: number): number {
  const st = p.d.inode.stat();
  if (typeof st === 'number') return st;
  const creds = c.task.creds;
  const changeUid = uid !== -1 && uid !== st.uid;
  const changeGid = gid !== -1 && gid !== st.gid;
  if (!creds.hasCap(CAP_CHOWN)) {
    if (changeUid) return -E.EPERM;
    if (changeGid && (creds.fsuid !== st.uid || !creds.inGroup(gid))) return -E.EPERM;
  }
  const a: SetAttr = {};
  if (uid !== -1) a.uid = uid;
  if (gid !== -1) a.gid = gid;
  // Changing owners clears set-id bits on regular files, as Linux does.
  if ((changeUid || changeGid) && (st.mode & S_IFMT) === S_IFREG && st.mode & (S_ISUID | S_ISGID)) {
    a.mode = st.mode & 0o7777 & ~S_ISUID & ~(st.mode & 0o010 ? S_ISGID : 0);
  }
  return setattr(p, a);
}

function readTimespecs(c: Call, addr: number): [Timespec | 'now' | undefined, Timespec | 'now' | undefined] | number {
  if (addr === 0) return ['now', 'now'];
  const b = c.read(addr, 32);
  if (typeof b === 'number') return b;
  const conv = (off: number): Timespec | 'now' | undefined | number => {
    const sec = Number(b.readBigInt64LE(off));
    const nsec = Number(b.readBigInt64LE(off + 8));
    if (nsec === UTIME_NOW) return 'now';
    if (nsec === UTIME_OMIT) return undefined;
    if (nsec < 0 || nsec > 999999999) return -E.EINVAL;
    return { sec, nsec };
  };
  const a = conv(0);
  const m = conv(16);
  if (typeof a === 'number') return a;
  if (typeof m === 'number') return m;
  return [a, m];
}

function utimesInode(c: Call, p: VPath, times: [Timespec | 'now' | undefined, Timespec | 'now' | undefined]): number {
  const st = p.d.inode.stat();
  if (typeof st === 'number') return st;
  const creds = c.task.creds;
  const owner = creds.fsuid === st.uid || creds.hasCap(CAP_FOWNER);
  const onlyNow = (times[0] === 'now' || times[0] === undefined) && (times[1] === 'now' || times[1] === undefined);
  if (!owner) {
    if (!onlyNow) return -E.EPERM;
    const w = permission(st, creds, MAY_WRITE);
    if (w < 0) return w;
  }
  if (times[0] === undefined && times[1] === undefined) return 0;
  return setattr(p, { atime: times[0], mtime: times[1] });
}

function utimensatImpl(c: Call): number {
  const dirfd = c.int(0);
  const flags = c.int(3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
  const times = readTimespecs(c, c.ptr(2));
  if (typeof times === 'number') return times;
  let p: VPath | number;
  if (c.ptr(1) === 0) {
    // utimensat(fd, NULL, ...) is futimens.
    const f = ioFileOf(c, dirfd);
    if (typeof f === 'number') return f;
    if (!f.path) return -E.EBADF;
    p = f.path;
  } else {
    p = resolve(c, dirfd, 1, !(flags & AT_SYMLINK_NOFOLLOW), flags);
  }
  if (typeof p === 'number') return p;
  return utimesInode(c, p, times);
}

/** utimes(path, timeval[2]) / futimesat(dirfd, path, timeval[2]) */
function utimesTimeval(c: Call, dirfd: number, pathIdx: number, tvIdx: number): number {
  let times: [Timespec | 'now', Timespec | 'now'] = ['now', 'now'];
  const addr = c.ptr(tvIdx);
  if (addr) {
    const b = c.read(addr, 32);
    if (typeof b === 'number') return b;
    const tv = (o: number): Timespec | number => {
      const usec = Number(b.readBigInt64LE(o + 8));
      if (usec < 0 || usec >= 1e6) return -E.EINVAL;
      return { sec: Number(b.readBigInt64LE(o)), nsec: usec * 1000 };
    };
    const a = tv(0);
    const m = tv(16);
    if (typeof a === 'number') return a;
    if (typeof m === 'number') return m;
    times = [a, m];
  }
  const p = resolve(c, dirfd, pathIdx, true);
  return typeof p === 'number' ? p : utimesInode(c, p, times);
}

/** utime(path, utimbuf*) */
function sysUtime(c: Call): number {
  let times: [Timespec | 'now', Timespec | 'now'] = ['now', 'now'];
  const addr = c.ptr(1);
  if (addr) {
    const b = c.read(addr, 16);
    if (typeof b === 'number') return b;
    times = [{ sec: Number(b.readBigInt64LE(0)), nsec: 0 }, { sec: Number(b.readBigInt64LE(8)), nsec: 0 }];
  }
  const p = resolve(c, AT_FDCWD, 0, true);
  return typeof p === 'number' ? p : utimesInode(c, p, times);
}

function truncateInode(c: Call, p: VPath, len: number): number {
  if (len < 0) return -E.EINVAL;
  if (p.d.inode.isDir()) return -E.EISDIR;
  if (!p.d.inode.isRegular()) return -E.EINVAL;
  const st = p.d.inode.stat();
  if (typeof st === 'number') return st;
  if (p.mnt.opts.readOnly || p.d.inode.fs.readOnly) return -E.EROFS;
  const ok = permission(st, c.task.creds, MAY_WRITE);
  if (ok < 0) return ok;
  return setattr(p, { size: len });
}

export const pathSyscalls: SyscallFamily = {
  mkdir: { fn: (c) => mkdirAt(c, AT_FDCWD, 0, c.uint(1)), args: 'path,mode' },
  mkdirat: { fn: (c) => mkdirAt(c, c.int(0), 1, c.uint(2)), args: 'atfd,path,mode' },
  mknod: { fn: (c) => mknodAt(c, AT_FDCWD, 0, c.uint(1), c.ptr(2)), args: 'path,mode,hex', partial: 'regular files, FIFOs and socket names; device nodes EPERM' },
  mknodat: { fn: (c) => mknodAt(c, c.int(0), 1, c.uint(2), c.ptr(3)), args: 'atfd,path,mode,hex', partial: 'regular files, FIFOs and socket names; device nodes EPERM' },
  symlink: { fn: (c) => symlinkAt(c, 0, AT_FDCWD, 1), args: 'str,path' },
  symlinkat: { fn: (c) => symlinkAt(c, 0, c.int(1), 2), args: 'str,atfd,path' },
  link: { fn: (c) => linkAt(c, AT_FDCWD, 0, AT_FDCWD, 1, 0), args: 'path,path' },
  linkat: { fn: (c) => linkAt(c, c.int(0), 1, c.int(2), 3, c.int(4)), args: 'atfd,path,atfd,path,hex' },
  unlink: { fn: (c) => unlinkAt(c, AT_FDCWD, 0, 0), args: 'path' },
  unlinkat: { fn: (c) => unlinkAt(c, c.int(0), 1, c.int(2)), args: 'atfd,path,hex' },
  rmdir: { fn: (c) => unlinkAt(c, AT_FDCWD, 0, AT_REMOVEDIR), args: 'path' },
  rename: { fn: (c) => renameAt(c, AT_FDCWD, 0, AT_FDCWD, 1, 0), args: 'path,path' },
  renameat: { fn: (c) => renameAt(c, c.int(0), 1, c.int(2), 3, 0), args: 'atfd,path,atfd,path' },
  renameat2: { fn: (c) => renameAt(c, c.int(0), 1, c.int(2), 3, c.uint(4)), args: 'atfd,path,atfd,path,hex', partial: 'RENAME_WHITEOUT is EINVAL' },
  readlink: { fn: (c) => readlinkAt(c, AT_FDCWD, 0, 1, 2), args: 'path,ptr,int' },
  readlinkat: { fn: (c) => readlinkAt(c, c.int(0), 1, 2, 3), args: 'atfd,path,ptr,int' },
  getcwd: { fn: sysGetcwd, args: 'ptr,size' },
  chdir: { fn: sysChdir, args: 'path' },
  fchdir: { fn: sysFchdir, args: 'fd' },
  chroot: { fn: sysChroot, args: 'path' },
  access: { fn: (c) => accessAt(c, AT_FDCWD, 0, c.int(1), 0), args: 'path,int' },
  faccessat: { fn: (c) => accessAt(c, c.int(0), 1, c.int(2), 0), args: 'atfd,path,int' },
  faccessat2: { fn: (c) => accessAt(c, c.int(0), 1, c.int(2), c.int(3)), args: 'atfd,path,int,hex' },
  chmod: { fn: (c) => { const p = resolve(c, AT_FDCWD, 0, true); return typeof p === 'number' ? p : chmodInode(c, p, c.uint(1)); }, args: 'path,mode' },
  fchmodat: { fn: (c) => { const p = resolve(c, c.int(0), 1, true); return typeof p === 'number' ? p : chmodInode(c, p, c.uint(2)); }, args: 'atfd,path,mode' },
  fchmodat2: {
    fn: (c) => {
      const flags = c.int(3);
      if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
      const p = resolve(c, c.int(0), 1, !(flags & AT_SYMLINK_NOFOLLOW), flags);
      if (typeof p === 'number') return p;
      if (p.d.inode.isSymlink()) return -E.EOPNOTSUPP;
      return chmodInode(c, p, c.uint(2));
    },
    args: 'atfd,path,mode,hex',
  },
  fchmod: { fn: (c) => { const f = ioFileOf(c, c.int(0)); if (typeof f === 'number') return f; return f.path ? chmodInode(c, f.path, c.uint(1)) : -E.EBADF; }, args: 'fd,mode' },
  chown: { fn: (c) => { const p = resolve(c, AT_FDCWD, 0, true); return typeof p === 'number' ? p : chownInode(c, p, c.int(1), c.int(2)); }, args: 'path,int,int' },
  lchown: { fn: (c) => { const p = resolve(c, AT_FDCWD, 0, false); return typeof p === 'number' ? p : chownInode(c, p, c.int(1), c.int(2)); }, args: 'path,int,int' },
  fchown: { fn: (c) => { const f = ioFileOf(c, c.int(0)); if (typeof f === 'number') return f; return f.path ? chownInode(c, f.path, c.int(1), c.int(2)) : -E.EBADF; }, args: 'fd,int,int' },
  fchownat: {
    fn: (c) => {
      const flags = c.int(4);
      if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
      const p = resolve(c, c.int(0), 1, !(flags & AT_SYMLINK_NOFOLLOW), flags);
      return typeof p === 'number' ? p : chownInode(c, p, c.int(2), c.int(3));
    },
    args: 'atfd,path,int,int,hex',
  },
  utimensat: { fn: utimensatImpl, args: 'atfd,path,ptr,hex' },
  utimes: { fn: (c) => utimesTimeval(c, AT_FDCWD, 0, 1), args: 'path,ptr' },
  futimesat: { fn: (c) => utimesTimeval(c, c.int(0), 1, 2), args: 'atfd,path,ptr' },
  utime: { fn: sysUtime, args: 'path,ptr' },
  truncate: { fn: (c) => { const p = resolve(c, AT_FDCWD, 0, true); return typeof p === 'number' ? p : truncateInode(c, p, c.long(1)); }, args: 'path,int' },
  umask: { fn: (c) => { const old = c.task.fs.umask; c.task.fs.umask = c.uint(0) & 0o777; return old; }, args: 'mode', ret: 'hex' },
};
