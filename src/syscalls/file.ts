// Opening files: open, openat, openat2, creat. The path is resolved by the
// sentry (src/vfs/namei.ts); the filesystem opens a fresh host object (a
// lower-layer file beneath its root, a memfd, a placeholder for directories),
// which is installed into the guest at the virtual fd and the call answered
// in the same step.
import { E } from '../abi/errno.js';
import {
  O_ACCMODE, O_APPEND, O_ASYNC, O_CLOEXEC, O_CREAT, O_DIRECT, O_DIRECTORY, O_DSYNC, O_EXCL, O_LARGEFILE, O_NOATIME,
  O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_PATH, O_RDONLY, O_RDWR, O_SYNC, O_TMPFILE, O_TRUNC, O_WRONLY,
  AT_FDCWD, RESOLVE_BENEATH, RESOLVE_CACHED, RESOLVE_IN_ROOT, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK,
} from '../abi/flags.js';
import { DEFER } from '../platform/trap-abi.js';
import { CAP_FOWNER } from '../vfs/creds.js';
import { OpenFile, type FileKind } from '../vfs/file.js';
import type { Inode, OpenWait } from '../vfs/inode.js';
import type { VPath } from '../vfs/mount.js';
import { fsnotify, IN_MODIFY } from '../vfs/fsnotify.js';
import { type NameiContext, walk, walkCreate } from '../vfs/namei.js';
import { MAY_EXEC, MAY_READ, MAY_WRITE, permission } from '../vfs/perm.js';
import { openDirPlaceholder, openPathPlaceholder } from '../vfs/placeholder.js';
import type { Call } from './call.js';
import { fdLimit, fileOf, installAndReply, startDir } from './common.js';
import type { SyscallFamily } from './types.js';

const KNOWN_FLAGS =
  O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT |
  O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_SYNC | O_PATH | O_TMPFILE;
/** Flags O_PATH combines with; open() and openat() drop the others. */
const O_PATH_FLAGS = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
const TMPFILE_BIT = O_TMPFILE & ~O_DIRECTORY;
/** Open flags an open file description does not keep (F_GETFL never shows them). */
const NOT_KEPT = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC;

function mayOpen(c: Call, p: VPath, flags: number, created: boolean): number {
  const inode = p.d.inode;
  const st = inode.stat();
  if (typeof st === 'number') return st;
  if (flags & O_PATH) return 0;
  const acc = flags & O_ACCMODE;
  const writes = acc === O_WRONLY || acc === O_RDWR || (flags & O_TRUNC) !== 0;
  if (inode.isDir() && (writes || flags & O_CREAT)) return -E.EISDIR;
  if (writes && (p.mnt.opts.readOnly || inode.fs.readOnly) && (st.mode & S_IFMT) === S_IFREG) return -E.EROFS;
  if (created) return 0;
  let mask = 0;
  if (acc === O_RDONLY || acc === O_RDWR) mask |= MAY_READ;
  if (writes) mask |= MAY_WRITE;
  if (acc === O_ACCMODE) mask |= MAY_READ | MAY_WRITE;
  if (mask) {
    const r = permission(st, c.task.creds, mask);
    if (r < 0) return r;
  }
  if (flags & O_NOATIME && c.task.creds.fsuid !== st.uid && !c.task.creds.hasCap(CAP_FOWNER)) return -E.EPERM;
  return 0;
}

function kindOf(inode: Inode): FileKind {
  switch (inode.mode & S_IFMT) {
    case S_IFDIR:
      return 'dir';
    case S_IFIFO:
      return 'pipe';
    case S_IFSOCK:
      return 'socket';
    default:
      return 'file';
  }
}

/** An open that waits (a FIFO without its other end): what completes it. */
interface PendingOpen {
  wait: OpenWait;
  make(hostFd: number): OpenFile;
}

