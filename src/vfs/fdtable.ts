// The virtual file descriptor table. It is authoritative: the guest's host fd
// table mirrors it exactly (same numbers, same close-on-exec bits).
import { E } from '../abi/errno.js';
import type { OpenFile } from './file.js';

export interface FdEntry {
  file: OpenFile;
  cloexec: boolean;
}

/**
 * A sandbox-wide budget of open fds shared by every table (--max-files): at
 * the limit, new fds fail with EMFILE as at a process's RLIMIT_NOFILE.
 */
export class FdAccount {
  open = 0;
  constructor(readonly max: number) {}
}

export class FdTable {
  private entries: (FdEntry | undefined)[] = [];
  /** Tasks sharing this table (CLONE_FILES). */
  users = 1;
  /**
   * Numbers closed by letting the host run close() (CONTINUE): until the
   * closing thread traps again the host may still hold them, so they are not
   * handed out. Keyed by fd, valued by the closing host tid.
   */
  private readonly closing = new Map<number, number>();

  constructor(readonly account: FdAccount | null = null) {}

  get(fd: number): FdEntry | undefined {
    return fd >= 0 ? this.entries[fd] : undefined;
  }

  /**
   * Lowest free fd >= min, below limit; -EMFILE when none (F_DUPFD's EINVAL
   * is fcntl's to check), or when the sandbox-wide budget has no room for
   * `pending` fds already allocated but not yet installed plus this one.
   */
  alloc(min: number, limit: number, pending = 0): number {
    const a = this.account;
    if (a && a.open + pending >= a.max) return -E.EMFILE;
    for (let fd = Math.max(0, min); fd < limit; fd++) {
      if (this.entries[fd] === undefined && !this.closing.has(fd)) return fd;
    }
    return -E.EMFILE;
  }

  /** Puts `file` at `fd`; returns what was there (the caller unrefs it). */
  install(fd: number, file: OpenFile, cloexec: boolean): FdEntry | undefined {
    const old = this.entries[fd];
    this.entries[fd] = { file, cloexec };
    this.closing.delete(fd);
    if (!old && this.account) this.account.open++;
    return old;
  }

  /** Whether an fd may be added at a free number (the sandbox-wide budget; dup2 to a free number). */
  get full(): boolean {
    return this.account !== null && this.account.open >= this.account.max;
  }

  /** Open fds in this table. */
  get count(): number {
    let n = 0;
    for (const e of this.entries) if (e) n++;
    return n;
  }

  remove(fd: number): FdEntry | undefined {
    const old = this.entries[fd];
    if (old) {
      this.entries[fd] = undefined;
      if (this.account) this.account.open--;
    }
    while (this.entries.length && this.entries[this.entries.length - 1] === undefined) this.entries.pop();
    return old;
  }

  /** Marks `fd` as being closed natively by host thread `tid`. */
  markClosing(fd: number, tid: number): void {
    this.closing.set(fd, tid);
  }

  /** The thread trapped again: its native closes are done. */
  settle(tid: number): void {
    if (this.closing.size === 0) return;
    for (const [fd, t] of this.closing) if (t === tid) this.closing.delete(fd);
  }

  get hasClosing(): boolean {
    return this.closing.size > 0;
  }

  /** A copy for fork: same files, one more reference each. */
  fork(): FdTable {
    const t = new FdTable(this.account);
    t.entries = this.entries.map((e) => (e ? { file: e.file.ref(), cloexec: e.cloexec } : undefined));
    if (this.account) this.account.open += t.count;
    return t;
  }

  /** exec: drop every close-on-exec entry. */
  closeOnExec(): void {
    this.entries.forEach((e, fd) => {
      if (e?.cloexec) {
        this.entries[fd] = undefined;
        if (this.account) this.account.open--;
        e.file.unref();
      }
    });
    while (this.entries.length && this.entries[this.entries.length - 1] === undefined) this.entries.pop();
  }

  /** Removes [first, last] (close_range); returns what was removed. */
  removeRange(first: number, last: number): FdEntry[] {
    const out: FdEntry[] = [];
    const end = Math.min(last, this.entries.length - 1);
    for (let fd = first; fd <= end; fd++) {
      const e = this.entries[fd];
      if (e) {
        out.push(e);
        this.entries[fd] = undefined;
        if (this.account) this.account.open--;
      }
    }
    while (this.entries.length && this.entries[this.entries.length - 1] === undefined) this.entries.pop();
    return out;
  }

  setCloexecRange(first: number, last: number): void {
    const end = Math.min(last, this.entries.length - 1);
    for (let fd = first; fd <= end; fd++) {
      const e = this.entries[fd];
      if (e) e.cloexec = true;
    }
  }

  /** Releases everything (last user gone). */
  releaseAll(): void {
    if (this.account) this.account.open -= this.count;
    for (const e of this.entries) e?.file.unref();
    this.entries = [];
    this.closing.clear();
  }

  /** Open fds in ascending order. */
  *fds(): IterableIterator<[number, FdEntry]> {
    for (let fd = 0; fd < this.entries.length; fd++) {
      const e = this.entries[fd];
      if (e) yield [fd, e];
    }
  }

  get highest(): number {
    return this.entries.length - 1;
  }
}
