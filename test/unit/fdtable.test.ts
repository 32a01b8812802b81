// The virtual fd table (src/vfs/fdtable.ts) with stub open files: Linux's
// allocation rule (lowest free number >= min, EMFILE at RLIMIT_NOFILE),
// close-on-exec, close_range, fork sharing, and reference counting.
import t from 'tap';
import { E } from '../../src/abi/errno.js';
import { O_RDONLY, S_IFREG } from '../../src/abi/flags.js';
import { FdAccount, FdTable } from '../../src/vfs/fdtable.js';
import { OpenFile } from '../../src/vfs/file.js';
import { Inode, type Stat } from '../../src/vfs/inode.js';

class StubInode extends Inode {
  releases = 0;
  constructor() {
    super({ name: 'stub', dev: 1, readOnly: false });
  }
  stat(): Stat {
    const z = { sec: 0, nsec: 0 };
    return { dev: 1, ino: 1, mode: S_IFREG | 0o644, nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0, atime: z, mtime: z, ctime: z, btime: z };
  }
  override release(): void {
    this.releases++;
  }
}

/** An open file with no host object (hostFd -1) whose release we can count. */
function file(): OpenFile & { inode: StubInode } {
  return new OpenFile(null, new StubInode(), O_RDONLY, -1, 'file') as OpenFile & { inode: StubInode };
}

/** Installs at the number alloc() gives, as the syscall layer does. */
function open(tab: FdTable, f = file(), min = 0, limit = 1024, cloexec = false): number {
  const fd = tab.alloc(min, limit);
  if (fd >= 0) tab.install(fd, f, cloexec);
  return fd;
}
const numbers = (tab: FdTable) => [...tab.fds()].map(([fd]) => fd);

t.test('lowest free number, at or above min', (t) => {
  const tab = new FdTable();
  t.equal(tab.highest, -1, 'empty');
  t.equal(tab.get(0), undefined);
  t.equal(tab.get(-1), undefined);
  t.same([open(tab), open(tab), open(tab)], [0, 1, 2]);
  t.equal(tab.alloc(0, 1024), 3, 'alloc alone does not take the number');
  t.equal(tab.alloc(0, 1024), 3);
  t.ok(tab.remove(1));
  t.equal(open(tab), 1, 'a hole is reused first');
  t.equal(open(tab, file(), 10), 10, 'min (F_DUPFD)');
  t.equal(open(tab, file(), 10), 11);
  t.equal(open(tab), 3, 'below min the lowest hole still wins');
  t.same(numbers(tab), [0, 1, 2, 3, 10, 11]);
  t.equal(tab.highest, 11);
  t.equal(tab.alloc(-5, 1024), 4, 'a negative min is 0');
  t.end();
});

t.test('RLIMIT_NOFILE: EMFILE when every number below the limit is taken', (t) => {
  const tab = new FdTable();
  for (let i = 0; i < 3; i++) open(tab, file(), 0, 3);
  t.equal(tab.alloc(0, 3), -E.EMFILE);
  t.equal(tab.alloc(2, 3), -E.EMFILE);
  // The range check of F_DUPFD (EINVAL) is fcntl's; a table that is full reports EMFILE,
  // for pipe()'s second end too: fds 0-2 used, limit 4, first end 3, second end none.
  const p = new FdTable();
  for (let i = 0; i < 3; i++) open(p, file(), 0, 4);
  const fd0 = p.alloc(0, 4);
  t.equal(fd0, 3);
  t.equal(p.alloc(fd0 + 1, 4), -E.EMFILE, 'pipe: EMFILE, not EINVAL');
  t.equal(new FdTable().alloc(0, 0), -E.EMFILE, 'RLIMIT_NOFILE 0: open() fails with EMFILE');
  t.equal(open(tab, file(), 0, 4), 3, 'a higher limit makes room');
  t.end();
});