/** Opens the host object behind an inode for the guest. */
export function openInode(p: VPath, flags: number): OpenFile | PendingOpen | number {
  const inode = p.d.inode;
  let hostFd: number;
  if (flags & O_PATH) {
    hostFd = openPathPlaceholder();
  } else if (inode.isDir()) {
    hostFd = openDirPlaceholder();
  } else {
    const o = inode.open(flags);
    if (typeof o === 'number') return o;
    if (o.wait) return { wait: o.wait, make: (fd) => newOpenFile(p, flags, fd) };
    if (o.hostFd < 0) return o.hostFd;
    const f = newOpenFile(p, flags, o.hostFd);
    if (o.special) f.special = o.special;
    if (o.priv) f.priv = o.priv;
    return f;
  }
  if (hostFd < 0) return hostFd;
  return newOpenFile(p, flags, hostFd);
}

function newOpenFile(p: VPath, flags: number, hostFd: number): OpenFile {
  // f_flags as Linux keeps them: O_LARGEFILE is forced on 64-bit, except for O_PATH.
  const kept = flags & O_PATH ? flags & ~NOT_KEPT : (flags & ~NOT_KEPT) | O_LARGEFILE;
  return new OpenFile(p, p.d.inode, kept, hostFd, flags & O_PATH ? 'special' : kindOf(p.d.inode), p.d.dname);
}

/** How often a parked open checks that its caller still waits for it (signals, death). */
const PARKED_CHECK_MS = 200;

/**
 * Parks an open that has to wait: the guest thread stays in its open() until
 * the filesystem says the open may finish; then the file is installed and the
 * call answered under the kept notification id. A caller that went away (a
 * signal aborted the call, the task died) cancels the open.
 */
function parkOpen(c: Call, pending: PendingOpen, cloexec: boolean): number {
  const { wait, make } = pending;
  const id = c.id();
  const task = c.task;
  const pf = c.pf;
  const kernel = c.kernel;
  const nr = c.nr;
  const limit = fdLimit(c);
  let finished = false;
  const stop = (): void => {
    finished = true;
    unsubscribe();
    clearInterval(timer);
  };
  const attempt = (): void => {
    if (finished) return;
    if (task.dead || !pf.idValid(id)) {
      stop();
      wait.cancel();
      kernel.finishDeferred(task);
      return;
    }
    if (!wait.ready()) return;
    stop();
    kernel.finishDeferred(task, complete());
  };
  /** Installs the opened file and answers; returns what the guest got. */
  const complete = (): number => {
    const hostFd = wait.finish();
    if (hostFd < 0) {
      pf.reply(id, hostFd);
      return hostFd;
    }
    const f = make(hostFd);
    fsnotify.opened(f);
    const fd = task.files.alloc(0, limit);
    if (fd < 0) {
      f.unref();
      pf.reply(id, fd);
      return fd;
    }
    const r = pf.addFdFor(id, hostFd, fd, cloexec, true);
    if (r < 0) {
      f.unref();
      return r;
    }
    task.files.install(fd, f, cloexec)?.file.unref();
    return fd;
  };
  const unsubscribe = wait.subscribe(attempt);
  const timer = setInterval(attempt, PARKED_CHECK_MS);
  timer.unref();
  // A signal ends the wait with ERESTARTSYS (kernel.interrupt), as fifo_open's sleep.
  kernel.deferCall(task, id, nr, () => {
    stop();
    wait.cancel();
  });
  return DEFER;
}

export interface OpenHow {
  flags: number;
  mode: number;
  resolve: number;
}

/** Every RESOLVE_* flag openat2 knows. */
const RESOLVE_ALL = 0x3f;
const SCOPED = RESOLVE_BENEATH | RESOLVE_IN_ROOT;

/**
 * Where a scoped lookup (RESOLVE_BENEATH, RESOLVE_IN_ROOT) starts: the dirfd
 * (or the cwd) whatever the path, since it is also the lookup's root.
 */
function scopeDir(c: Call, dirfd: number, path: string): VPath | number {
  if (dirfd === AT_FDCWD) return c.task.fs.cwd;
  const f = fileOf(c, dirfd);
  if (typeof f === 'number') return f;
  if (!f.path) return -E.ENOTDIR;
  if (path.length && !f.inode.isDir()) return -E.ENOTDIR;
  return f.path;
}

/**
 * O_TMPFILE: an unnamed regular file in directory `dir` (Linux vfs_tmpfile).
 * Its dentry is named "#<ino>" and unhashed, as d_tmpfile makes it, so its
 * path reads "DIR/#INO (deleted)"; linkat may give it a name unless O_EXCL.
 */
