// wait semantics (src/kernel/wait.ts) over hand-built thread groups, as
// Linux's do_wait decides them (kernel/exit.c): which children a wait may
// report, the status words, what reporting consumes. Status words and the
// ECHILD case for a zombie without WEXITED were checked on the host.
import t from 'tap';
import { __WALL, __WCLONE, WCONTINUED, WEXITED, WNOWAIT, WSTOPPED } from '../../src/abi/flags.js';
import { Sig } from '../../src/abi/signals.js';
import { Rlimits } from '../../src/kernel/rlimits.js';
import { ThreadGroup } from '../../src/kernel/task.js';
import { consume, findWaitable, type Waitable, type WaitSelector } from '../../src/kernel/wait.js';
import { Creds } from '../../src/vfs/creds.js';

const ANY: WaitSelector = { kind: 'any' };
const pid = (p: number): WaitSelector => ({ kind: 'pid', pid: p });
const pgid = (g: number): WaitSelector => ({ kind: 'pgid', pgid: g });

function group(tgid: number, parent: ThreadGroup | null, pg = tgid, exitSignal: number = Sig.SIGCHLD): ThreadGroup {
  const g = new ThreadGroup(tgid, parent, pg, 1, Creds.root(), new Rlimits(1024), exitSignal);
  parent?.children.add(g);
  return g;
}

/** The result in a form that prints small: [tgid, what, status] or the string. */
function found(w: Waitable | 'none' | 'later'): [number, string, number] | string {
  return typeof w === 'string' ? w : [w.child.tgid, w.what, w.status];
}

t.test('no children: none; running children: later', (t) => {
  const p = group(1, null);
  t.equal(findWaitable(p, ANY, WEXITED), 'none', 'ECHILD');
  group(2, p);
  t.equal(findWaitable(p, ANY, WEXITED), 'later');
  t.equal(findWaitable(p, pid(2), WEXITED), 'later');
  t.equal(findWaitable(p, pid(3), WEXITED), 'none', 'not a child');
  t.equal(findWaitable(p, pgid(2), WEXITED), 'later');
  t.equal(findWaitable(p, pgid(7), WEXITED), 'none', 'no child in that group');
  t.end();
});

t.test('exit status words', (t) => {
  const p = group(1, null);
  const a = group(2, p);
  a.exitStatus = 3 << 8; // exit(3)
  t.same(found(findWaitable(p, ANY, WEXITED)), [2, 'exited', 0x300]);
  const q = group(10, null);
  const k = group(11, q);
  k.exitStatus = 9; // killed by SIGKILL
  t.same(found(findWaitable(q, ANY, WEXITED)), [11, 'exited', 9]);
  const r = group(20, null);
  const c = group(21, r);
  c.exitStatus = 0x80 | 11; // SIGSEGV with a core dump
  t.same(found(findWaitable(r, pid(21), WEXITED)), [21, 'exited', 0x8b]);
  t.end();
});

t.test('selection by pid, process group, any; the oldest child first; reaped ones are gone', (t) => {
  const p = group(1, null);
  const a = group(2, p, 100);
  const b = group(3, p, 200);
  const c = group(4, p, 200);
  b.exitStatus = 0;
  c.exitStatus = 1 << 8;
  t.same(found(findWaitable(p, ANY, WEXITED)), [3, 'exited', 0], 'first zombie in creation order');
  t.same(found(findWaitable(p, pid(4), WEXITED)), [4, 'exited', 0x100]);
  t.same(found(findWaitable(p, pgid(200), WEXITED)), [3, 'exited', 0]);
  t.equal(findWaitable(p, pgid(100), WEXITED), 'later', 'a is running');
  t.equal(findWaitable(p, pid(2), WEXITED), 'later');
  b.reaped = true;
  t.same(found(findWaitable(p, pgid(200), WEXITED)), [4, 'exited', 0x100]);
  t.equal(findWaitable(p, pid(3), WEXITED), 'none', 'a reaped child is no child');
  c.reaped = true;
  t.equal(findWaitable(p, pgid(200), WEXITED), 'none');
  a.exitStatus = 0;
  a.reaped = true;
  t.equal(findWaitable(p, ANY, WEXITED), 'none');
  // Grandchildren are not children.
  const q = group(10, null);
  const mid = group(11, q);
  const grand = group(12, mid);
  grand.exitStatus = 0;
  t.equal(findWaitable(q, pid(12), WEXITED), 'none');
  t.equal(findWaitable(q, ANY, WEXITED), 'later');
  t.end();
});

