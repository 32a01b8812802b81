// wait semantics: which children a wait may report, what it reports, and what
// reporting consumes (Linux kernel/exit.c: do_wait).
import { __WALL, __WCLONE, WCONTINUED, WEXITED, WNOWAIT, WSTOPPED } from '../abi/flags.js';
import { Sig } from '../abi/signals.js';
import type { ThreadGroup } from './task.js';

export type WaitSelector = { kind: 'any' } | { kind: 'pid'; pid: number } | { kind: 'pgid'; pgid: number };

export interface Waitable {
  child: ThreadGroup;
  what: 'exited' | 'stopped' | 'continued';
  /** The wait status word wait4 stores. */
  status: number;
}

/** `options` uses waitid's bits: WEXITED, WSTOPPED, WCONTINUED, plus __WCLONE/__WALL. */
export function findWaitable(g: ThreadGroup, sel: WaitSelector, options: number): Waitable | 'none' | 'later' {
  let eligible = false;
  for (const c of g.children) {
    if (c.reaped) continue;
    if (sel.kind === 'pid' && c.tgid !== sel.pid) continue;
    if (sel.kind === 'pgid' && c.pgid !== sel.pgid) continue;
    // "clone" children are those that signal their parent with something
    // other than SIGCHLD; __WALL waits for all, __WCLONE only for them.
    const isClone = c.exitSignal !== Sig.SIGCHLD;
    if (!(options & __WALL) && isClone !== ((options & __WCLONE) !== 0)) continue;
    if (c.zombie) {
      // A dead process is only something to wait for with WEXITED; otherwise
      // it does not keep the wait from failing with ECHILD (wait_task_zombie).
      if (options & WEXITED) return { child: c, what: 'exited', status: c.exitStatus! };
      continue;
    }
    eligible = true;
    if (c.stopReport && options & WSTOPPED && c.alive) return { child: c, what: 'stopped', status: (c.stopReport << 8) | 0x7f };
    if (c.continuedReport && options & WCONTINUED && c.alive) return { child: c, what: 'continued', status: 0xffff };
  }
  return eligible ? 'later' : 'none';
}

/** What reporting takes away, unless WNOWAIT. Returns true when the child must be reaped. */
export function consume(w: Waitable, options: number): boolean {
  if (options & WNOWAIT) return false;
  if (w.what === 'stopped') w.child.stopReport = 0;
  if (w.what === 'continued') w.child.continuedReport = false;
  return w.what === 'exited';
}
