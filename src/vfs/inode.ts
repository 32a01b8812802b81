// The object model of the VFS: inodes (what a filesystem knows about a file),
// their metadata, and the operations a filesystem may implement. Every
// operation returns a value or a negative errno; none throws for a guest error.
import { E } from '../abi/errno.js';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from '../abi/flags.js';
import type { Creds } from './creds.js';
import type { FilePrivate } from './file.js';
import type { VPath } from './mount.js';

export type { Stat, Timespec } from '../abi/stat.js';
import type { Stat, Timespec } from '../abi/stat.js';

export interface DirEntry {
  name: string;
  ino: number;
  /** S_IF* type bits (mode & S_IFMT). */
  type: number;
}

/** What an open of an inode produced: the host object that carries the bytes. */
export interface Opened {
  /** A host fd the sentry owns; installed into the guest at the virtual fd number. */
  hostFd: number;
  /** Per-open state the open file description keeps (OpenFile.priv). */
  priv?: FilePrivate;
  /** Set when reads/writes need the sentry (no host object can carry them). */
  special?: SpecialFile;
  /** Set (with hostFd -1) when the open has to block first: see OpenWait. */
  wait?: OpenWait;
}

/**
 * An open that must wait for something else to happen (a FIFO opened for
 * reading waits for a writer, and the other way round). The caller parks the
 * opening thread, retries when woken, and either finishes or cancels.
 */
export interface OpenWait {
  /** True once finish() may be called. */
  ready(): boolean;
  /** Calls `wake` whenever ready() may have become true; returns the unsubscribe. */
  subscribe(wake: () => void): () => void;
  /** Completes the open (after ready()): the host fd, or -errno. */
  finish(): number;
  /** The opener gave up (a signal, its death): undo what the open counted. */
  cancel(): void;
}

/**
 * A file whose writes mean something to the sentry (a writable /proc file:
 * comm, oom_score_adj). Its host object only collects the bytes: a write the
 * sentry performs (strict policy) is applied at once; bytes the guest wrote
 * natively (balanced policy) are applied when the open file description goes.
 */
export interface SpecialFile {
  /**
   * The host object applies writes itself (a host /proc file of the guest's
   * own thread): the guest's own call performs them in either policy, and
   * release() only mirrors the result into the sentry.
   */
  readonly native?: boolean;
  /** A write seen by the sentry: the bytes taken, or -errno. */
  write(data: Buffer): number;
  /** The last reference to the description went: apply what the host object collected. */
  release(hostFd: number): void;
}

export interface SetAttr {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: Timespec | 'now';
  mtime?: Timespec | 'now';
}

/** What statfs reports about a filesystem (block counts in units of bsize). */
export interface StatfsInfo {
  /** Magic number (f_type); 0 lets the caller pick one by the filesystem's name. */
  type: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  namelen: number;
}

export interface FileSystem {
  readonly name: string; // "overlay", "tmpfs", "proc", ...
  readonly dev: number;
  readonly readOnly: boolean;
  /** Its own sizes, where it has any (a host directory's filesystem, a size-limited tmpfs). */
  statfs?(): StatfsInfo | number;
}

/**
 * An inode. Filesystems subclass it and override what they support; the
 * defaults answer like Linux does for an object that cannot do the operation.
 */
export abstract class Inode {
  /**
   * An O_TMPFILE file opened without O_EXCL: linkat may give it a first name
   * although its link count is 0 (Linux I_LINKABLE; cleared by that link).
   */
  linkable = false;
  /** Open file descriptions of this object (an object with no name ends with the last). */
  openCount = 0;

  constructor(readonly fs: FileSystem) {}

  abstract stat(): Stat | number;

  get mode(): number {
    const st = this.stat();
    return typeof st === 'number' ? 0 : st.mode;
  }

  /**
   * The inode that holds this one's bytes and identity: itself, except for a
   * union (the overlay) whose object lives in one of its layers.
   */
  backing(): Inode {
    return this;
  }