t.test('install replaces and returns what was there; remove trims the top', (t) => {
  const tab = new FdTable();
  const a = file();
  const b = file();
  t.equal(tab.install(5, a, false), undefined);
  t.equal(tab.highest, 5);
  t.equal(tab.alloc(0, 1024), 0, 'numbers below an installed one stay free');
  const old = tab.install(5, b, true);
  t.ok(old && old.file === a && old.cloexec === false, 'the replaced entry comes back for the caller to release');
  t.equal(a.refCount, 1, 'install does not drop the old reference itself');
  t.ok(tab.get(5)?.file === b && tab.get(5)?.cloexec === true);
  tab.install(2, a, false);
  const r = tab.remove(5);
  t.ok(r?.file === b);
  t.equal(tab.highest, 2, 'the top shrinks to the highest open fd');
  t.equal(tab.remove(5), undefined, 'removing twice');
  t.equal(tab.remove(100), undefined);
  t.ok(tab.remove(2));
  t.equal(tab.highest, -1);
  t.same(numbers(tab), []);
  t.end();
});

t.test('a number being closed natively is not reused until its thread settles', (t) => {
  const tab = new FdTable();
  for (let i = 0; i < 5; i++) open(tab);
  // Thread 100 closes fd 1 on the host (CONTINUE): the sentry drops it at once ...
  tab.remove(1);
  tab.markClosing(1, 100);
  t.ok(tab.hasClosing);
  t.equal(tab.alloc(0, 1024), 5, '... but does not hand out 1 yet');
  tab.remove(3);
  tab.markClosing(3, 200);
  t.equal(tab.alloc(0, 1024), 5);
  tab.settle(999);
  t.equal(tab.alloc(0, 1024), 5, 'another thread settling changes nothing');
  tab.settle(100);
  t.equal(tab.alloc(0, 1024), 1, 'thread 100 trapped again: 1 is free');
  t.ok(tab.hasClosing, '3 is still closing');
  t.equal(tab.alloc(2, 1024), 5);
  tab.settle(200);
  t.notOk(tab.hasClosing);
  t.equal(tab.alloc(2, 1024), 3);
  // dup2 onto a closing number takes it explicitly.
  tab.remove(4);
  tab.markClosing(4, 300);
  tab.install(4, file(), false);
  t.notOk(tab.hasClosing, 'install clears the mark');
  tab.settle(300);
  t.ok(tab.get(4), 'and settling later does not remove the new file');
  // Closing numbers are also full for EMFILE purposes.
  const small = new FdTable();
  open(small, file(), 0, 2);
  open(small, file(), 0, 2);
  small.remove(1);
  small.markClosing(1, 7);
  t.equal(small.alloc(0, 2), -E.EMFILE);
  t.end();
});

t.test('fork shares open files and counts references; the tables are independent', (t) => {
  const tab = new FdTable();
  const a = file();
  const b = file();
  tab.install(0, a, false);
  tab.install(3, b, true);
  tab.install(4, a.ref(), false); // dup: one description at two numbers
  t.equal(a.refCount, 2);
  const child = tab.fork();
  t.same(numbers(child), [0, 3, 4]);
  t.ok(child.get(0)?.file === a && child.get(3)?.file === b, 'the same open file descriptions');
  t.equal(child.get(3)?.cloexec, true, 'close-on-exec is per descriptor and copied');
  t.same([a.refCount, b.refCount], [4, 2]);
  t.equal(child.users, 1);
  child.get(0)!.cloexec = true;
  t.equal(tab.get(0)?.cloexec, false, 'fd flags are not shared');
  child.remove(0);
  t.ok(tab.get(0), 'the parent keeps its fd');
  open(child);
  t.equal(child.alloc(0, 1024), 1);
  t.equal(tab.alloc(0, 1024), 1);
  t.end();
});

t.test('closeOnExec drops exactly the close-on-exec descriptors', (t) => {
  const tab = new FdTable();
  const keep = file();
  const drop = file();
  const shared = file();
  tab.install(0, keep, false);
  tab.install(1, drop, true);
  tab.install(2, shared, true);
  tab.install(7, shared.ref(), true);
  tab.install(3, shared.ref(), false);
  tab.closeOnExec();
  t.same(numbers(tab), [0, 3]);
  t.same([drop.refCount, drop.inode.releases], [0, 1], 'the last reference released the file');
  t.same([shared.refCount, shared.inode.releases], [1, 0], 'still open at fd 3');
  t.same([keep.refCount, keep.inode.releases], [1, 0]);
  t.equal(tab.highest, 3, 'trimmed');
  t.end();
});