function makeTmpfile(c: Call, dir: VPath, how: OpenHow): VPath | number {
  if (dir.mnt.opts.readOnly) return -E.EROFS;
  const dst = dir.d.inode.stat();
  if (typeof dst === 'number') return dst;
  const perm = permission(dst, c.task.creds, MAY_WRITE | MAY_EXEC);
  if (perm < 0) return perm;
  const mode = how.mode & ~c.task.fs.umask & 0o7777;
  const inode = dir.d.inode.tmpfile(mode, c.task.creds);
  if (typeof inode === 'number') return inode;
  inode.linkable = (how.flags & O_EXCL) === 0;
  const st = inode.stat();
  return { mnt: dir.mnt, d: dir.d.orphan(`#${typeof st === 'number' ? 0 : st.ino}`, inode) };
}

/** The shared body of open, openat, openat2 and creat (O_PATH already masked by the legacy calls). */
export function doOpen(c: Call, dirfd: number, pathArg: number, how: OpenHow): number {
  const flags = how.flags;
  // Checked before the path is read, as build_open_flags does (Linux >= 6.4).
  if ((flags & (O_DIRECTORY | O_CREAT)) === (O_DIRECTORY | O_CREAT)) return -E.EINVAL;
  if (flags & TMPFILE_BIT && (!(flags & O_DIRECTORY) || (flags & O_ACCMODE) === O_RDONLY)) return -E.EINVAL;
  // RESOLVE_CACHED promises not to block: creating or truncating might (build_open_flags).
  if (how.resolve & RESOLVE_CACHED && flags & (O_TRUNC | O_CREAT | TMPFILE_BIT)) return -E.EAGAIN;
  const path = c.readPath(pathArg);
  if (typeof path === 'number') return path;
  // getname() refuses "" before the dirfd is looked at.
  if (path.length === 0) return -E.ENOENT;
  const scoped = how.resolve & SCOPED;
  // An absolute path jumps to the root, which RESOLVE_BENEATH forbids before anything else (path_init).
  if (how.resolve & RESOLVE_BENEATH && path[0] === '/') return -E.EXDEV;
  const start = scoped ? scopeDir(c, dirfd, path) : startDir(c, dirfd, path);
  if (typeof start === 'number') return start;
  const base = c.kernel.nameiContext(c.task);
  const ctx: NameiContext = how.resolve ? { root: scoped ? start : base.root, creds: base.creds, resolve: how.resolve } : base;
  let p: VPath | number;
  let created = false;
  if ((flags & O_TMPFILE) === O_TMPFILE) {
    const dir = walk(ctx, start, path, { follow: !(flags & O_NOFOLLOW), directory: true });
    if (typeof dir === 'number') return dir;
    p = makeTmpfile(c, dir, how);
    if (typeof p === 'number') return p;
    created = true;
  } else if (flags & O_CREAT) {
    // O_EXCL implies O_NOFOLLOW; otherwise a trailing symlink leads to the name to create.
    const cl = walkCreate(ctx, start, path, !(flags & (O_EXCL | O_NOFOLLOW)));
    if (typeof cl === 'number') return cl;
    if (cl.name === '' || cl.name === '.' || cl.name === '..') return flags & O_EXCL ? -E.EEXIST : -E.EISDIR;
    if (cl.trailingSlash) return -E.EISDIR;
    if (cl.existing) {
      if (flags & O_EXCL) return -E.EEXIST;
      p = cl.existing;
    } else {
      if (cl.dir.mnt.opts.readOnly || cl.dir.d.inode.fs.readOnly) return -E.EROFS;
      const dst = cl.dir.d.inode.stat();
      if (typeof dst === 'number') return dst;
      const perm = permission(dst, c.task.creds, MAY_WRITE | MAY_EXEC);
      if (perm < 0) return perm;
      const mode = how.mode & ~c.task.fs.umask & 0o7777;
      const inode = cl.dir.d.inode.create(cl.name, mode, c.task.creds);
      if (typeof inode === 'number') return inode;
      p = { mnt: cl.dir.mnt, d: cl.dir.d.add(cl.name, inode) };
      created = true;
      fsnotify.created(cl.dir.d.inode, cl.name, inode);
    }
  } else {
    p = walk(ctx, start, path, { follow: !(flags & O_NOFOLLOW), directory: (flags & O_DIRECTORY) !== 0 });
    if (typeof p === 'number') return p;
  }
  if (p.d.inode.isSymlink() && !(flags & O_PATH)) return -E.ELOOP;
  // O_TMPFILE carries O_DIRECTORY: it named the directory, which the walk checked.
  if (flags & O_DIRECTORY && !p.d.inode.isDir() && !created) return -E.ENOTDIR;
  const ok = mayOpen(c, p, flags, created);
  if (ok < 0) return ok;
  const f = openInode(p, flags);
  if (typeof f === 'number') return f;
  if (!(f instanceof OpenFile)) return parkOpen(c, f, (flags & O_CLOEXEC) !== 0);
  if (fsnotify.active) {
    // Events are queued before the reply: the guest may read them as soon as its open returns.
    if (c.task.files.alloc(0, fdLimit(c)) < 0) {
      f.unref();
      return -E.EMFILE;
    }
    fsnotify.opened(f);
    // An existing file truncated by the open was modified (handle_truncate's notify_change).
    if (flags & O_TRUNC && !created && f.writable && p.d.inode.isRegular()) fsnotify.event(p.d, p.d.inode, IN_MODIFY);
  } else {
    fsnotify.opened(f);
  }
  return installAndReply(c, f, (flags & O_CLOEXEC) !== 0);
}

