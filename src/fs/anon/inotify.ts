// An inotify instance: the object behind a guest's inotify fd.
//
// The guest's fd must be readable and pollable by its own threads (read,
// poll and epoll run natively in the balanced policy), so it is one end of a
// host SOCK_SEQPACKET socket pair; the sentry holds the other end and sends
// each event as one message. A message is read whole or not at all, so a
// read never splits an event (a byte stream would split them at arbitrary
// read sizes); each read returns one event. When the socket is full the
// sentry keeps events in its own queue and moves them over every few
// milliseconds until the guest has read enough. The sentry knows how many
// events are still unread (the socket's byte count, FIONREAD, against the
// sizes it sent, in order), so Linux's rules hold exactly: at
// max_queued_events unread events one IN_Q_OVERFLOW is queued and further
// events are dropped until it has been read, and an event identical to the
// last one, still unread, is merged into it (inotify_merge).
import { E } from '../../abi/errno.js';
import { F_GETFL, F_SETFL, O_NONBLOCK } from '../../abi/flags.js';
import { close, eventfd2, fcntl, ioctlBuf, readable, send, setsockoptInt, socketpair } from '../../platform/host.js';
import {
  fsnotify, IN_ALL_EVENTS, IN_EXCL_UNLINK, IN_IGNORED, IN_MASK_ADD, IN_MASK_CREATE, IN_ONESHOT, IN_Q_OVERFLOW, type NotifyGroup, type Watch,
} from '../../vfs/fsnotify.js';
import type { Inode, Opened } from '../../vfs/inode.js';
import { readFileSync } from 'node:fs';
import { major, minor } from '../devices.js';
import { HostObjectInode } from '../host/hostobject.js';

const SOCK_SEQPACKET = 5;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_SNDBUF = 7;
const SO_SNDBUFFORCE = 32;
const FIONREAD = 0x541b;
/** How often events the socket could not take are moved over. */
const FLUSH_MS = 5;
/** The bits a watch keeps from inotify_add_watch's mask (INOTIFY_USER_MASK). */
const USER_MASK = (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK) >>> 0;

function sysctl(name: string, fallback: number): number {
  try {
    const v = Number(readFileSync(`/proc/sys/fs/inotify/${name}`, 'latin1').trim());
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    return fallback;
  }
}

/** Linux's limits, as the host has them set (/proc/sys/fs/inotify shows the same). */
export const INOTIFY_LIMITS = {
  queuedEvents: sysctl('max_queued_events', 16384),
  instances: sysctl('max_user_instances', 128),
  watches: sysctl('max_user_watches', 8192),
};

/** Instances and watches per user, as Linux counts them (ucounts). */
const instancesOf = new Map<number, number>();
const watchesOf = new Map<number, number>();

/** Every anon-inode file (eventfd, inotify...) is the one anon inode: an eventfd of ours gives its stat. */
let anonFd = -1;
function anonStatFd(): number {
  if (anonFd < 0) anonFd = eventfd2(0, SOCK_CLOEXEC);
  return anonFd;
}

const EMPTY = Buffer.alloc(0);

/** The IN_Q_OVERFLOW events queued (to tell them apart from others once sent). */
const overflowEvents = new WeakSet<Buffer>();

interface Last {
  wd: number;
  mask: number;
  name: string;
}

export class InotifyInode extends HostObjectInode implements NotifyGroup {
  private readonly byWd = new Map<number, Watch>();
  private readonly byKey = new Map<string, Watch>();
  private nextWd = 1;
  /** Events the socket could not take yet, oldest first from `backHead`. */
  private backlog: Buffer[] = [];
  private backHead = 0;
  /** Sizes of the events in the socket not yet known to be read, oldest first (negative: the overflow event). */
  private sent: number[] = [];
  /** Index of the oldest entry of `sent` still counted. */
  private sentHead = 0;
  private sentBytes = 0;
  private lastSync = 0;
  private timer: NodeJS.Timeout | null = null;
  private last: Last | null = null;
  /** An IN_Q_OVERFLOW is queued and unread: nothing more is queued until it is read. */
  private overflowed = false;
  private readonly inq = Buffer.alloc(4);
  private closed = false;