t.test('removeRange and setCloexecRange (close_range)', (t) => {
  const tab = new FdTable();
  const files = Array.from({ length: 8 }, () => file());
  files.forEach((f, i) => tab.install(i, f, false));
  const gone = tab.removeRange(2, 4);
  t.equal(gone.length, 3);
  t.ok(gone[0]!.file === files[2] && gone[2]!.file === files[4], 'in ascending order');
  t.equal(files[2]!.refCount, 1, 'the caller releases them');
  t.same(numbers(tab), [0, 1, 5, 6, 7]);
  t.same(tab.removeRange(3, 4), [], 'an empty range');
  tab.setCloexecRange(6, 0xffffffff);
  t.same([tab.get(5)?.cloexec, tab.get(6)?.cloexec, tab.get(7)?.cloexec], [false, true, true]);
  t.equal(tab.removeRange(6, 0xffffffff).length, 2, '~0U as the last fd');
  t.equal(tab.highest, 5);
  tab.setCloexecRange(0, 0);
  t.same([tab.get(0)?.cloexec, tab.get(1)?.cloexec], [true, false]);
  t.equal(tab.removeRange(0, 0xffffffff).length, 3);
  t.equal(tab.highest, -1);
  t.end();
});

t.test('releaseAll drops every reference exactly once', (t) => {
  const tab = new FdTable();
  const a = file();
  const b = file();
  const c = file();
  tab.install(0, a, false);
  tab.install(1, a.ref(), true);
  tab.install(5, b, false);
  tab.install(6, c.ref(), false); // c is also held elsewhere (an SCM_RIGHTS message, a forked table)
  tab.markClosing(2, 1);
  tab.releaseAll();
  t.same([a.refCount, a.inode.releases], [0, 1]);
  t.same([b.refCount, b.inode.releases], [0, 1]);
  t.same([c.refCount, c.inode.releases], [1, 0], 'the other holder keeps it');
  t.same(numbers(tab), []);
  t.notOk(tab.hasClosing);
  t.equal(tab.alloc(0, 10), 0);
  t.end();
});

t.test('a sandbox-wide budget (--max-files) shared by every table', (t) => {
  const a = new FdAccount(4);
  const p = new FdTable(a);
  const put = (tbl: FdTable, pending = 0) => {
    const fd = tbl.alloc(0, 1024, pending);
    if (fd >= 0) tbl.install(fd, file(), false);
    return fd;
  };
  t.equal(put(p), 0);
  t.equal(put(p), 1);
  t.equal(a.open, 2);
  const c = p.fork();
  t.equal(a.open, 4, 'fork counts the copy');
  t.equal(c.alloc(0, 1024), -E.EMFILE, 'the budget is spent: EMFILE in either table');
  t.equal(p.alloc(0, 1024), -E.EMFILE);
  t.ok(p.full);
  c.remove(0)?.file.unref();
  t.equal(a.open, 3);
  t.equal(put(p), 2, 'room again after a close elsewhere');
  c.install(5, file(), false);
  t.equal(a.open, 5, 'an install at a free number counts (the caller checked `full`)');
  c.install(5, file(), false)?.file.unref();
  t.equal(a.open, 5, 'replacing an fd does not');
  c.releaseAll();
  t.equal(a.open, 3, 'a table released gives back all it held');
  p.setCloexecRange(0, 0);
  p.closeOnExec();
  t.equal(a.open, 2, 'close-on-exec gives back');
  for (const e of p.removeRange(0, 10)) e.file.unref();
  t.equal(a.open, 0, 'close_range too');
  t.equal(put(p, 4), -E.EMFILE, 'a pair needing two fds with one reserved already');
  t.end();
});
