// Helpers shared by the syscall families: fd lookup, *at() start directories,
// installing a new file into the guest.
import { E } from '../abi/errno.js';
import { AT_EMPTY_PATH, AT_FDCWD, RLIMIT_NOFILE } from '../abi/flags.js';
import { CONTINUE, REPLIED } from '../platform/trap-abi.js';
import type { FdEntry } from '../vfs/fdtable.js';
import type { OpenFile } from '../vfs/file.js';
import type { VPath } from '../vfs/mount.js';
import type { Call } from './call.js';

export function fdEntry(c: Call, fd: number): FdEntry | number {
  const e = c.task.files.get(fd);
  return e ?? -E.EBADF;
}

export function fileOf(c: Call, fd: number): OpenFile | number {
  const e = c.task.files.get(fd);
  return e ? e.file : -E.EBADF;
}

/**
 * The file behind an fd for calls that refuse O_PATH fds (Linux's fdget as
 * opposed to fdget_raw): fchmod, fchown, ioctl, flock, futimens, f*xattr...
 */
export function ioFileOf(c: Call, fd: number): OpenFile | number {
  const e = c.task.files.get(fd);
  return e && e.file.kind !== 'special' ? e.file : -E.EBADF;
}

/** Where a relative path of an *at() call starts. */
export function startDir(c: Call, dirfd: number, path: string): VPath | number {
  if (path.length && path[0] === '/') return c.task.fs.root;
  if (dirfd === AT_FDCWD) return c.task.fs.cwd;
  const f = fileOf(c, dirfd);
  if (typeof f === 'number') return f;
  if (!f.path) return -E.ENOTDIR;
  if (path.length && !f.inode.isDir()) return -E.ENOTDIR;
  return f.path;
}

/** The path an *at() call with AT_EMPTY_PATH and "" names: the fd's own. */
export function emptyPathTarget(c: Call, dirfd: number, flags: number): VPath | number | null {
  if (!(flags & AT_EMPTY_PATH)) return null;
  if (dirfd === AT_FDCWD) return c.task.fs.cwd;
  const f = fileOf(c, dirfd);
  if (typeof f === 'number') return f;
  return f.path ?? -E.EBADF;
}

/** Lowest fd a new file may take (RLIMIT_NOFILE and the platform's reservation). */
export function fdLimit(c: Call): number {
  return Math.min(c.task.group.rlimits.get(RLIMIT_NOFILE).soft, c.kernel.fdLimit);
}

/**
 * Installs `file` into the guest at the lowest free fd >= min and replies with
 * that number in the same step (ADDFD + SEND). Takes over the caller's
 * reference to `file` on success and drops it on failure.
 */
export function installAndReply(c: Call, file: OpenFile, cloexec: boolean, min = 0): number {
  const fd = c.task.files.alloc(min, fdLimit(c));
  if (fd < 0) {
    file.unref();
    return fd;
  }
  const r = c.pf.addFd(file.hostFd, fd, cloexec, true);
  if (r < 0) {
    file.unref();
    return r;
  }
  c.task.files.install(fd, file, cloexec)?.file.unref();
  c.replied = fd;
  return REPLIED;
}

/** Installs at a given number without replying (pipes, socketpairs). */
export function installAt(c: Call, file: OpenFile, fd: number, cloexec: boolean): number {
  const r = c.pf.addFd(file.hostFd, fd, cloexec, false);
  if (r < 0) return r;
  c.task.files.install(fd, file, cloexec)?.file.unref();
  return fd;
}

/**
 * dup-like calls by the guest's own thread (CONTINUE), without an ADDFD
 * round trip (35-40 us). Safe when the host will pick the number the virtual
 * table picks: the table is not shared with other threads, whose CONTINUEd
 * closes and dups could still be pending on the host. Otherwise null: the
 * caller installs with ADDFD.
 */
export function dupByHost(c: Call, file: OpenFile, cloexec: boolean, min: number): number | null {
  const files = c.task.files;
  if (files.users !== 1 || files.hasClosing) return null;
  const fd = files.alloc(min, fdLimit(c));
  if (fd < 0) return fd;
  files.install(fd, file.ref(), cloexec);
  return CONTINUE;
}