  private constructor(
    /** The guest's end (the open file's host fd). */
    readonly guestFd: number,
    /** The sentry's end, non-blocking. */
    private readonly sendFd: number,
    readonly uid: number,
  ) {
    super(anonStatFd(), 'anon_inodefs');
  }

  /** inotify_init1: a new instance for user `uid`, or -errno (EMFILE past max_user_instances). */
  static create(uid: number, nonblock: boolean): InotifyInode | number {
    const n = instancesOf.get(uid) ?? 0;
    if (n >= INOTIFY_LIMITS.instances) return -E.EMFILE;
    if (anonStatFd() < 0) return anonStatFd();
    const p = socketpair(SOCK_SEQPACKET | SOCK_CLOEXEC);
    if (typeof p === 'number') return p;
    const [guest, ours] = p;
    fcntl(ours, F_SETFL, fcntl(ours, F_GETFL, 0) | O_NONBLOCK);
    if (nonblock) fcntl(guest, F_SETFL, fcntl(guest, F_GETFL, 0) | O_NONBLOCK);
    // Room for many events before the sentry has to keep them itself (root may force more).
    if (setsockoptInt(ours, SOL_SOCKET, SO_SNDBUFFORCE, 8 << 20) < 0) setsockoptInt(ours, SOL_SOCKET, SO_SNDBUF, 8 << 20);
    instancesOf.set(uid, n + 1);
    fsnotify.used = true;
    return new InotifyInode(guest, ours, uid);
  }

  /** Reopening an inotify fd through /proc/self/fd is not possible (as for Linux's anon inodes). */
  override open(_flags: number): Opened | number {
    return -E.ENXIO;
  }

  // ---- watches ----

  /** inotify_add_watch on `inode` (identity `key`): the watch descriptor, or -errno. */
  addWatch(inode: Inode, key: string, arg: number): number {
    const old = this.byKey.get(key);
    const mask = (arg & USER_MASK) >>> 0;
    if (old) {
      if (arg & IN_MASK_CREATE) return -E.EEXIST;
      old.mask = arg & IN_MASK_ADD ? (old.mask | mask) >>> 0 : mask;
      return old.wd;
    }
    const n = watchesOf.get(this.uid) ?? 0;
    if (n >= INOTIFY_LIMITS.watches) return -E.ENOSPC;
    watchesOf.set(this.uid, n + 1);
    const w: Watch = { group: this, wd: this.nextWd++, mask, key, inode };
    this.byWd.set(w.wd, w);
    this.byKey.set(key, w);
    fsnotify.add(w);
    return w.wd;
  }

  /** inotify_rm_watch: IN_IGNORED follows, as when a watch ends by itself. */
  rmWatch(wd: number): number {
    const w = this.byWd.get(wd);
    if (!w) return -E.EINVAL;
    fsnotify.remove(w);
    this.forget(w);
    this.queue(wd, IN_IGNORED, 0, '');
    return 0;
  }

  dropped(w: Watch): void {
    this.forget(w);
  }

  private forget(w: Watch): void {
    if (this.byWd.get(w.wd) !== w) return;
    this.byWd.delete(w.wd);
    this.byKey.delete(w.key);
    watchesOf.set(this.uid, Math.max(0, (watchesOf.get(this.uid) ?? 1) - 1));
  }

  // ---- events ----

  /**
   * Syncs what the sentry knows with what the guest read: the socket's byte
   * count (FIONREAD) against the sizes sent, in order. FIONREAD walks the
   * socket's queue, so this runs only when the queue may be at its limit,
   * and then at most once a millisecond.
   */
  private sync(): void {
    const now = performance.now();
    if (this.sentHead >= this.sent.length || now - this.lastSync < 1) return;
    this.lastSync = now;
    const bytes = ioctlBuf(this.guestFd, FIONREAD, this.inq) >= 0 ? this.inq.readInt32LE(0) : this.sentBytes;
    while (this.sentBytes > bytes && this.sentHead < this.sent.length) {
      const size = this.sent[this.sentHead]!;
      this.sent[this.sentHead++] = 0;
      this.sentBytes -= Math.abs(size);
      if (size < 0) this.overflowed = false;
    }
    if (this.sentHead > 1024 && this.sentHead * 2 > this.sent.length) {
      this.sent.splice(0, this.sentHead);
      this.sentHead = 0;
    }
  }

