// Open file descriptions: what a guest fd refers to. Each one owns a host fd
// (a new host open file description), which the guest holds at the same
// number as its virtual fd; the sentry keeps its own reference for the
// operations it performs (fstat, fcntl, strict-mode I/O).
import { O_ACCMODE, O_RDONLY, O_WRONLY } from '../abi/flags.js';
import { close } from '../platform/host.js';
import { fsnotify } from './fsnotify.js';
import type { DirEntry, Inode, SpecialFile } from './inode.js';
import type { VPath } from './mount.js';

/**
 * The path each object (its backing inode) was last opened through: how
 * /proc/PID/maps names a mapping of a file whose host object has no useful
 * name (a memfd of the tmpfs or of the overlay's upper layer).
 */
const openedAt = new WeakMap<Inode, VPath>();

export function lastOpenedPath(inode: Inode): VPath | undefined {
  return openedAt.get(inode);
}

/**
 * State a filesystem keeps per open file description (Linux's
 * file->private_data): which terminal a /dev/tty or /dev/ptmx open reached.
 * `release` runs when the description's last reference goes.
 */
export interface FilePrivate {
  release?(): void;
}

/** 'special': O_PATH; 'anon': epoll/eventfd/timerfd and other fd-only objects. */
export type FileKind = 'file' | 'dir' | 'pipe' | 'socket' | 'special' | 'anon';

export class OpenFile {
  private refs = 1;
  /** Directory listing taken when reading starts at offset 0 (stable offsets). */
  dirSnapshot: DirEntry[] | null = null;
  /** F_SETOWN target as the guest named it (virtual pid, or -pgid). */
  owner = 0;
  /** The host object is a terminal: terminal ioctls go to it. */
  isTty = false;
  /** Writes the sentry must apply itself (writable /proc files). */
  special: SpecialFile | null = null;
  /** Per-open state of the filesystem (see FilePrivate). */
  priv: FilePrivate | null = null;

  constructor(
    /** Where it was opened; null for anonymous objects (pipes, sockets). */
    readonly path: VPath | null,
    readonly inode: Inode,
    /** Status flags: access mode, O_APPEND, O_NONBLOCK, O_DIRECT, O_PATH... */
    public flags: number,
    readonly hostFd: number,
    readonly kind: FileKind,
    /** For anonymous files: what /proc/PID/fd shows (e.g. "pipe:[1234]"). */
    readonly anonName = '',
  ) {
    if (path) openedAt.set(inode.backing(), path);
    inode.openCount++;
  }

  get readable(): boolean {
    return (this.flags & O_ACCMODE) !== O_WRONLY;
  }

  get writable(): boolean {
    return (this.flags & O_ACCMODE) !== O_RDONLY;
  }

  ref(): this {
    this.refs++;
    return this;
  }

  /** Drops one reference; the last one closes the host object. */
  unref(): void {
    if (--this.refs > 0) return;
    if (this.special && this.hostFd >= 0) this.special.release(this.hostFd);
    this.inode.openCount--;
    fsnotify.closed(this);
    if (this.hostFd >= 0) close(this.hostFd);
    this.priv?.release?.();
    this.inode.release(this.flags);
  }

  get refCount(): number {
    return this.refs;
  }
}
