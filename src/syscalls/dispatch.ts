// The trap handler: finds the task and the syscall, runs the handler, and
// turns anything a handler throws into an errno plus a log line. It counts
// calls (and unsupported ones) and, when asked, prints them strace-style and
// times them per syscall.
import { E } from '../abi/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Platform } from '../platform/platform.js';
import { CONTINUE, DEFER, REPLIED } from '../platform/trap-abi.js';
import { Call } from './call.js';
import { formatCall, formatResult } from './strace.js';
import type { SyscallTable } from './table.js';

export interface DispatchOptions {
  strace: boolean;
  stats: boolean;
  write: (line: string) => void;
}

export interface SyscallStats {
  count: number;
  /** Time the sentry spent in the handler, in nanoseconds. */
  ns: number;
  errors: number;
}

export class Dispatcher {
  readonly call: Call;
  /** Calls that reached the sentry, by number. */
  readonly counts = new Map<number, SyscallStats>();
  /** Calls answered ENOSYS because nothing implements them, by number. */
  readonly unsupported = new Map<number, number>();
  /**
   * Calls the sentry let the host run as issued (CONTINUE), by number, with
   * stats on: the security surface (docs/security.md) is checked against it.
   */
  readonly continued = new Map<number, number>();
  readonly onTrap: () => number;

  constructor(
    private readonly kernel: Kernel,
    private readonly pf: Platform,
    private readonly table: SyscallTable,
    private readonly opts: DispatchOptions,
  ) {
    this.call = new Call(pf.trapBuf, kernel, pf);
    this.onTrap = () => this.trap();
    if (opts.strace) kernel.onResume = (t, nr, r) => this.traceResume(t, nr, r);
  }

  private trap(): number {
    const c = this.call;
    const buf = this.pf.trapBuf;
    const tid = buf[0]!;
    const nr = buf[1]!;
    const task = this.kernel.byHost.get(tid);
    if (task === undefined) {
      // A task killed after its call was received is forgotten when its exit
      // event is dispatched, just before the trap: its notification is gone
      // too, and that is no news. A live task the sentry does not know would
      // be a task outside its control: that is worth a line.
      if (this.pf.idValid(this.pf.currentId())) this.opts.write(`tsvisor: trap from unknown host task ${tid} (nr ${nr})`);
      return -E.ESRCH;
    }
    if (task.files.hasClosing) task.files.settle(tid);
    c.task = task;
    c.nr = nr;
    this.kernel.current = task;
    const def = this.table.byNr[nr];
    if (def === undefined) {
      this.unsupported.set(nr, (this.unsupported.get(nr) ?? 0) + 1);
      if (this.opts.strace) this.opts.write(`[pid ${task.tid}] ${this.table.nameOf(nr)}(...) = -1 ENOSYS (not implemented)`);
      return -E.ENOSYS;
    }
    const line = this.opts.strace ? formatCall(c, this.table.nameOf(nr), def.args) : '';
    const t0 = this.opts.stats ? process.hrtime.bigint() : 0n;
    let r: number;
    try {
      r = def.fn(c);
    } catch (err) {
      this.opts.write(`tsvisor: internal error in ${this.table.nameOf(nr)} (pid ${task.tid}): ${(err as Error)?.stack ?? err}`);
      r = -E.EIO;
    }
    if (r === -E.ENOSYS) this.unsupported.set(nr, (this.unsupported.get(nr) ?? 0) + 1);
    if (this.opts.stats) {
      let s = this.counts.get(nr);
      if (!s) this.counts.set(nr, (s = { count: 0, ns: 0, errors: 0 }));
      s.count++;
      s.ns += Number(process.hrtime.bigint() - t0);
      if (r < 0 && r >= -4095) s.errors++;
      if (r === CONTINUE) this.continued.set(nr, (this.continued.get(nr) ?? 0) + 1);
    }
    if (this.opts.strace) this.opts.write(`${line} = ${r === REPLIED ? c.replied : formatResult(r, def.ret)}`);
    return r;
  }

  /** For --strace of deferred calls finishing later. */
  private traceResume(task: { tid: number }, nr: number, r: number): void {
    this.opts.write(`[pid ${task.tid}] <... ${this.table.nameOf(nr)} resumed> = ${r === -512 ? '? ERESTARTSYS (to be restarted or EINTR)' : formatResult(r)}`);
  }
}

export { CONTINUE, DEFER, REPLIED };