  /** Whether a dentry may keep this inode; false where every lookup must ask again (procfs). */
  get cacheable(): boolean {
    return true;
  }

  isDir(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR;
  }

  isSymlink(): boolean {
    return (this.mode & S_IFMT) === S_IFLNK;
  }

  isRegular(): boolean {
    return (this.mode & S_IFMT) === S_IFREG;
  }

  /** A child by name: the inode, null when absent, or -errno. */
  lookup(_name: string): Inode | null | number {
    return -E.ENOTDIR;
  }

  readdir(): DirEntry[] | number {
    return -E.ENOTDIR;
  }

  readlink(): string | number {
    return -E.EINVAL;
  }

  /**
   * A magic link (/proc/PID/fd/N, exe, cwd, root) names an object, not a path:
   * the walk jumps to what this returns instead of resolving readlink()'s text.
   * null for ordinary symlinks.
   */
  magicLink(): VPath | number | null {
    return null;
  }

  /**
   * Opens for I/O; `flags` are the guest's open flags (access mode, O_APPEND,
   * O_NONBLOCK...). Only FIFOs answer with a wait (Opened.wait).
   */
  open(_flags: number): Opened | number {
    return -E.ENXIO;
  }

  create(_name: string, _mode: number, _creds: Creds): Inode | number {
    return this.isDir() ? -E.EROFS : -E.ENOTDIR;
  }

  /** O_TMPFILE: a new regular file in this directory with no name (link count 0). */
  tmpfile(_mode: number, _creds: Creds): Inode | number {
    return this.isDir() ? -E.EOPNOTSUPP : -E.ENOTDIR;
  }

  mkdir(_name: string, _mode: number, _creds: Creds): Inode | number {
    return this.isDir() ? -E.EROFS : -E.ENOTDIR;
  }

  mknod(_name: string, _mode: number, _rdev: number, _creds: Creds): Inode | number {
    return this.isDir() ? -E.EROFS : -E.ENOTDIR;
  }

  symlink(_name: string, _target: string, _creds: Creds): Inode | number {
    return this.isDir() ? -E.EROFS : -E.ENOTDIR;
  }

  link(_name: string, _target: Inode): number {
    return this.isDir() ? -E.EROFS : -E.ENOTDIR;
  }

  unlink(_name: string): number {
    return this.isDir() ? -E.EROFS : -E.ENOTDIR;
  }

  rmdir(_name: string): number {
    return this.isDir() ? -E.EROFS : -E.ENOTDIR;
  }

  /** Moves this directory's entry `name` to `newDir`/`newName` (same filesystem). */
  rename(_name: string, _newDir: Inode, _newName: string, _flags: number): number {
    return this.isDir() ? -E.EROFS : -E.ENOTDIR;
  }

  setattr(_attr: SetAttr): number {
    return -E.EROFS;
  }

  /** Lines an open file of this object adds to /proc/PID/fdinfo/N (an inotify instance lists its watches). */
  fdinfo(): string {
    return '';
  }

  /**
   * How many of `len` bytes written at `pos` (-1: at the end, O_APPEND) the
   * filesystem can hold (the sentry's own writes, strict policy): `len`
   * unless a size limit stops them; -ENOSPC when none fit.
   */
  writable(_pos: number, len: number): number {
    return len;
  }

  /** Called by the VFS when the last reference to an open description goes; `flags` are its status flags. */
  release(_flags: number): void {}
}

export function nowTimespec(): Timespec {
  const ms = Date.now();
  const hr = process.hrtime();
  return { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 + (hr[1] % 1e6) };
}

/** The S_IF* type of a mode as a d_type value for getdents. */
export function dtypeOf(mode: number): number {
  return (mode & S_IFMT) >> 12;
}

export function isErr<T>(v: T | number): v is number {
  return typeof v === 'number';
}
