// The notifier: the one place where changes to the tree become inotify
// events (Linux's fsnotify hooks, include/linux/fsnotify.h). The syscall
// layer calls it after a change succeeded (create, link, unlink, rename,
// setattr, open, getdents, and reads and writes the sentry performs); the VFS
// itself calls it when the last reference to an open file goes (close).
//
// Watches are kept by the watched object's identity (device and inode
// number, as the guest sees them), so every name of an object, every mount
// of it and every open file of it reach the same watches. Nothing is done
// while no watch exists: each hook starts with one Map size check.
//
// What the sentry cannot see, it cannot report: reads and writes the guest's
// threads perform natively (the balanced policy) give no IN_ACCESS and no
// IN_MODIFY at the time; a file opened for writing reports IN_MODIFY when it
// is closed if its size or modification time changed (docs/differences.md).
import { fstat } from '../platform/host.js';
import type { OpenFile } from './file.js';
import type { Inode } from './inode.js';
import type { Dentry } from './mount.js';

export const IN_ACCESS = 0x1;
export const IN_MODIFY = 0x2;
export const IN_ATTRIB = 0x4;
export const IN_CLOSE_WRITE = 0x8;
export const IN_CLOSE_NOWRITE = 0x10;
export const IN_OPEN = 0x20;
export const IN_MOVED_FROM = 0x40;
export const IN_MOVED_TO = 0x80;
export const IN_CREATE = 0x100;
export const IN_DELETE = 0x200;
export const IN_DELETE_SELF = 0x400;
export const IN_MOVE_SELF = 0x800;
export const IN_UNMOUNT = 0x2000;
export const IN_Q_OVERFLOW = 0x4000;
export const IN_IGNORED = 0x8000;
export const IN_ONLYDIR = 0x01000000;
export const IN_DONT_FOLLOW = 0x02000000;
export const IN_EXCL_UNLINK = 0x04000000;
export const IN_MASK_CREATE = 0x10000000;
export const IN_MASK_ADD = 0x20000000;
export const IN_ISDIR = 0x40000000;
export const IN_ONESHOT = 0x80000000;
export const IN_ALL_EVENTS = 0xfff;

/** Events a directory's watch also hears for its children, with the child's name (FS_EVENTS_POSS_ON_CHILD). */
const ON_CHILD = IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_OPEN;

/** One inotify instance as the notifier sees it: where its events go. */
export interface NotifyGroup {
  /** Queues one event (wd -1 for IN_Q_OVERFLOW). */
  queue(wd: number, mask: number, cookie: number, name: string): void;
  /** The watch went away by itself (IN_ONESHOT fired, its object was deleted). */
  dropped(w: Watch): void;
}

export interface Watch {
  readonly group: NotifyGroup;
  readonly wd: number;
  /** IN_* events wanted, with IN_ONESHOT and IN_EXCL_UNLINK. */
  mask: number;
  readonly key: string;
  /** The watched object (for /proc/PID/fdinfo). */
  readonly inode: Inode;
}

/** What a file looked like when opened for writing: a change by close means it was written. */
interface WriteBase {
  mtimeNs: number;
  size: number;
}

export class FsNotify {
  private readonly watches = new Map<string, Watch[]>();
  private cookies = 0;
  /** Set once any inotify instance exists: from then on opens for writing note a baseline. */
  used = false;
  private readonly bases = new WeakMap<OpenFile, WriteBase>();

  /** The identity watches are kept by: the object's device and inode number; null without one. */
  keyOf(inode: Inode): string | null {
    const st = inode.stat();
    return typeof st === 'number' ? null : `${st.dev}:${st.ino}`;
  }

  add(w: Watch): void {
    let l = this.watches.get(w.key);
    if (!l) this.watches.set(w.key, (l = []));
    l.push(w);
  }

  remove(w: Watch): void {
    const l = this.watches.get(w.key);
    if (!l) return;
    const i = l.indexOf(w);
    if (i >= 0) l.splice(i, 1);
    if (!l.length) this.watches.delete(w.key);
  }

