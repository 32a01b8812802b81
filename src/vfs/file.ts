// Open file descriptions: what a guest fd refers to. Each one owns a host fd
// (a new host open file description), which the guest holds at the same
// number as its virtual fd; the sentry keeps its own reference for the
// operations it performs (fstat, fcntl, strict-mode I/O).
import { O_ACCMODE, O_RDONLY, O_WRONLY } from '../abi/flags.js';
import { close } from '../platform/host.js';
import type { DirEntry, Inode } from './inode.js';
import type { VPath } from './mount.js';

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
  ) {}

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
    if (this.hostFd >= 0) close(this.hostFd);
    this.priv?.release?.();
    this.inode.release(this.flags);
  }

  get refCount(): number {
    return this.refs;
  }
}