/** open() and openat() ignore unknown bits and every flag O_PATH does not take. */
function legacyFlags(flags: number): number {
  flags &= KNOWN_FLAGS;
  return flags & O_PATH ? flags & O_PATH_FLAGS : flags;
}

/** open(path, flags, mode) */
function sysOpen(c: Call): number {
  return doOpen(c, -100, 0, { flags: legacyFlags(c.int(1)), mode: c.uint(2), resolve: 0 });
}

/** openat(dirfd, path, flags, mode) */
function sysOpenat(c: Call): number {
  return doOpen(c, c.int(0), 1, { flags: legacyFlags(c.int(2)), mode: c.uint(3), resolve: 0 });
}

/** creat(path, mode) = open(path, O_CREAT|O_WRONLY|O_TRUNC, mode) */
function sysCreat(c: Call): number {
  return doOpen(c, -100, 0, { flags: O_CREAT | O_WRONLY | O_TRUNC, mode: c.uint(1), resolve: 0 });
}

/** openat2(dirfd, path, how, size): how = {u64 flags, u64 mode, u64 resolve}. */
function sysOpenat2(c: Call): number {
  const size = c.ptr(3);
  if (size < 24) return -E.EINVAL;
  if (size > 4096) return -E.E2BIG;
  const b = c.read(c.ptr(2), Math.min(size, 4096));
  if (typeof b === 'number') return b;
  for (let i = 24; i < b.length; i++) if (b[i]) return -E.E2BIG;
  const flags = Number(b.readBigUInt64LE(0));
  const mode = Number(b.readBigUInt64LE(8));
  const resolve = Number(b.readBigUInt64LE(16));
  // build_open_flags' order: flags, resolve flags, then the mode.
  if (flags & ~KNOWN_FLAGS || flags > 0xffffffff) return -E.EINVAL;
  if (resolve & ~RESOLVE_ALL || resolve > 0xffffffff) return -E.EINVAL;
  if ((resolve & SCOPED) === SCOPED) return -E.EINVAL;
  if (mode & ~0o7777 || (mode && !(flags & O_CREAT) && !(flags & TMPFILE_BIT))) return -E.EINVAL;
  if (flags & O_PATH && flags & ~O_PATH_FLAGS) return -E.EINVAL;
  return doOpen(c, c.int(0), 1, { flags, mode, resolve });
}

export const fileSyscalls: SyscallFamily = {
  open: { fn: sysOpen, args: 'path,oflags,mode', ret: 'fd' },
  openat: { fn: sysOpenat, args: 'atfd,path,oflags,mode', ret: 'fd' },
  openat2: { fn: sysOpenat2, args: 'atfd,path,ptr,size', ret: 'fd' },
  creat: { fn: sysCreat, args: 'path,mode', ret: 'fd' },
};