  get active(): boolean {
    return this.watches.size > 0;
  }

  /** Delivers to the watches of `key`: `name` set for a directory hearing about a child. */
  private deliver(key: string | null, mask: number, cookie: number, name: string, child: Dentry | null): void {
    if (key === null) return;
    const l = this.watches.get(key);
    if (!l) return;
    const bit = mask & IN_ALL_EVENTS;
    for (const w of [...l]) {
      if (!(w.mask & bit)) continue;
      // IN_EXCL_UNLINK: a directory no longer hears about children whose name was removed.
      if (child && w.mask & IN_EXCL_UNLINK && child.unlinked) continue;
      // inotify never reported IN_ISDIR with these two (inotify_handle_inode_event).
      const m = bit & (IN_DELETE_SELF | IN_MOVE_SELF) ? mask & ~IN_ISDIR : mask;
      w.group.queue(w.wd, m >>> 0, cookie, name);
      if (w.mask & IN_ONESHOT) this.drop(w);
    }
  }

  /** A watch that ends by itself: IN_IGNORED, then it is gone. */
  private drop(w: Watch): void {
    this.remove(w);
    w.group.queue(w.wd, IN_IGNORED, 0, '');
    w.group.dropped(w);
  }

  /**
   * An event on an object reached through dentry `d` (null: no name): its own
   * watches hear it, and for the events of ON_CHILD its directory's watches
   * too, with its name, first (fsnotify_handle_event: parent mark, then inode mark).
   */
  event(d: Dentry | null, inode: Inode, mask: number): void {
    if (!this.active) return;
    const m = inode.isDir() ? mask | IN_ISDIR : mask;
    if (d?.parent && mask & ON_CHILD) this.deliver(this.keyOf(d.parent.inode), m, 0, d.name, d);
    this.deliver(this.keyOf(inode), m, 0, '', null);
  }

  /** An event on the object alone (link count changes, DELETE_SELF, MOVE_SELF). */
  private self(inode: Inode, mask: number, cookie = 0): void {
    this.deliver(this.keyOf(inode), inode.isDir() ? mask | IN_ISDIR : mask, cookie, '', null);
  }

  /** A name in `dir` was made for `child` (open O_CREAT, mkdir, mknod, symlink). */
  created(dir: Inode, name: string, child: Inode): void {
    if (!this.active) return;
    this.deliver(this.keyOf(dir), child.isDir() ? IN_CREATE | IN_ISDIR : IN_CREATE, 0, name, null);
  }

  /** link(): the object's link count changed, and `dir` has a new name (fsnotify_link). */
  linked(dir: Inode, name: string, target: Inode): void {
    if (!this.active) return;
    this.self(target, IN_ATTRIB);
    this.deliver(this.keyOf(dir), IN_CREATE, 0, name, null);
  }

  /**
   * `name` left `dir`; `victim` was what it named, `key` its identity taken
   * before the removal. Files report their link count (IN_ATTRIB); an object
   * left with no name and no open file is gone (IN_DELETE_SELF, IN_IGNORED),
   * before the directory hears IN_DELETE (d_delete_notify's order).
   */
  removed(dir: Inode, name: string, victim: Inode, key: string | null): void {
    if (!this.active) return;
    const isDir = victim.isDir();
    if (!isDir) this.deliver(key, IN_ATTRIB, 0, '', null);
    this.maybeGone(victim, key);
    this.deliver(this.keyOf(dir), isDir ? IN_DELETE | IN_ISDIR : IN_DELETE, 0, name, null);
  }