  /** Events not yet known to be read (an upper bound until sync()). */
  private get pending(): number {
    return this.sent.length - this.sentHead + this.backlog.length - this.backHead;
  }

  /** Whether the last event queued is still unread: the socket holds it while it holds anything. */
  private lastUnread(): boolean {
    return this.backlog.length > this.backHead || readable(this.guestFd);
  }

  queue(wd: number, mask: number, cookie: number, name: string): void {
    if (this.closed) return;
    const l = this.last;
    if (l && !(l.mask & IN_IGNORED) && l.wd === wd && l.mask === mask && l.name === name && this.lastUnread()) return;
    if (this.pending >= INOTIFY_LIMITS.queuedEvents) this.sync();
    let overflow = false;
    if (this.pending >= INOTIFY_LIMITS.queuedEvents) {
      if (this.overflowed) return;
      this.overflowed = overflow = true;
      wd = -1;
      mask = IN_Q_OVERFLOW;
      cookie = 0;
      name = '';
    }
    this.last = { wd, mask, name };
    // struct inotify_event; the name is NUL-padded to a multiple of its 16 bytes (round_event_name_len).
    const len = name ? (name.length + 16) & ~15 : 0;
    const ev = Buffer.alloc(16 + len);
    ev.writeInt32LE(wd, 0);
    ev.writeUInt32LE(mask >>> 0, 4);
    ev.writeUInt32LE(cookie >>> 0, 8);
    ev.writeUInt32LE(len, 12);
    if (name) ev.write(name, 16, 'latin1');
    if (overflow) overflowEvents.add(ev);
    this.backlog.push(ev);
    this.flush();
  }

  /** Moves queued events into the socket until it is full; retries later while some remain. */
  private flush(): void {
    while (this.backHead < this.backlog.length) {
      const ev = this.backlog[this.backHead]!;
      const r = send(this.sendFd, ev, 0, ev.length);
      if (r === -E.EAGAIN) break;
      this.backlog[this.backHead++] = EMPTY;
      if (r < 0) {
        // The guest's end is gone: nobody will read it.
        if (overflowEvents.has(ev)) this.overflowed = false;
        continue;
      }
      this.sent.push(overflowEvents.has(ev) ? -ev.length : ev.length);
      this.sentBytes += ev.length;
    }
    if (this.backHead >= this.backlog.length) {
      this.backlog = [];
      this.backHead = 0;
      if (this.timer) clearInterval(this.timer), (this.timer = null);
    } else if (!this.timer) {
      this.timer = setInterval(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** /proc/PID/fdinfo/N: one line per watch, newest first (the group's mark list). */
  override fdinfo(): string {
    const lines: string[] = [];
    for (const w of this.byWd.values()) {
      const st = w.inode.stat();
      if (typeof st === 'number') continue;
      const sdev = major(st.dev) * 2 ** 20 + minor(st.dev);
      lines.unshift(`inotify wd:${w.wd.toString(16)} ino:${st.ino.toString(16)} sdev:${sdev.toString(16)} mask:${(w.mask >>> 0).toString(16)} ignored_mask:0\n`);
    }
    return lines.join('');
  }

  /** The last guest reference went: the watches go with it, silently. */
  override release(_flags: number): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.byWd.values()]) {
      fsnotify.remove(w);
      this.forget(w);
    }
    if (this.timer) clearInterval(this.timer), (this.timer = null);
    this.backlog = [];
    this.backHead = 0;
    this.sent = [];
    this.sentHead = 0;
    close(this.sendFd);
    instancesOf.set(this.uid, Math.max(0, (instancesOf.get(this.uid) ?? 1) - 1));
  }
}