t.test('__WCLONE and __WALL against the exit signal', (t) => {
  const p = group(1, null);
  const normal = group(2, p);
  const clone0 = group(3, p, 3, 0); // exit signal 0 (a clone child)
  const cloneUsr = group(4, p, 4, Sig.SIGUSR1);
  for (const g of [normal, clone0, cloneUsr]) g.exitStatus = 0;
  t.same(found(findWaitable(p, ANY, WEXITED)), [2, 'exited', 0], 'only SIGCHLD children by default');
  t.equal(findWaitable(p, pid(3), WEXITED), 'none', 'a clone child is invisible without __WCLONE');
  t.same(found(findWaitable(p, pid(3), WEXITED | __WCLONE)), [3, 'exited', 0]);
  t.same(found(findWaitable(p, pid(4), WEXITED | __WCLONE)), [4, 'exited', 0]);
  t.equal(findWaitable(p, pid(2), WEXITED | __WCLONE), 'none', '__WCLONE: only clone children');
  t.same(found(findWaitable(p, ANY, WEXITED | __WCLONE)), [3, 'exited', 0]);
  for (const c of [2, 3, 4]) t.same(found(findWaitable(p, pid(c), WEXITED | __WALL)), [c, 'exited', 0], `__WALL sees ${c}`);
  t.same(found(findWaitable(p, pid(3), (WEXITED | __WALL | __WCLONE) >>> 0)), [3, 'exited', 0], '__WALL wins over __WCLONE');
  t.same(found(findWaitable(p, pid(2), (WEXITED | __WALL | __WCLONE) >>> 0)), [2, 'exited', 0]);
  t.end();
});

t.test('stopped and continued reports', (t) => {
  const p = group(1, null);
  const c = group(2, p);
  c.stopped = true;
  c.stopReport = Sig.SIGSTOP;
  t.equal(findWaitable(p, ANY, WEXITED), 'later', 'a stop is not reported without WSTOPPED');
  const w = findWaitable(p, ANY, WEXITED | WSTOPPED);
  t.same(found(w), [2, 'stopped', 0x137f], 'WIFSTOPPED, WSTOPSIG 19');
  t.equal(consume(w as Waitable, WSTOPPED | WNOWAIT), false);
  t.equal(c.stopReport, Sig.SIGSTOP, 'WNOWAIT leaves it to report again');
  t.same(found(findWaitable(p, ANY, WSTOPPED)), [2, 'stopped', 0x137f]);
  t.equal(consume(w as Waitable, WSTOPPED), false, 'nothing to reap');
  t.equal(c.stopReport, 0, 'reported once');
  t.equal(findWaitable(p, ANY, WSTOPPED), 'later');
  c.stopReport = Sig.SIGTSTP;
  t.same(found(findWaitable(p, ANY, WSTOPPED)), [2, 'stopped', (20 << 8) | 0x7f]);
  c.stopReport = 0;
  c.stopped = false;
  c.continuedReport = true;
  t.equal(findWaitable(p, ANY, WEXITED | WSTOPPED), 'later', 'no WCONTINUED');
  const cw = findWaitable(p, ANY, WCONTINUED);
  t.same(found(cw), [2, 'continued', 0xffff]);
  t.equal(consume(cw as Waitable, WCONTINUED | WNOWAIT), false);
  t.equal(c.continuedReport, true);
  t.equal(consume(cw as Waitable, WCONTINUED), false);
  t.equal(c.continuedReport, false);
  t.equal(findWaitable(p, ANY, WCONTINUED), 'later');
  t.end();
});

t.test('zombies: reported with WEXITED, consumed unless WNOWAIT', (t) => {
  const p = group(1, null);
  const c = group(2, p);
  c.exitStatus = 3 << 8;
  c.stopReport = Sig.SIGSTOP; // a stop never reported before the exit
  c.continuedReport = true;
  const w = findWaitable(p, ANY, WEXITED | WSTOPPED | WCONTINUED);
  t.same(found(w), [2, 'exited', 0x300], 'the exit wins over older stop and continue reports');
  t.equal(consume(w as Waitable, WEXITED | WNOWAIT), false, 'WNOWAIT: not reaped');
  t.same(found(findWaitable(p, ANY, WEXITED)), [2, 'exited', 0x300], 'still there');
  t.equal(consume(w as Waitable, WEXITED), true, 'the caller must reap it');
  t.end();
});

t.test('a zombie is not waitable without WEXITED: ECHILD, not a wait that never ends', (t) => {
  // Linux: waitid(P_ALL, 0, &si, WSTOPPED | WNOHANG) with only a zombie child fails with ECHILD.
  const p = group(1, null);
  const z = group(2, p);
  z.exitStatus = 0;
  t.equal(findWaitable(p, ANY, WSTOPPED), 'none');
  t.equal(findWaitable(p, ANY, WCONTINUED), 'none');
  t.equal(findWaitable(p, pid(2), WSTOPPED | WCONTINUED), 'none');
  group(3, p); // a running child can still stop
  t.equal(findWaitable(p, ANY, WSTOPPED), 'later');
  t.equal(findWaitable(p, pid(2), WSTOPPED), 'none');
  t.end();
});