  /**
   * rename(): IN_MOVED_FROM and IN_MOVED_TO with one cookie, IN_ATTRIB for a
   * replaced target, IN_MOVE_SELF for the moved object (fsnotify_move), then
   * the replaced target's end if it has no name left. An exchange is two
   * moves.
   */
  renamed(oldDir: Inode, oldName: string, newDir: Inode, newName: string, moved: Inode, replaced: Inode | null, replacedKey: string | null): void {
    if (!this.active) return;
    const cookie = (this.cookies = (this.cookies + 1) >>> 0 || 1);
    const dirBit = moved.isDir() ? IN_ISDIR : 0;
    this.deliver(this.keyOf(oldDir), IN_MOVED_FROM | dirBit, cookie, oldName, null);
    this.deliver(this.keyOf(newDir), IN_MOVED_TO | dirBit, cookie, newName, null);
    if (replaced) this.deliver(replacedKey, replaced.isDir() ? IN_ATTRIB | IN_ISDIR : IN_ATTRIB, 0, '', null);
    this.self(moved, IN_MOVE_SELF);
    if (replaced) this.maybeGone(replaced, replacedKey);
  }

  /** The object has no name left: gone now, unless an open file still holds it (then at its close). */
  private maybeGone(inode: Inode, key: string | null): void {
    if (inode.openCount > 0) return;
    const st = inode.stat();
    if (typeof st !== 'number' && st.nlink > 0 && !inode.isDir()) return;
    this.gone(key);
  }

  private gone(key: string | null): void {
    if (key === null) return;
    const l = this.watches.get(key);
    if (!l) return;
    for (const w of [...l]) {
      w.group.queue(w.wd, IN_DELETE_SELF, 0, '');
      this.drop(w);
    }
  }

  /** A setattr: what fsnotify_change reports for the attributes changed. */
  changed(d: Dentry | null, inode: Inode, what: { mode?: boolean; owner?: boolean; size?: boolean; atime?: boolean; mtime?: boolean }): void {
    if (!this.active) return;
    let mask = 0;
    if (what.owner || what.mode) mask |= IN_ATTRIB;
    if (what.size) mask |= IN_MODIFY;
    if (what.atime && what.mtime) mask |= IN_ATTRIB;
    else if (what.atime) mask |= IN_ACCESS;
    else if (what.mtime) mask |= IN_MODIFY;
    if (mask) this.event(d, inode, mask);
  }

  /** An open file was opened (IN_OPEN); one opened for writing notes what it looked like. */
  opened(f: OpenFile): void {
    if (f.kind === 'special') return;
    if (this.used && f.writable && f.kind === 'file' && f.hostFd >= 0) {
      const st = fstat(f.hostFd);
      if (typeof st !== 'number') this.bases.set(f, { mtimeNs: st.mtimeSec * 1e9 + st.mtimeNsec, size: st.size });
    }
    if (this.active && f.path) this.event(f.path.d, f.inode, IN_OPEN);
  }

  /** A write the sentry performed (strict policy): IN_MODIFY now, and a new baseline for the close. */
  wrote(f: OpenFile): void {
    if (!this.active || !f.path) return;
    this.event(f.path.d, f.inode, IN_MODIFY);
    this.bases.delete(f);
    const st = fstat(f.hostFd);
    if (typeof st !== 'number') this.bases.set(f, { mtimeNs: st.mtimeSec * 1e9 + st.mtimeNsec, size: st.size });
  }

  /**
   * The last reference to an open file went (Linux __fput): IN_MODIFY first if
   * the guest wrote to it natively (its size or time changed since the open),
   * then IN_CLOSE_WRITE or IN_CLOSE_NOWRITE; the object ends here if this was
   * its last open file and it has no name.
   */
  closed(f: OpenFile): void {
    if (!this.active || f.kind === 'special' || !f.path) return;
    const d = f.path.d;
    if (f.writable) {
      const base = this.bases.get(f);
      if (base && f.hostFd >= 0) {
        const st = fstat(f.hostFd);
        if (typeof st !== 'number' && (st.mtimeSec * 1e9 + st.mtimeNsec !== base.mtimeNs || st.size !== base.size)) this.event(d, f.inode, IN_MODIFY);
      }
    }
    this.event(d, f.inode, f.writable ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
    if (f.inode.openCount === 0 && d.unlinked) this.maybeGone(f.inode, this.keyOf(f.inode));
  }
}

/**
 * The notifier of every sandbox in this process: watch keys carry device
 * numbers, which are unique per filesystem instance (src/fs/devices.ts).
 */
export const fsnotify = new FsNotify();
